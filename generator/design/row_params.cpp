// The row's requantisation parameters (see row_stages.h): bias, M and S of the row's output
// channel, from param_data into use by the requantisation; with weight_prefetch through shadow
// and pending registers while up to two started passes wait for the MAC unit; and the MAC unit's
// start (mac_go).
//
// With weight_prefetch the parameters are written into shadow registers (the next output
// channel's, loaded during the current pass), copied on `start` into pending ones (pass_*,
// pass2_* for a second waiting pass), and into the ones in use when the MAC unit starts the
// pass, or, when the previous pass's last outputs are still in the MAC unit's pipeline then (it
// finishes at its last issue), into the MAC unit's (run_*), which go into use when the last of
// those outputs (acc_last) enters the requantisation. Each output takes them as it enters the
// requantisation (its stage A), so a pass's last outputs are not touched by the next's. A
// waiting pass's registers are free again at the MAC unit's start, so the next pass may start
// while the switch still waits.
#include <fmt/format.h>

#include "design/row_stages.h"
#include "netlist/expr.h"

namespace escgen::row {

using netlist::lit;
using netlist::Module;
using netlist::slice;

std::vector<Param> row_params(const Config& c) {
  const ParamItem pi = param_item(c);
  return {{"bias", pi.bias, "bias[o]"}, {"mult", pi.mult, "M[o]"}, {"shift", pi.shift, "S[o]"}};
}

void add_params(Module& m, const Config& c) {
  const std::string sh = c.weight_prefetch != 0 ? "_next" : "";
  for (const Param& p : row_params(c))
    m.reg(fmt::format("{}{}_q", p.name, sh), p.field.width,
          slice("param_data", p.field.lsb + p.field.width - 1, p.field.lsb), "param_we", {},
          p.what + sh);
}

namespace {

// Up to two started passes wait for the MAC unit (pend_q: one or two, pend2_q: two), so the CA
// unit may run two passes ahead of it: count + start - mac_go (no start when two wait).
void add_waiting_passes(Module& m) {
  m.wire("ca_held", 1);
  m.wire("acc_end", 1, "the last output of a MAC pass enters the requantisation");
  m.assign("acc_end", "acc_fire & acc_last");
  m.wire("pend_next", 1);
  m.wire("pend2_next", 1);
  m.wire("sw_next", 1);
  // The MAC unit takes the next pass when idle or in the cycle it finishes (`mac_finishing`).
  m.assign("mac_go", "(start | pend_q) & (~mac_busy | mac_finishing) & ~sw_q");
  m.assign("pend_next", "pend2_q | (pend_q & ~mac_go) | (start & (pend_q | ~mac_go))");
  m.assign("pend2_next", "~mac_go & (pend2_q | (pend_q & start))");
  m.assign("sw_next", "(mac_go & ~mac_drained & ~acc_end) | (sw_q & ~acc_end)");
  m.reg("pend_q", 1, "pend_next", "", lit(1, 0),
        "a started pass waits for the MAC unit to finish the previous one");
  m.reg("pend2_q", 1, "pend2_next", "", lit(1, 0), "a second started pass waits behind it");
  m.reg("sw_q", 1, "sw_next", "", lit(1, 0),
        "the MAC unit runs a pass whose parameters (run_*) wait for the previous pass's last "
        "output to enter the requantisation");
  m.wire("param_take", 1, "the parameters in use switch to the MAC unit's pass");
  m.assign("param_take", "(mac_go & (mac_drained | acc_end)) | (sw_q & acc_end)");
  // pass_* hold the first waiting pass's parameters, pass2_* the second's.
  m.wire("pass_we", 1, "pass_* load: a start that waits first, or the second moves up");
  m.assign("pass_we", "(start & (pend_q == mac_go)) | (mac_go & pend2_q)");
  m.wire("pass2_we", 1);
  m.assign("pass2_we", "start & pend_q & ~mac_go");
}

// Each parameter's pending (pass_*, pass2_*), MAC pass (run_*) and in-use registers.
void add_param_pipeline(Module& m, const Param& p) {
  const std::string go_value = fmt::format("pend_q ? {0}_pass_q : {0}_next_q", p.name);
  m.reg(fmt::format("{}_pass_q", p.name), p.field.width,
        fmt::format("pend2_q ? {0}_pass2_q : {0}_next_q", p.name), "pass_we", {},
        fmt::format("{} of the first started pass waiting for the MAC unit", p.name));
  m.reg(fmt::format("{}_pass2_q", p.name), p.field.width, fmt::format("{}_next_q", p.name),
        "pass2_we", {}, fmt::format("{} of the second", p.name));
  m.reg(fmt::format("{}_run_q", p.name), p.field.width, go_value, "mac_go", {},
        fmt::format("{} of the MAC unit's pass", p.name));
  m.reg(fmt::format("{}_q", p.name), p.field.width,
        fmt::format("sw_q ? {0}_run_q : {1}", p.name, go_value), "param_take", {},
        fmt::format("{} in use by the requantisation", p.name));
}

}  // namespace

void add_pass_queue(Module& m, const Config& c) {
  if (c.weight_prefetch == 0) {
    // Without prefetch a pass starts with the row idle; the gate is the MAC unit's own rule.
    m.assign("mac_go", "start & (~mac_busy | mac_finishing)");
    return;
  }
  add_waiting_passes(m);
  for (const Param& p : row_params(c)) add_param_pipeline(m, p);
  // The next pass may start once the CA unit is done and fewer than two started passes wait
  // for the MAC unit; a parameter switch still waiting is held in run_*.
  m.reg("next_ok_q", 1, "~start & ~armed_q & ~ca_held & ~pend2_next", "", lit(1, 0));
  m.assign("next_ok", "next_ok_q");
}

}  // namespace escgen::row
