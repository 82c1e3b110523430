// The top's weight side (see accelerator_stages.h): the weight stream's basis beats (into every
// row's basis store, or through the basis buffer while a queued layer's basis waits for the rows)
// and the rows' items, weight_lanes rows at a time: the parameter item, then the coefficient
// beats of every chunk.
#include <fmt/format.h>

#include "blocks/regfile.h"
#include "design/accelerator_stages.h"
#include "netlist/expr.h"

namespace escgen::top {

using netlist::cat;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

namespace {

// A basis beat counter: the first tap of the next beat (tap, by bt) and, with bt > 1, the beat
// index; `adv` moves it on, `wtake` restarts it. Returns the index (beat address) and "this beat
// is the basis's last" (all of d*k*k taps).
std::pair<std::string, std::string> add_basis_counter(Module& m, const TopShape& s,
                                                      const std::string& tap,
                                                      const std::string& beat,
                                                      const std::string& adv, const char* tap_note,
                                                      const char* beat_note) {
  const int tb = s.tb, ab = s.ab, bt = s.bt;
  m.reg(tap, tb,
        fmt::format("wtake ? {0} : {1} ? {2} + {3} : {2}", lit(tb, 0), adv, tap,
                    lit(tb, static_cast<uint64_t>(bt))),
        "", lit(tb, 0), tap_note);
  if (bt > 1)
    m.reg(beat, ab,
          fmt::format("wtake ? {0} : {1} ? {2} + {3} : {2}", lit(ab, 0), adv, beat, lit(ab, 1)), "",
          lit(ab, 0), beat_note);
  return {bt > 1 ? beat : slice(tap, ab - 1, 0),
          fmt::format("(({} + {}) >= n_taps)", tap, lit(tb, static_cast<uint64_t>(bt)))};
}

}  // namespace

void add_basis_loading(Module& m, const TopShape& s) {
  m.wire("wgt_fire", 1);
  m.assign("s_wgt_tready", state_is(kBasis) + " | " + state_is(kRows));
  m.assign("wgt_fire", "s_wgt_tvalid & s_wgt_tready");
  m.wire("basis_done", 1, "the last basis beat is taken");
  const auto [bbeat_idx, bbeat_last] = add_basis_counter(
      m, s, "tap_q", "bbeat_q", fmt::format("({} & wgt_fire)", state_is(kBasis)),
      "first basis tap (j*k*k + p*k + q) of the next basis beat", "basis beat index");
  m.assign("basis_done", fmt::format("{} & wgt_fire & {}", state_is(kBasis), bbeat_last));
  // Basis buffer: a queued layer's basis, taken while the running layer's passes still read the
  // rows' basis stores, waits here (one entry per basis beat) and is written into them once
  // every row is idle in that layer's last pass (or no pass runs), one beat per cycle.
  m.reg("chain_q", 1, "take | (chain_q & ~wo_last)", "", lit(1, 0),
        "the loaded layer's basis goes through the basis buffer");
  m.wire("bbeat", s.ab, "index of the basis beat being taken");
  m.assign("bbeat", bbeat_idx);
  m.wire("wo_on", 1, "a buffered basis beat is written into the rows");
  m.assign("wo_on", fmt::format("chain_q & ~{} & (~run_q | (act_done_q & all_idle & ~start_rows))",
                                state_is(kBasis)));
  m.wire("wo_last", 1, "the buffer's last beat is written");
  const auto [wbeat_idx, wbeat_last] = add_basis_counter(
      m, s, "wtap_q", "wbeat_q", "wo_on", "first basis tap of the next buffered beat to write",
      "index of the next buffered beat to write");
  m.assign("wo_last", "wo_on & " + wbeat_last);
  m.wire("wbeat", s.ab);
  m.assign("wbeat", wbeat_idx);
  if (s.nbb > 1) {
    blocks::add_decoder(m, "bb_in_oh", "bbeat", s.nbb);
    blocks::add_decoder(m, "bb_out_oh", "wbeat", s.nbb);
  }
  const std::vector<std::string> bbuf = blocks::add_entries(
      m, "bbuf", s.nbb, s.bbw, fmt::format("{} & wgt_fire & chain_q", state_is(kBasis)), "bb_in_oh",
      slice("s_wgt_tdata", s.bbw - 1, 0));
  blocks::add_read_mux(m, "bbuf_out", bbuf, s.bbw, "bb_out_oh");
}

void add_row_loading(Module& m, const TopShape& s) {
  const int cb = s.cb, ccb = s.ccb, Q = s.Q;
  m.wire("row_fire", 1);
  m.assign("row_fire", state_is(kRows) + " & wgt_fire");
  m.reg("phase_q", 1, "row_fire ? (~phase_q | ~row_end) : phase_q", "", lit(1, 0),
        "0 the parameter item (bias, M, S), 1 coefficients");
  m.wire("coef_beat", 1);
  m.assign("coef_beat", "row_fire & phase_q");
  m.wire("c_end", 1);
  m.assign("c_end", fmt::format("{} == {}",
                                zext(fmt::format("(cc_q + {})", lit(ccb + 1, 1)), ccb + 1,
                                     std::max(ccb + 1, cb)),
                                zext("n_chunks", cb, std::max(ccb + 1, cb))));
  m.wire("row_end", 1, "the row's last coefficient beat");
  m.assign("row_end", "c_end");
  m.reg("cc_q", ccb,
        fmt::format("coef_beat ? (c_end ? {} : cc_q + {}) : cc_q", lit(ccb, 0), lit(ccb, 1)), "",
        lit(ccb, 0), "chunk of the next coefficient beat");
  // Rows load weight_lanes at a time (lane i of a beat: row rsel * weight_lanes + i).
  m.reg("rsel_q", Q,
        Q == 1 ? std::string("1'b1")
               : fmt::format("(wtake | rows_loaded) ? {} : (coef_beat & row_end) ? {} : rsel_q",
                             lit(Q, 1), cat({slice("rsel_q", Q - 2, 0), lit(1, 0)})),
        "", lit(Q, 1), s.L == 1 ? "row being loaded (one-hot)" : "rows being loaded (one-hot)");
  m.wire("last_row", 1);
  m.assign("last_row", Q == 1 ? std::string("1'b1") : netlist::bit("rsel_q", Q - 1));
  m.wire("rows_loaded", 1, "the last row's last beat is taken");
  m.assign("rows_loaded", "coef_beat & row_end & last_row");
}

}  // namespace escgen::top
