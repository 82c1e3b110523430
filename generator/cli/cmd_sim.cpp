// `escgen sim --config CFG --layer DIR --input X.npy --output Y.npy [...]`: runs one layer on the
// generated RTL under Verilator (simulator built once per RTL and cached), writes what the RTL
// produced, compares it with the golden model (exit 1 on a difference) and reports cycles.
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "sim/sim_run.h"
#include "util/error.h"

namespace escgen::cli {

void add_sim(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("sim", "run a layer on the accelerator RTL (Verilator)");
  auto o = std::make_shared<SimRunOptions>();
  o->jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto no_check = std::make_shared<bool>(false);
  auto no_stall = std::make_shared<bool>(false);
  auto assign = std::make_shared<std::string>("balanced");
  auto then_layers = std::make_shared<std::vector<std::string>>();
  auto then_inputs = std::make_shared<std::vector<std::string>>();
  auto then_outputs = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--config", o->config, "configuration JSON file")->required();
  cmd->add_option("--layer", o->layer_dir, "layer directory")->required();
  cmd->add_option("--input", o->input, "input activations x.npy (c_in, h, w)")->required();
  cmd->add_option("--output", o->output, "output y.npy as the RTL computed it")->required();
  cmd->add_option("--then-layer", *then_layers,
                  "a layer queued behind the one before in the same run (CTRL.start written while "
                  "it runs; repeat for more), each with --then-input and --then-output");
  cmd->add_option("--then-input", *then_inputs, "input x.npy of each --then-layer, in order");
  cmd->add_option("--then-output", *then_outputs, "output y.npy of each --then-layer, in order");
  cmd->add_option("--stats", o->stats, "cycles and counter registers as JSON");
  cmd->add_option("--seed", o->seed, "seed of the stream stalls")->capture_default_str();
  cmd->add_option("--trace", o->trace, "FST waveform (builds a traced simulator)");
  cmd->add_flag("--no-check", *no_check, "do not compare with the golden model");
  cmd->add_flag("--no-stall", *no_stall, "no valid gaps or ready back-pressure (performance)");
  cmd->add_option("--cache", o->cache_dir,
                  "simulator cache (default $ESCGEN_CACHE, $XDG_CACHE_HOME/escgen or "
                  "~/.cache/escgen)");
  cmd->add_option("--jobs", o->jobs, "parallel compile jobs of a simulator build")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--threads", o->threads,
                  "Verilator --threads of the simulator (a separately cached build when > 1)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--build", o->build,
                  "simulator build: flat, hierarchical (the row verilated once: configurations "
                  "with many rows, no --trace) or auto (hierarchical above " +
                      std::to_string(kFlatMaxRows) + " rows unless tracing)")
      ->check(CLI::IsMember({"auto", "flat", "hierarchical"}))
      ->capture_default_str();
  cmd->add_option("--assign", *assign,
                  "output channels to rows: balanced (by non-zero coefficients) or linear")
      ->capture_default_str();
  cmd->add_option("--work", o->work_dir,
                  "keep the stimulus (stim/), RTL (design/) and out.hex in this directory");
  cmd->callback([&ctx, o, no_check, no_stall, assign, then_layers, then_inputs, then_outputs] {
    o->check = !*no_check;
    if (then_inputs->size() != then_layers->size() || then_outputs->size() != then_layers->size())
      throw InputError(fmt::format(
          "sim: {} --then-layer, {} --then-input and {} --then-output: give one of each per "
          "queued layer",
          then_layers->size(), then_inputs->size(), then_outputs->size()));
    o->queued.clear();
    for (size_t i = 0; i < then_layers->size(); ++i)
      o->queued.push_back({(*then_layers)[i], (*then_inputs)[i], (*then_outputs)[i]});
    o->assign = parse_channel_assign(*assign, "sim: --assign");
    if (*no_stall) o->sim_args = "--no-stall";
    const SimRunResult r = run_sim(*o, ctx.err);
    const auto pct = [&](const char* name) {
      const auto it = r.counters.find(name);
      const auto cyc = r.counters.find("CYCLES");
      if (it == r.counters.end() || cyc == r.counters.end() || cyc->second == 0 || r.rows == 0)
        return std::string("?");
      return fmt::format("{:.0f}%", 100.0 * static_cast<double>(it->second) /
                                        (static_cast<double>(cyc->second) * r.rows));
    };
    ctx.out << fmt::format(
        "escgen sim: {}{} on {}: {}, {} cycles (CA busy {}, MAC busy {}) -> {}\n", o->layer_dir,
        o->queued.empty() ? std::string()
                          : fmt::format(" and {} queued layer{}", o->queued.size(),
                                        o->queued.size() == 1 ? "" : "s"),
        o->config,
        r.checked ? fmt::format("bit-exact with the golden model ({} values)", r.values)
                  : std::string("not checked"),
        r.cycles, pct("CA_BUSY"), pct("MAC_BUSY"), o->output);
  });
}

}  // namespace escgen::cli
