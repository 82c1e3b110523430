// MAC unit control (see mac_unit_shape.h): the input pointer and line-buffer writes with the
// registered in_ready, the lane-offset chain, and the output pointer with readiness and issue.
//
// Coordinates are *padded*: input pixel (y, x) is at (y + pad, x + pad); output (u, v) reads the
// window rows u*s .. u*s+k-1, columns v*s .. v*s+k-1 (top-left corner (ro, co) = (u*s, v*s)).
// Consecutive padded rows live in consecutive line-buffer slots (mod max_k); the rows of a
// layer's consecutive passes continue the sequence, so with `next` (a started pass of the same
// layer waits for the unit) the next pass's pixels enter while this pass finishes: its data row i
// replaces this pass's data row h + i - max_k, once no window of this pass still reads it.
//
//   k = 3, pad = 1, s = 1: output (0, 0) (window rows/cols 0..2) may start once padded pixel
//   (2, 2) = input (1, 1) has arrived; input row 3 (padded 4) may overwrite slot 1 (padded row 1)
//   at column x once the output pointer is past padded (1, x + 1) in raster order.
#include <algorithm>

#include <fmt/format.h>

#include "blocks/mac_unit_shape.h"
#include "blocks/regfile.h"
#include "netlist/expr.h"
#include "util/bits.h"

namespace escgen::blocks::mac_detail {

using netlist::bit;
using netlist::cat;
using netlist::lane;
using netlist::lit;
using netlist::Module;
using netlist::resize;
using netlist::slice;
using netlist::zext;

namespace {

// Input pointer: padded row yi and column x of the next input pixel, and whether the pointer is
// ahead (in the next pass, this pass's input complete).
void add_input_pointer(Module& m, const Shape& s) {
  m.wire("in_fire", 1);
  m.assign("in_fire", "in_valid & in_ready_q");
  m.wire("x1", s.xw, "x + 1 (when not at the row's end, below w)");
  m.wire("x_wrap", 1, "last pixel of the row");
  m.wire("x_adv", s.xw);
  m.wire("yi_adv", s.rw);
  m.wire("x_next", s.xw);
  m.wire("yi_next", s.rw);
  m.assign("x1", fmt::format("x_q + {}", lit(s.xw, 1)));
  m.assign("x_wrap", fmt::format("{} == wm1_q", zext("x_q", s.xw, s.wb)));
  m.assign("x_adv", fmt::format("in_fire ? (x_wrap ? {} : x1) : x_q", lit(s.xw, 0)));
  m.assign("yi_adv", fmt::format("(in_fire & x_wrap) ? yi_q + {} : yi_q", lit(s.rw, 1)));
  // The pointer moves on to the next pass (ahead) once this pass's input is complete and a
  // started pass of the same layer waits (`next`); the next start then keeps it.
  m.wire("in_end", 1, "the pointer's pass has all its input");
  m.assign("in_end", "yi_q == hp");
  m.wire("ahead_set_run", 1, "ahead_set without a start");
  m.assign("ahead_set_run", "next & in_end & ~ahead_q");
  m.wire("ahead_set", 1, "the pointer moves on to the waiting pass");
  m.assign("ahead_set", "ahead_set_run & ~start_acc");
  m.wire("ahead_next", 1);
  m.assign("ahead_next", "~start_acc & (ahead_q | ahead_set)");
  m.reg("ahead_q", 1, "ahead_next", "", lit(1, 0),
        "the input pointer is in the next pass (this pass's input complete)");
  m.wire("restart", 1, "a start that resets the input pointer");
  m.assign("restart", "start_acc & ~ahead_q");
  m.assign("x_next", fmt::format("restart ? {} : x_adv", lit(s.xw, 0)));
  m.wire("pad_y", s.pab, "pad of the pass the pointer moves to");
  m.assign("pad_y", "restart ? pad : pad_q");
  m.assign("yi_next",
           fmt::format("(restart | ahead_set) ? {} : yi_adv", zext("pad_y", s.pab, s.rw)));
  m.reg("x_q", s.xw, "x_next", "", lit(s.xw, 0), "next input column");
  // The padded column x + pad kept in a register next to x (pad_q loads at a start): in_ready's
  // check starts at registers.
  m.reg("xp_q", s.cw,
        fmt::format("{} + {}", zext("x_next", s.xw, s.cw),
                    zext("(start_acc ? pad : pad_q)", s.pab, s.cw)),
        "", {}, "x_q + pad_c");
  m.reg("yi_q", s.rw, "yi_next", "", lit(s.rw, 0), "next input row (padded)");
  m.wire("in_done", 1, "every input pixel of the pass taken");
  m.assign("in_done", "in_end | ahead_q");
}

// Z line buffer writes. Write select: slot (row) x column one-hot. The slot only advances (rows
// of consecutive passes in consecutive slots); the read side's first slot is set from it at the
// start.
void add_line_buffer(Module& m, const Shape& s) {
  std::string slot_oh, col_oh;
  if (s.K > 1) {
    m.reg("wslot_q", s.sl,
          fmt::format("(in_fire & x_wrap) ? {} : wslot_q",
                      "(" + wrap_increment("wslot_q", s.K) + ")"),
          "", lit(s.sl, 0), "line-buffer slot of row yi");
    m.reg("base_q", s.sl, "wslot_q", "ahead_set", lit(s.sl, 0),
          "slot of the waiting pass's first input row (while ahead)");
    add_decoder(m, "wslot_oh", "wslot_q", s.K);
    slot_oh = "wslot_oh";
  }
  if (s.W > 1) {
    add_decoder(m, "x_oh", "x_q", s.W);
    col_oh = "x_oh";
  }
  const int entries = s.K * s.W;
  if (entries > 1) {
    m.wire("wsel", entries, "one-hot pixel written");
    for (int r = 0; r < s.K; ++r) {
      std::string expr = slot_oh.empty() ? col_oh
                         : col_oh.empty()
                             ? bit(slot_oh, r)
                             : fmt::format("{{{}{{{}}}}} & {}", s.W, bit(slot_oh, r), col_oh);
      m.assign(lane("wsel", r, s.W), expr);
    }
  }
  const auto pixels = add_entries(m, "zbuf", entries, s.D * s.ZB, "in_fire", "wsel", "in_z");
  m.wire("zbuf_all", entries * s.D * s.ZB, "the line buffer, pixel (slot, x) at slot*max_w + x");
  m.assign("zbuf_all", cat(std::vector<std::string>(pixels.rbegin(), pixels.rend())));
}

// in_ready (registered): the next pixel's slot is free when no pending output reads the row it
// replaces (padded row yi - K, same column): the output pointer's window start (ro, co) is past
// it in raster order, or every output has been issued. Ahead, the row it replaces is this
// pass's padded row h + yi - K.
//
// Two late signals select at the end instead of feeding the adders and compares: `adv` (window
// arrived -> issue -> last taps), for which the pointer held (`_hold`) and advanced (`_step`)
// are both checked, and `start_acc` (a start may come with `finishing`), for which the check
// is made for the pass running on (`_run`: no start) and a start's value is simple: a restart
// makes room (the pointer goes back to the pass's first row); a start with the pointer ahead
// keeps it, and the new pass's window is at (0, 0) with nothing issued.
void add_in_ready(Module& m, const Shape& s) {
  m.wire("yi_run", s.rw, "yi_next without a start");
  m.assign("yi_run", fmt::format("ahead_set_run ? {} : yi_adv", zext("pad_q", s.pab, s.rw)));
  m.wire("xi_run", s.cw, "padded column of the next pixel (no restart)");
  m.assign("xi_run", fmt::format("in_fire ? (x_wrap ? pad_c : xp_q + {}) : xp_q", lit(s.cw, 1)));
  const int ew = s.rw + 1;
  m.wire("yh_run", ew, "h + yi: this pass's padded row the next pass's row yi replaces, + K");
  m.assign("yh_run", fmt::format("{} + {}", zext("h_q", s.hb, ew), zext("yi_run", s.rw, ew)));
  const std::string kr = lit(s.rw, static_cast<uint64_t>(s.K));
  for (const std::string sfx : {"_hold", "_step"}) {
    const bool step = sfx == "_step";
    const std::string rk = "rk" + sfx, ro = step ? "ro_step" : "ro_q",
                      co = step ? "co_step" : "co_q", all = step ? "out_all_step" : "out_all_q";
    m.wire(rk, s.rw, "ro + max_k");
    m.assign(rk, fmt::format("{} + {}", ro, kr));
    m.wire("safe" + sfx, 1, "the next pixel's slot is free (pass's own rows)");
    m.assign("safe" + sfx,
             fmt::format("{0} | ({1} > yi_run) | (({1} == yi_run) & ({2} > xi_run))", all, rk, co));
    m.wire("esafe" + sfx, 1, "the next pixel's slot is free (ahead: the next pass's rows)");
    m.assign("esafe" + sfx, fmt::format("{0} | ({1} > yh_run) | (({1} == yh_run) & ({2} > xi_run))",
                                        all, zext(rk, s.rw, ew), co));
  }
  m.wire("safe_run", 1);
  m.wire("esafe_run", 1);
  m.assign("safe_run", "adv ? safe_step : safe_hold");
  m.assign("esafe_run", "adv ? esafe_step : esafe_hold");
  m.wire("in_ready_run", 1, "in_ready's next value without a start");
  m.assign("in_ready_run",
           "(yi_run != hp) & ((ahead_q | ahead_set_run) ? esafe_run : (busy_q & safe_run))");
  m.wire("in_ready_start", 1, "in_ready's next value with a start");
  m.assign("in_ready_start", fmt::format("~ahead_q | ((yi_adv != hp) & ({} > yi_adv))", kr));
  m.reg("in_ready_q", 1, "start_acc ? in_ready_start : in_ready_run", "", lit(1, 0));
  m.assign("in_ready", "in_ready_q");
}

}  // namespace

// Input side: pointer (padded row yi, column x, slot), Z line buffer writes, in_ready.
void add_input_side(Module& m, const Shape& s) {
  add_input_pointer(m, s);
  add_line_buffer(m, s);
  add_in_ready(m, s);
}

// Lane offsets off_m = coordinates of flat tap m (m = 1..macs; off_macs is the per-cycle step),
// a chain of registers off_m <= off_{m-1} + 1 that settles `macs` cycles after k changes.
void add_offsets(Module& m, const Shape& s, const std::string& tap_add) {
  for (int i = 1; i <= s.M; ++i) {
    const Coords prev = i == 1 ? Coords{lit(s.jb, 0), lit(s.kb, 0), lit(s.kb, 0)} : offset(i - 1);
    const Coords inc{fmt::format("incj_{}", i), fmt::format("incp_{}", i),
                     fmt::format("incq_{}", i)};
    add_tap_sum(m, s, tap_add, fmt::format("u_inc{}", i), prev,
                {lit(s.jb, 0), lit(s.kb, 0), lit(s.kb, 1)}, inc);
    const Coords off = offset(i);
    m.reg(off.j, s.jb, inc.j, "", {}, fmt::format("coordinates of tap {}", i));
    m.reg(off.p, s.kb, inc.p);
    m.reg(off.q, s.kb, inc.q);
  }
  // The offsets depend on k only: a start with the k they were computed for (a layer's next
  // pass) needs no setup cycles.
  const std::string sb = lit(s.setup_bits, 0);
  m.wire("offs_same", 1, "the lane offsets are valid for the starting pass's k");
  m.assign("offs_same", "offs_ok_q & (k == k_q)");
  m.reg("setup_q", s.setup_bits,
        fmt::format("start_acc ? (offs_same ? {} : {}) : (setup_q != {}) ? setup_q - {} : setup_q",
                    sb, lit(s.setup_bits, static_cast<uint64_t>(mac_unit_setup_cycles(s.M))), sb,
                    lit(s.setup_bits, 1)),
        "", sb, "cycles until the lane offsets are valid");
  m.reg("offs_ok_q", 1, "start_acc ? offs_same : (offs_ok_q | run)", "", lit(1, 0),
        "the lane offsets are valid for k_q");
  m.wire("run", 1, "layer running, lane offsets valid");
  m.assign("run", fmt::format("busy_q & (setup_q == {})", sb));
}

namespace {

// The tap base of the next cycle and whether this cycle takes the output's last taps.
void add_next_base(Module& m, const Shape& s, const std::string& tap_add) {
  // Next base = base + step (lane macs); the output ends when its j reaches d. The next base is
  // kept in registers (n*_q = base + step, advanced by the step at each issue) so `last` is one
  // compare after a register; an idle unit's base is 0, so its next base is the step itself.
  const Coords step = offset(s.M);
  const Coords nreg{"nj_q", "np_q", "nq_q"}, nn{"nnj", "nnp", "nnq"};
  m.wire("nj", s.jb, "tap base of the next cycle");
  m.wire("np", s.kb);
  m.wire("nq", s.kb);
  m.assign("nj", fmt::format("in_out_q ? {} : {}", nreg.j, step.j));
  m.assign("np", fmt::format("in_out_q ? {} : {}", nreg.p, step.p));
  m.assign("nq", fmt::format("in_out_q ? {} : {}", nreg.q, step.q));
  add_tap_sum(m, s, tap_add, "u_step", {"nj", "np", "nq"}, step, nn);
  m.reg(nreg.j, s.jb, nn.j, "issue", {}, "base + step while an output is in progress");
  m.reg(nreg.p, s.kb, nn.p, "issue");
  m.reg(nreg.q, s.kb, nn.q, "issue");
  m.wire("d_j", s.jb);
  m.assign("d_j", zext("d_q", s.db, s.jb));
  m.wire("last", 1, "this cycle takes the output's last taps");
  m.assign("last", "nj >= d_j");
}

// Readiness (the window's last pixel has arrived), issue, and the tap base and cycle of the
// output in progress.
void add_issue_control(Module& m, const Shape& s) {
  m.wire("rk", s.rw, "ro + k: first padded row after the window");
  m.wire("ck", s.cw, "co + k");
  m.wire("xi", s.cw, "padded column of the next input pixel");
  m.wire("ready_in", 1, "the window's last pixel has arrived (or the input is complete)");
  // ro + k and co + k kept in registers next to ro and co (from the ports at the start, when the
  // window is at 0): the window-arrived check starts at registers.
  m.reg("rk_q", s.rw, fmt::format("start_acc ? {} : ro_run + k_r", zext("k", s.kb, s.rw)), "", {});
  m.reg("ck_q", s.cw, fmt::format("start_acc ? {} : co_run + k_c", zext("k", s.kb, s.cw)), "", {});
  m.assign("rk", "rk_q");
  m.assign("ck", "ck_q");
  m.assign("xi", "xp_q");
  m.assign("ready_in",
           fmt::format("in_done | (yi_q >= rk) | ((yi_q + {} == rk) & (xi >= ck))", lit(s.rw, 1)));
  m.wire("start_out", 1);
  m.wire("issue", 1, "lanes take taps this cycle");
  m.assign("stat_issue", "issue");
  m.wire("adv", 1, "output's last cycle: advance the pointer");
  m.assign("start_out", "run & ~in_out_q & ~out_all_q & ready_in");
  m.assign("issue", "~stall & (in_out_q | start_out)");
  m.assign("adv", "issue & last");

  m.reg("in_out_q", 1, "issue ? ~last : in_out_q", "", lit(1, 0), "an output is in progress");
  m.reg("bj_q", s.jb, fmt::format("adv ? {} : issue ? nj : bj_q", lit(s.jb, 0)), "", lit(s.jb, 0),
        "tap base of the output in progress");
  m.reg("bp_q", s.kb, fmt::format("adv ? {} : issue ? np : bp_q", lit(s.kb, 0)), "", lit(s.kb, 0));
  m.reg("bq_q", s.kb, fmt::format("adv ? {} : issue ? nq : bq_q", lit(s.kb, 0)), "", lit(s.kb, 0));
  if (s.nc > 1) {
    m.reg("c_q", s.cl, fmt::format("adv ? {} : issue ? c_q + {} : c_q", lit(s.cl, 0), lit(s.cl, 1)),
          "", lit(s.cl, 0), "cycle within the output (basis bank)");
    add_decoder(m, "c_oh", "c_q", s.nc);
  }
}

// The window pointer (ro, co): its advance at an output's last cycle, the `_step` and `_run`
// values in_ready's check uses, and the window's first input column.
void add_window_pointer(Module& m, const Shape& s) {
  m.wire("co_adv", s.cw);
  m.wire("ro_adv", s.rw);
  m.wire("row_end", 1, "the next column window leaves the padded width");
  m.wire("last_row", 1, "the next row window leaves the padded height");
  m.wire("co_next", s.cw);
  m.wire("ro_next", s.rw);
  m.wire("out_all_next", 1);
  m.assign("co_adv", fmt::format("co_q + {}", zext("s_q", s.sb, s.cw)));
  m.assign("ro_adv", fmt::format("ro_q + {}", zext("s_q", s.sb, s.rw)));
  m.assign("row_end", "co_q + sk_c > w2p");
  m.assign("last_row", "ro_q + sk_r > h2p");
  // The next pointer if the output in progress ends this cycle (`_step`); `_run` without a
  // start (in_ready's check and rk/ck use them: a start selects its own value at the end).
  m.wire("co_step", s.cw);
  m.wire("ro_step", s.rw);
  m.wire("out_all_step", 1);
  m.wire("co_run", s.cw);
  m.wire("ro_run", s.rw);
  m.assign("co_step", fmt::format("row_end ? {} : co_adv", lit(s.cw, 0)));
  m.assign("ro_step", "row_end ? ro_adv : ro_q");
  m.assign("out_all_step", "(row_end & last_row) | out_all_q");
  m.assign("co_run", "adv ? co_step : co_q");
  m.assign("ro_run", "adv ? ro_step : ro_q");
  m.assign("co_next", fmt::format("start_acc ? {} : co_run", lit(s.cw, 0)));
  m.assign("ro_next", fmt::format("start_acc ? {} : ro_run", lit(s.rw, 0)));
  m.wire("adv_end", 1, "the layer's last output's last cycle issues");
  m.assign("adv_end", "adv & row_end & last_row");
  m.assign("out_all_next", "~start_acc & (adv ? out_all_step : out_all_q)");
  m.reg("co_q", s.cw, "co_next", "", lit(s.cw, 0), "window column of the next output (padded)");
  if (s.W > 1) {
    // The window's first input column (co - pad, modulo the column index range) kept alongside
    // co_q, so a lane's input column is one add (cx + q), not co + q then - pad, before the Z
    // read multiplexer.
    m.wire("pad_x", s.xl, "pad on the column index bits");
    m.assign("pad_x", resize("pad_q", s.pab, s.xl));
    m.wire("cx_adv", s.xl);
    m.assign("cx_adv", fmt::format("cx_q + {}", resize("s_q", s.sb, s.xl)));
    m.reg("cx_q", s.xl,
          fmt::format("start_acc ? {0} - {1} : adv ? (row_end ? {0} - pad_x : cx_adv) : cx_q",
                      lit(s.xl, 0), resize("pad", s.pab, s.xl)),
          "", lit(s.xl, 0), "input column of the window's first column (co_q - pad)");
  }
  m.reg("ro_q", s.rw, "ro_next", "", lit(s.rw, 0), "window row of the next output (padded)");
  m.reg("out_all_q", 1, "out_all_next", "", lit(1, 0), "every output issued");
}

// The line-buffer slot of window row ro (max_k > 1).
void add_read_slot(Module& m, const Shape& s) {
  // (rslot + s) mod K: s <= max_stride, so a few conditional subtractions; the last one
  // yields the low sl bits only (the result is < K).
  const int w = bits_for(static_cast<uint64_t>(s.K - 1 + s.S));
  const std::string kw = lit(w, static_cast<uint64_t>(s.K));
  m.wire("rslot_sum0", w, "rslot + stride");
  m.assign("rslot_sum0", fmt::format("{} + {}", zext("rslot_q", s.sl, w), zext("s_q", s.sb, w)));
  int max = s.K - 1 + s.S, i = 0;
  for (; max >= 2 * s.K; ++i, max -= s.K) {
    const std::string cur = fmt::format("rslot_sum{}", i);
    const std::string nxt = fmt::format("rslot_sum{}", i + 1);
    m.wire(nxt, w);
    m.assign(nxt, fmt::format("({} >= {}) ? {} - {} : {}", cur, kw, cur, kw, cur));
  }
  m.wire("rslot_adv", s.sl);
  m.assign("rslot_adv", mod_once(fmt::format("rslot_sum{}", i), w, s.K, s.sl));
  // At the start: the slot of padded row 0, pad rows before the pass's first input row (in
  // wslot_q, or base_q when the pointer is already ahead).
  const int bw = std::max(s.sl, s.pab) + 1;
  m.wire("first_slot", s.sl, "slot of the starting pass's first input row");
  m.assign("first_slot", "ahead_q ? base_q : wslot_q");
  m.wire("rslot_sum_start", bw, "first input row's slot + max_k - pad");
  m.assign("rslot_sum_start",
           fmt::format("{} + {} - {}", zext("first_slot", s.sl, bw),
                       lit(bw, static_cast<uint64_t>(s.K)), zext("pad", s.pab, bw)));
  m.wire("rslot_start", s.sl);
  m.assign("rslot_start", mod_once("rslot_sum_start", bw, s.K, s.sl));
  m.reg("rslot_q", s.sl, "start_acc ? rslot_start : (adv & row_end) ? rslot_adv : rslot_q", "",
        lit(s.sl, 0), "slot of window row ro");
}

}  // namespace

// Output side: window pointer (ro, co) and its slot, readiness, the tap base of the output in
// progress, issue, and the pointer's advance.
void add_issue(Module& m, const Shape& s, const std::string& tap_add) {
  add_next_base(m, s, tap_add);
  add_issue_control(m, s);
  add_window_pointer(m, s);
  if (s.K > 1) add_read_slot(m, s);
}

}  // namespace escgen::blocks::mac_detail
