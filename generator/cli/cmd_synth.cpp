// `escgen synth --config CFG --out DIR [--liberty LIB] [--clock-ns N] [--top MODULE] ...`: the
// configuration's RTL synthesised with Yosys and timed with OpenSTA (synth/flow.h), reports in
// DIR/report.json and DIR/report.md; progress on stderr.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "synth/flow.h"
#include "synth/report.h"

namespace escgen::cli {

void add_synth(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("synth", "synthesise a configuration (Yosys) and time it (OpenSTA)");
  auto o = std::make_shared<synth::SynthOptions>();
  auto liberty = std::make_shared<std::string>();
  auto abc_delay = std::make_shared<double>(0);
  cmd->add_option("--config", o->config, "configuration JSON file")->required();
  cmd->add_option("--out", o->out, "run folder (created; rtl/, scripts/, logs/, reports)")
      ->required();
  cmd->add_option("--liberty", *liberty,
                  fmt::format("liberty file, or `none` for Yosys generic gates (default {})",
                              synth::kDefaultLiberty));
  cmd->add_option("--top", o->top, "top module (default the design's top)");
  cmd->add_option("--clock-ns", o->clock_ns, "clock period in ns")->capture_default_str();
  cmd->add_option("--clock-port", o->clock_port, "clock port (virtual clock if absent)")
      ->capture_default_str();
  cmd->add_option("--input-delay-ns", o->input_delay_ns, "input delay after the clock edge")
      ->capture_default_str();
  cmd->add_option("--output-delay-ns", o->output_delay_ns, "output delay before the clock edge")
      ->capture_default_str();
  cmd->add_option("--driving-cell", o->driving_cell, "liberty cell driving the data inputs")
      ->capture_default_str();
  cmd->add_option("--driving-pin", o->driving_pin, "its output pin")->capture_default_str();
  cmd->add_option("--load-pf", o->load_pf, "load on every output in pF")->capture_default_str();
  auto* abc = cmd->add_option("--abc-delay-ps", *abc_delay,
                              "abc -D target delay in ps (default the clock period)");
  cmd->add_flag("--abc-dc2", o->abc_dc2,
                "map with Yosys's default ABC script, dc2 rewriting included (default: the same "
                "script without dc2, which turns parallel-prefix adders into ripple chains)");
  cmd->add_option("--limiter-endpoints", o->limiter_endpoints,
                  "worst endpoints (one path each) grouped by register into the report's "
                  "limiters table; 0 skips it")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--yosys", o->yosys, "Yosys program")->capture_default_str();
  cmd->add_option("--sta", o->sta, "OpenSTA program")->capture_default_str();
  cmd->callback([&ctx, o, liberty, abc_delay, abc] {
    if (!liberty->empty()) o->liberty = *liberty;
    if (abc->count() > 0) o->abc_delay_ps = *abc_delay;
    const synth::SynthResult r = synth::run_synth(*o, ctx.err);
    synth::write_reports(r, o->out);
    const auto j = synth::report_json(r);
    std::string timing = "no timing (generic gates)";
    if (j["timing"]["analysed"].get<bool>()) {
      const auto& f = j["timing"]["fmax_mhz"];
      timing =
          fmt::format("worst setup slack {:.3f} ns at {} ns, Fmax {}",
                      j["timing"]["worst_setup_slack_ns"].is_null()
                          ? 0.0
                          : j["timing"]["worst_setup_slack_ns"].get<double>(),
                      o->clock_ns, f.is_null() ? "-" : fmt::format("{:.1f} MHz", f.get<double>()));
    }
    ctx.out << fmt::format("escgen: synth {} -> {}: area {:.0f} {}, {} cells, {} flops; {}\n",
                           o->config, o->out.string(), j["area"]["total"].get<double>(),
                           j["area"]["unit"].get<std::string>(), j["cells"]["total"].get<long>(),
                           j["cells"]["flops"].get<long>(), timing);
    ctx.out << fmt::format("  {}/report.md, {}/report.json, {}/run.sh\n", o->out.string(),
                           o->out.string(), o->out.string());
  });
}

}  // namespace escgen::cli
