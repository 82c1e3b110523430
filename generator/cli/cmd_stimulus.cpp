// `escgen stimulus write|decode`: the simulator files without simulating, for other simulators
// (the Icarus test top, testbench/icarus) and debugging. `write` builds the stimulus directory of
// a layer (docs/interface.md); `decode` turns the out.hex a simulator wrote into Y.npy and, given
// the input, compares it with the golden model (exit 1 on a difference).
#include <filesystem>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "config/config.h"
#include "interface/layer_plan.h"
#include "interface/stimulus.h"
#include "model/golden.h"
#include "model/layer.h"
#include "sim/sim_run.h"

namespace escgen::cli {

namespace {

struct StimulusArgs {
  std::string config, layer, input, dir, output, out_hex, assign = "balanced";
};

void add_assign_option(CLI::App& cmd, StimulusArgs& a) {
  cmd.add_option("--assign", a.assign,
                 "output channels to rows: balanced or linear (write and decode must agree)")
      ->capture_default_str();
}

void add_write(CLI::App& parent, Context& ctx) {
  auto* cmd = parent.add_subcommand("write", "write the stimulus directory of a layer");
  auto a = std::make_shared<StimulusArgs>();
  cmd->add_option("--config", a->config, "configuration JSON file")->required();
  cmd->add_option("--layer", a->layer, "layer directory")->required();
  cmd->add_option("--input", a->input, "input activations x.npy")->required();
  cmd->add_option("--out", a->dir, "stimulus directory (meta.txt, regs.hex, wgt.hex, act.hex)")
      ->required();
  add_assign_option(*cmd, *a);
  cmd->callback([&ctx, a] {
    const Config c = Config::from_file(a->config);
    const LayerPlan p = plan_layer(
        c, a->layer, {.assign = parse_channel_assign(a->assign, "stimulus write: --assign")});
    const Stimulus s = build_stimulus(c, p.placed, load_input(a->input, p.layer));
    write_stimulus(a->dir, s);
    ctx.out << fmt::format(
        "escgen stimulus write: {} -> {}: {} register writes, {} weight beats ({} bits), {} input "
        "beats ({} bits), {} output beats expected ({} bits)\n",
        a->layer, a->dir, s.regs.size(), s.wgt.size(), s.wgt_bits, s.act.size(), s.act_bits,
        s.out_beats, s.out_bits);
  });
}

void add_decode(CLI::App& parent, Context& ctx) {
  auto* cmd = parent.add_subcommand(
      "decode", "decode a simulator's out.hex into y.npy (and compare with the golden model)");
  auto a = std::make_shared<StimulusArgs>();
  cmd->add_option("--config", a->config, "configuration JSON file")->required();
  cmd->add_option("--layer", a->layer, "layer directory")->required();
  cmd->add_option("--stim", a->dir, "stimulus directory (reads meta.txt and out.hex)")->required();
  cmd->add_option("--out-hex", a->out_hex, "output beats (default STIM/out.hex)");
  cmd->add_option("--output", a->output, "output y.npy")->required();
  cmd->add_option("--input", a->input, "input x.npy: compare with the golden model");
  add_assign_option(*cmd, *a);
  cmd->callback([&ctx, a] {
    const Config c = Config::from_file(a->config);
    const LayerPlan p = plan_layer(
        c, a->layer, {.assign = parse_channel_assign(a->assign, "stimulus decode: --assign")});
    const Layer& l = p.layer;
    const std::filesystem::path dir(a->dir);
    const Stimulus meta = read_stimulus(dir);
    const std::filesystem::path out_hex =
        a->out_hex.empty() ? dir / "out.hex" : std::filesystem::path(a->out_hex);
    const std::vector<int64_t> y = unpermute_output(
        decode_output(c, p.placed, read_out_hex(out_hex, meta.out_bits, meta.out_beats)), p.perm,
        int64_t{l.h_out()} * l.w_out());
    write_output_npy(a->output, l, y);
    std::string verdict = "not checked";
    if (!a->input.empty()) {
      check_against_golden(l, y, golden_output(l, load_input(a->input, l)));
      verdict = fmt::format("bit-exact with the golden model ({} values)", y.size());
    }
    ctx.out << fmt::format("escgen stimulus decode: {} -> {}: {}\n", out_hex.string(), a->output,
                           verdict);
  });
}

}  // namespace

void add_stimulus(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("stimulus", "simulator stimulus files (see docs/interface.md)");
  cmd->require_subcommand(1);
  add_write(*cmd, ctx);
  add_decode(*cmd, ctx);
}

}  // namespace escgen::cli
