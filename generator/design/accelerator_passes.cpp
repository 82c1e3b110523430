// The top's passes (see accelerator_stages.h): a loaded group's go, the count of a pass's input
// beats and the pass's end; the weight side's state register; the layer's end, the counters'
// settling and STATUS.done.
#include <fmt/format.h>

#include "design/accelerator_stages.h"
#include "netlist/expr.h"

namespace escgen::top {

using netlist::lit;
using netlist::Module;
using netlist::zext;

// Starting a pass: the loaded group goes when no pass runs (or the running one ends now) or,
// with weight_prefetch, as soon as the running pass's input is taken and every row is ready
// for the next (next_ok: its CA unit has taken the pass, its MAC unit has started it), while
// the MAC units and outputs of the running pass finish.
void add_pass_start(Module& m, const Config& c, const TopShape& s) {
  const int cob = s.cob, cb = s.cb, wb = s.wb, hb = s.hb;
  const auto P = static_cast<uint64_t>(s.P);
  m.wire("go", 1, "the loaded group's pass starts (rows get start next cycle)");
  // A layer's first group goes only when the previous layer's passes have all ended (~last_q
  // keeps a queued layer's group from overlapping them) and, if its basis waits in the basis
  // buffer, no later than the cycle that writes the buffer's last beat into the rows.
  m.assign("go",
           fmt::format(
               "({} | rows_loaded) & (~chain_q | wo_last) & (~run_q | pass_end{})", state_is(kHeld),
               c.weight_prefetch ? " | (~last_q & act_done_q & all_next & ~start_rows)" : ""));
  m.reg("last_q", 1, "go ? ~more : last_q", "", lit(1, 0),
        "the running passes are their layer's last group's");
  m.reg("lbase_q", cob,
        fmt::format("wtake ? {} : go ? lbase_q + {} : lbase_q", lit(cob, 0), lit(cob, P)), "",
        lit(cob, 0), "first output channel of the group loaded next");
  m.wire("more", 1, "a group follows the one that goes");
  m.assign("more", fmt::format("(lbase_q + {}) < n_c_out", lit(cob, P)));
  m.reg("start_rows", 1, "go", "", lit(1, 0), "pulse: rows begin a pass");
  m.reg("run_q", 1, "go | (run_q & ~pass_end)", "", lit(1, 0), "a pass runs");
  m.reg("act_done_q", 1, "go ? 1'b0 : (act_last | act_done_q)", "", lit(1, 0),
        "the pass's input beats are all taken");
  m.wire("act_open", 1);
  m.assign("act_open", "run_q & ~act_done_q");
  m.wire("act_fire", 1);
  m.wire("ac_end", 1);
  m.assign("ac_end", fmt::format("{} == {}", zext(fmt::format("(ac_q + {})", lit(cb, 1)), cb, cb),
                                 "l_chunks"));
  m.wire("ax_end", 1);
  m.assign("ax_end", fmt::format("(ax_q + {}) == l_w", lit(wb, 1)));
  m.wire("ay_end", 1);
  m.assign("ay_end", fmt::format("(ay_q + {}) == l_h", lit(hb, 1)));
  m.wire("act_last", 1);
  m.assign("act_last", "act_fire & ac_end & ax_end & ay_end");
  m.reg("ac_q", cb,
        fmt::format("act_fire ? (ac_end ? {} : ac_q + {}) : ac_q", lit(cb, 0), lit(cb, 1)), "",
        lit(cb, 0), "chunk of the next input beat");
  m.reg(
      "ax_q", wb,
      fmt::format("(act_fire & ac_end) ? (ax_end ? {} : ax_q + {}) : ax_q", lit(wb, 0), lit(wb, 1)),
      "", lit(wb, 0));
  m.reg("ay_q", hb,
        fmt::format("(act_fire & ac_end & ax_end) ? (ay_end ? {} : ay_q + {}) : ay_q", lit(hb, 0),
                    lit(hb, 1)),
        "", lit(hb, 0));
  m.wire("all_idle", 1);
  m.wire("pass_end", 1, "every row is idle, the input taken, the output register empty");
  m.assign("pass_end", "run_q & act_done_q & all_idle & ~out_valid_q & ~start_rows");
}

void add_weight_state(Module& m, const Config& c) {
  m.wire("after_go", kStateBits, "the weight side's state after a go");
  m.assign("after_go", fmt::format("more ? {} : {}", state_lit(c.weight_prefetch ? kRows : kWait),
                                   state_lit(kIdle)));
  // After the basis: a queued layer without weight_prefetch waits for the running layer's end
  // (its rows' coefficient stores are in use), like a group between passes.
  m.wire("after_basis", kStateBits, "the weight side's state after the basis");
  m.assign("after_basis", c.weight_prefetch
                              ? state_lit(kRows)
                              : fmt::format("run_q ? {} : {}", state_lit(kWait), state_lit(kRows)));
  m.reg(
      "wst", kStateBits,
      fmt::format("wtake ? {} : basis_done ? after_basis : go ? after_go : rows_loaded ? {} : ({} "
                  "& (pass_end | ~run_q)) ? {} : wst",
                  state_lit(kBasis), state_lit(kHeld), state_is(kWait), state_lit(kRows)),
      "", state_lit(kIdle), "weight-side state (WST_*)");
}

void add_layer_end(Module& m) {
  m.wire("layer_end", 1, "the last group's pass ends");
  m.assign("layer_end", "pass_end & last_q");
  m.wire("seq_end", 1, "a layer ends with no layer loading or queued behind it");
  m.assign("seq_end", "layer_end & " + state_is(kIdle) + " & ~q_valid");
  // The layer's end reaches STATUS.done kSettle cycles later, when every counter has settled;
  // STATUS.busy stays high until then.
  m.reg("fin_pipe", kSettle, fmt::format("{{fin_pipe[{}:0], seq_end}}", kSettle - 2), "",
        lit(kSettle, 0), "the layer's end, travelling while the counters settle");
  // Not when a start was queued meanwhile: the run goes on (no done between its layers).
  m.reg("done_q", 1,
        fmt::format("(fin_pipe[{}] & ~busy & ~q_valid & ~qacc) | (done_q & ~accept & ~refuse)",
                    kSettle - 1),
        "", lit(1, 0));
}

}  // namespace escgen::top
