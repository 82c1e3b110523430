// Accelerator assembly from the configuration (see accelerator.h and docs/interface.md).
//
// Controller: a weight side and a run side.
// - Weight side `wst`: IDLE -> (start accepted) BASIS (ceil(d*k*k / basis_taps_per_beat) beats,
//   broadcast to every row's basis store) -> ROWS (per weight_lanes rows at once: the parameter
//   item (bias, M, S), then chunks coefficient beats, each with every basis of a chunk) -> HELD
//   (the group is loaded, its pass not started) -> ...
// - A group's pass starts (`go`) once it is loaded and no pass runs: the rows get `start`
//   (with weight_prefetch they copy their shadow weights then), the input stream opens for
//   h*w*C beats; the pass ends when every row is idle and the output register is empty.
// - With weight_prefetch the next group may go before the pass ends, once its input is taken and
//   every row's CA unit has taken it (rows: next_ok); each row's MAC unit starts that pass when it
//   finishes the previous one, so passes overlap in the rows.
// - On `go` the weight side moves on: to ROWS of the next group at once with weight_prefetch
//   (it loads while the pass runs), to WAIT (until the pass ends, then ROWS) without, or to
//   IDLE after the last group. The layer ends when its last group's passes have ended.
// - Queued layers: a start written while a layer runs waits in a one-entry queue (q_*); the
//   weight side takes it once the running layer's last group has gone, loading its basis into
//   the basis buffer and its first group into the rows' shadow registers while the last pass
//   runs; the buffer goes into the rows once they are idle, and the layer's first group goes
//   when the running layer has ended (docs/interface.md, "Queued layers").
#include "design/accelerator.h"

#include <fmt/format.h>

#include "blocks/regfile.h"
#include "blocks/sparsemap.h"
#include "design/axil_regs.h"
#include "design/perf_counter.h"
#include "design/row.h"
#include "design/tile.h"
#include "interface/regmap.h"
#include "netlist/expr.h"
#include "util/bits.h"

namespace escgen {

using netlist::cat;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

namespace {

// Weight-side states.
constexpr int kIdle = 0, kBasis = 1, kRows = 2, kHeld = 3, kWait = 4;
constexpr int kStateBits = 3;
// Cycles from the layer's last event to settled counters (event register, increment register,
// low half, carry into the high half) plus one.
constexpr int kSettle = 5;

std::string state_is(int s) {
  return fmt::format("(wst == {})", lit(kStateBits, static_cast<uint64_t>(s)));
}

// Sum of the bits of a declared n-bit net, `w` bits wide.
std::string popcount(const Module& m, const std::string& net, int n, int w) {
  std::vector<std::string> bits;
  for (int i = 0; i < n; ++i) bits.push_back(m.select(net, i));
  return netlist::bit_sum(bits, w);
}

void add_ports(Module& m, const Config& c) {
  const Derived& dv = c.derived;
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  add_axil_slave_ports(m);
  m.input("s_wgt_tvalid", 1);
  m.output("s_wgt_tready", 1);
  m.input("s_wgt_tdata", dv.wgt_bits, "weight stream (docs/interface.md)");
  m.input("s_act_tvalid", 1);
  m.output("s_act_tready", 1);
  m.input("s_act_tdata", dv.input_entry_bits, "SparseMap chunk: {packed values, mask}");
  m.output("m_out_tvalid", 1);
  m.input("m_out_tready", 1);
  m.output("m_out_tdata", dv.out_beat_bits, "one output pixel of every row of the group");
}

}  // namespace

netlist::Design build_accelerator(const Config& c) {
  const Derived& dv = c.derived;
  const int n = c.row_width, P = dv.rows, R = c.rows_per_tile, ob = dv.out_lane_bits;
  netlist::Design design;
  const std::string regs = build_axil_regs(design);
  const std::string dec =
      blocks::build_sparsemap_decoder(design, {.row_width = n, .act_bits = c.act_bits});
  const std::string tile = build_tile(design, c);
  const netlist::Module& tm = design.get(tile);
  auto tw = [&](const char* port) { return tm.find_port(port)->width; };
  const int kb = tw("k"), db = tw("d"), sb = tw("stride"), pb = tw("pad"), hb = tw("h"),
            wb = tw("w"), cb = tw("chunks"), ab = tw("basis_addr"), ccb = tw("coef_chunk");

  Module m("escgen_accelerator",
           fmt::format("ESCALATE accelerator: {} tiles x {} rows, row_width {}, {} CA lanes, {} "
                       "MACs per row",
                       c.tiles, R, n, c.ca_lanes, c.macs_per_row));
  add_ports(m, c);

  // --- registers ---
  int nshape = 0;
  const ShapeReg* shapes = shape_regs(&nshape);
  // Reset tree: rst_n is registered here (rst_a_q, to the tiles), in each tile and in each row,
  // so no net fans the reset out to a whole design; the top's own logic takes the same three
  // stages (rst_c_q) and every flop leaves reset on the same clock, three clocks after rst_n.
  m.reg("rst_a_q", 1, "rst_n", "", {}, "reset, stage 1 (to the tiles)");
  m.reg("rst_b_q", 1, "rst_a_q", "", {}, "reset, stage 2");
  m.reg("rst_c_q", 1, "rst_b_q", "", {}, "reset, stage 3 (the top's own logic)");
  m.set_clock("clk", "rst_c_q");
  std::vector<std::pair<std::string, std::string>> rc = {{"clk", "clk"}, {"rst_n", "rst_c_q"}};
  for (const std::string& p : axil_port_suffixes()) rc.emplace_back("s_axil_" + p, "s_axil_" + p);
  for (int i = 0; i < nshape; ++i) {
    m.wire(fmt::format("r_{}", shapes[i].name), 32);
    rc.emplace_back(fmt::format("reg_{}", shapes[i].name), fmt::format("r_{}", shapes[i].name));
  }
  m.wire("start_req", 1);
  m.wire("counters", kCounterCount * 32);
  rc.insert(rc.end(), {{"start", "start_req"},
                       {"busy", "status_busy"},
                       {"done", "done_q"},
                       {"queued", "q_valid"},
                       {"error", "error_q"},
                       {"error_code", "error_code_q"},
                       {"counters", "counters"}});
  m.instance(regs, "u_regs", std::move(rc));

  // --- limits check (on the full 32-bit register values) ---
  // Short paths: "r > max" is "any bit above max's width set, or the low bits > max"; the
  // window checks (h + 2 pad < k) run on the limits' widths only: they decide the code only when
  // every earlier check passed, i.e. when h <= max_h and pad < k <= max_k.
  auto over = [](const std::string& r, int64_t max) {
    const int b = std::min(32, bits_for(static_cast<uint64_t>(max)));
    const std::string net = "r_" + r;
    const std::string high =
        b >= 32 ? std::string("1'b0") : fmt::format("(|{})", slice(net, 31, b));
    if (max == (int64_t{1} << b) - 1) return fmt::format("(~(|{})) | {}", net, high);
    return fmt::format("(~(|{0})) | {1} | ({2} > {3})", net, high, slice(net, b - 1, 0),
                       lit(b, static_cast<uint64_t>(max)));
  };
  const int hwb = bits_for(static_cast<uint64_t>(std::max(c.max_h, c.max_w)));
  const int kpb = bits_for(static_cast<uint64_t>(c.max_k));
  const int wsum = std::max(hwb, kpb + 1) + 1;  // h + 2 pad without overflow
  auto window = [&](const char* r) {
    return fmt::format("({} + {}) < {}", zext(slice(fmt::format("r_{}", r), hwb - 1, 0), hwb, wsum),
                       zext(cat({slice("r_pad", kpb - 1, 0), lit(1, 0)}), kpb + 1, wsum),
                       zext(slice("r_k", kpb - 1, 0), kpb, wsum));
  };
  // pad >= k, decided only when k <= max_k passed (k below 2^kpb).
  const std::string pad_ge_k =
      fmt::format("{} | ({} >= {})",
                  kpb >= 32 ? std::string("1'b0") : fmt::format("(|{})", slice("r_pad", 31, kpb)),
                  slice("r_pad", kpb - 1, 0), slice("r_k", kpb - 1, 0));
  const std::vector<std::string> checks = {
      over("c_in", c.max_c_in),
      over("c_out", c.max_c_out),
      over("h", c.max_h),
      over("w", c.max_w),
      over("k", c.max_k),
      over("stride", c.max_stride),
      pad_ge_k,
      over("d", c.max_d),
      "(|r_mode[31:1])",
      window("h"),
      window("w"),
  };
  std::string code = lit(8, 0);
  for (int i = static_cast<int>(checks.size()) - 1; i >= 0; --i)
    code = fmt::format("({}) ? {} : {}", checks[static_cast<size_t>(i)],
                       lit(8, static_cast<uint64_t>(i + 1)), code);
  // Registered: a start (a later AXI write) always sees the checks of the current registers.
  m.reg("check_code", 8, code, "", lit(8, 0),
        "first failing limit check (0: the layer is accepted)");

  // --- controller state ---
  m.wire("busy", 1, "a layer is running (or a queued one loading)");
  m.assign("busy", "~" + state_is(kIdle) + " | run_q | start_rows");
  m.wire("status_busy", 1, "STATUS.busy: running, or the counters still settling");
  m.assign("status_busy", "busy | (|fin_pipe)");
  // CTRL.start: accepted at once with nothing running or settling; while a layer runs or its
  // counters settle it is queued (its fields and check taken now) and the weight side takes it
  // once the running layer's last group has gone (or that layer has ended): the run goes on. The
  // queue never meets a second start: the AXI slave answers SLVERR to a start while `queued`,
  // and a start reaches here two cycles after its write at the earliest, when q_valid is set.
  m.wire("accept", 1, "a start with nothing running or settling: a fresh run");
  m.assign("accept", "start_req & ~status_busy & (check_code == 8'd0)");
  m.wire("qacc", 1, "a start is queued behind the running (or settling) layer");
  m.assign("qacc", "start_req & status_busy & (check_code == 8'd0)");
  m.wire("refuse", 1);
  m.assign("refuse", "start_req & (check_code != 8'd0)");
  m.reg("q_valid", 1, "qacc | (q_valid & ~take)", "", lit(1, 0),
        "a start waits in the queue (STATUS.queued)");
  m.wire("take", 1, "the weight side takes the queued start (the run goes on)");
  m.assign("take", "q_valid & " + state_is(kIdle));
  m.wire("wtake", 1, "the weight side takes a layer");
  m.assign("wtake", "accept | take");
  m.reg("error_q", 1, "refuse | (error_q & ~accept & ~qacc)", "", lit(1, 0));
  m.reg("error_code_q", 8, "refuse ? check_code : (accept | qacc) ? 8'd0 : error_code_q", "",
        lit(8, 0));
  // Layer fields in three stages: q_* (the queued start's, taken at its CTRL write), n_* (the
  // layer the weight side loads, from the registers or the queue) and l_* (the layer whose passes
  // run: n_*'s at the layer's first go, so a queued layer's fields never reach a running one).
  const int cob = bits_for(static_cast<uint64_t>(c.max_c_out) + static_cast<uint64_t>(P));
  // Basis taps: bt per weight beat (basis_taps_per_beat): the basis takes ceil(d*k*k / bt) beats.
  const int bt = dv.basis_taps_per_beat;
  const int tb = bits_for(static_cast<uint64_t>(c.max_d) * c.max_k * c.max_k + bt);
  m.wire("taps_calc", tb, "d * k * k");
  m.assign("taps_calc", fmt::format("{} * {} * {}", zext(slice("r_d", db - 1, 0), db, tb),
                                    zext(slice("r_k", kb - 1, 0), kb, tb),
                                    zext(slice("r_k", kb - 1, 0), kb, tb)));
  struct Field {
    const char* name;
    int width;
    std::string src;  // from the shape registers
    bool run;         // used by the passes (l_*)
    const char* note;
  };
  const std::vector<Field> fields = {
      {"k", kb, slice("r_k", kb - 1, 0), true, ""},
      {"d", db, slice("r_d", db - 1, 0), true, ""},
      {"stride", sb, slice("r_stride", sb - 1, 0), true, ""},
      {"pad", pb, slice("r_pad", pb - 1, 0), true, ""},
      {"h", hb, slice("r_h", hb - 1, 0), true, ""},
      {"w", wb, slice("r_w", wb - 1, 0), true, ""},
      {"mode", 1, "r_mode[0]", true, ""},
      {"c_out", cob, slice("r_c_out", cob - 1, 0), false, ""},
      // ceil(c_in / row_width) = (c_in >> lane_bits) + (any of the low bits set)
      {"chunks", cb,
       fmt::format("{} + {}", slice("r_c_in", dv.lane_bits + cb - 1, dv.lane_bits),
                   zext(fmt::format("(|{})", slice("r_c_in", dv.lane_bits - 1, 0)), 1, cb)),
       true, "chunks per pixel"},
      {"taps", tb, "taps_calc", false, "basis taps d * k * k"},
  };
  for (const Field& f : fields) {
    m.reg(fmt::format("q_{}", f.name), f.width, f.src, "qacc", {}, f.note);
    m.reg(fmt::format("n_{}", f.name), f.width, fmt::format("q_valid ? q_{} : {}", f.name, f.src),
          "wtake", {}, f.note);
    if (f.run)
      m.reg(fmt::format("l_{}", f.name), f.width, fmt::format("n_{}", f.name), "first_go", {},
            f.note);
  }
  // A pass's input chunks, from the loaded layer's fields in two registered products (short
  // paths; a layer's first go comes at least three cycles after its fields, after the basis and
  // one group's rows, so both have settled), held for the passes from the first go.
  const int pcw = dv.pass_chunk_bits;
  m.reg("n_pixels", pcw, fmt::format("{} * {}", zext("n_h", hb, pcw), zext("n_w", wb, pcw)), "", {},
        "h * w");
  m.reg("n_pass_chunks", pcw, fmt::format("n_pixels * {}", zext("n_chunks", cb, pcw)), "", {},
        "h * w * chunks");
  m.reg("l_pass_chunks", pcw, "n_pass_chunks", "first_go", {}, "h * w * chunks");
  m.reg("lfirst_q", 1, "wtake | (lfirst_q & ~go)", "", lit(1, 0),
        "the loaded layer's first group has not gone yet");
  m.wire("first_go", 1, "a layer's first group goes: its fields become the passes'");
  m.assign("first_go", "go & lfirst_q");

  // Weight loading.
  m.wire("wgt_fire", 1);
  m.assign("s_wgt_tready", state_is(kBasis) + " | " + state_is(kRows));
  m.assign("wgt_fire", "s_wgt_tvalid & s_wgt_tready");
  // A basis beat counter: the first tap of the next beat (tap_q, by bt) and, with bt > 1, the
  // beat index; `adv` moves it on, `wtake` restarts it. Returns the index (beat address) and
  // "this beat is the basis's last" (all of d*k*k taps).
  auto basis_counter = [&](const std::string& tap, const std::string& beat, const std::string& adv,
                           const char* tap_note, const char* beat_note) {
    m.reg(tap, tb,
          fmt::format("wtake ? {0} : {1} ? {2} + {3} : {2}", lit(tb, 0), adv, tap,
                      lit(tb, static_cast<uint64_t>(bt))),
          "", lit(tb, 0), tap_note);
    if (bt > 1)
      m.reg(beat, ab,
            fmt::format("wtake ? {0} : {1} ? {2} + {3} : {2}", lit(ab, 0), adv, beat, lit(ab, 1)),
            "", lit(ab, 0), beat_note);
    return std::pair{bt > 1 ? beat : slice(tap, ab - 1, 0),
                     fmt::format("(({} + {}) >= n_taps)", tap, lit(tb, static_cast<uint64_t>(bt)))};
  };
  m.wire("basis_done", 1, "the last basis beat is taken");
  const auto [bbeat_idx, bbeat_last] =
      basis_counter("tap_q", "bbeat_q", fmt::format("({} & wgt_fire)", state_is(kBasis)),
                    "first basis tap (j*k*k + p*k + q) of the next basis beat", "basis beat index");
  m.assign("basis_done", fmt::format("{} & wgt_fire & {}", state_is(kBasis), bbeat_last));
  // Basis buffer: a queued layer's basis, taken while the running layer's passes still read the
  // rows' basis stores, waits here (one entry per basis beat) and is written into them once
  // every row is idle in that layer's last pass (or no pass runs), one beat per cycle.
  const int nbb =
      static_cast<int>((static_cast<int64_t>(c.max_d) * c.max_k * c.max_k + bt - 1) / bt);
  const int bbw = bt * c.basis_bits;
  m.reg("chain_q", 1, "take | (chain_q & ~wo_last)", "", lit(1, 0),
        "the loaded layer's basis goes through the basis buffer");
  m.wire("bbeat", ab, "index of the basis beat being taken");
  m.assign("bbeat", bbeat_idx);
  m.wire("wo_on", 1, "a buffered basis beat is written into the rows");
  m.assign("wo_on", fmt::format("chain_q & ~{} & (~run_q | (act_done_q & all_idle & ~start_rows))",
                                state_is(kBasis)));
  m.wire("wo_last", 1, "the buffer's last beat is written");
  const auto [wbeat_idx, wbeat_last] = basis_counter(
      "wtap_q", "wbeat_q", "wo_on", "first basis tap of the next buffered beat to write",
      "index of the next buffered beat to write");
  m.assign("wo_last", "wo_on & " + wbeat_last);
  m.wire("wbeat", ab);
  m.assign("wbeat", wbeat_idx);
  if (nbb > 1) {
    blocks::add_decoder(m, "bb_in_oh", "bbeat", nbb);
    blocks::add_decoder(m, "bb_out_oh", "wbeat", nbb);
  }
  const std::vector<std::string> bbuf = blocks::add_entries(
      m, "bbuf", nbb, bbw, fmt::format("{} & wgt_fire & chain_q", state_is(kBasis)), "bb_in_oh",
      slice("s_wgt_tdata", bbw - 1, 0));
  blocks::add_read_mux(m, "bbuf_out", bbuf, bbw, "bb_out_oh");
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
  const int L = c.weight_lanes, Q = P / L;
  m.reg("rsel_q", Q,
        Q == 1 ? std::string("1'b1")
               : fmt::format("(wtake | rows_loaded) ? {} : (coef_beat & row_end) ? {} : rsel_q",
                             lit(Q, 1), cat({slice("rsel_q", Q - 2, 0), lit(1, 0)})),
        "", lit(Q, 1), L == 1 ? "row being loaded (one-hot)" : "rows being loaded (one-hot)");
  m.wire("last_row", 1);
  m.assign("last_row", Q == 1 ? std::string("1'b1") : netlist::bit("rsel_q", Q - 1));
  m.wire("rows_loaded", 1, "the last row's last beat is taken");
  m.assign("rows_loaded", "coef_beat & row_end & last_row");

  // Starting a pass: the loaded group goes when no pass runs (or the running one ends now) or,
  // with weight_prefetch, as soon as the running pass's input is taken and every row is ready
  // for the next (next_ok: its CA unit has taken the pass, its MAC unit has started it), while
  // the MAC units and outputs of the running pass finish.
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
        fmt::format("wtake ? {} : go ? lbase_q + {} : lbase_q", lit(cob, 0),
                    lit(cob, static_cast<uint64_t>(P))),
        "", lit(cob, 0), "first output channel of the group loaded next");
  m.wire("more", 1, "a group follows the one that goes");
  m.assign("more", fmt::format("(lbase_q + {}) < n_c_out", lit(cob, static_cast<uint64_t>(P))));
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
  const auto st = [](int v) { return lit(kStateBits, static_cast<uint64_t>(v)); };
  m.wire("after_go", kStateBits, "the weight side's state after a go");
  m.assign("after_go",
           fmt::format("more ? {} : {}", st(c.weight_prefetch ? kRows : kWait), st(kIdle)));
  // After the basis: a queued layer without weight_prefetch waits for the running layer's end
  // (its rows' coefficient stores are in use), like a group between passes.
  m.wire("after_basis", kStateBits, "the weight side's state after the basis");
  m.assign("after_basis",
           c.weight_prefetch ? st(kRows) : fmt::format("run_q ? {} : {}", st(kWait), st(kRows)));
  m.reg(
      "wst", kStateBits,
      fmt::format("wtake ? {} : basis_done ? after_basis : go ? after_go : rows_loaded ? {} : ({} "
                  "& (pass_end | ~run_q)) ? {} : wst",
                  st(kBasis), st(kHeld), state_is(kWait), st(kRows)),
      "", st(kIdle),
      "weight side: 0 idle, 1 basis, 2 rows, 3 group held, 4 waiting for the pass to end");
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

  // Input: SparseMap decoder, broadcast to every tile's ring buffer.
  m.wire("dec_in_ready", 1);
  m.wire("dec_valid", 1);
  m.wire("dec_mask", n);
  m.wire("dec_data", n * c.act_bits);
  m.wire("rings_ready", 1, "every tile's ring buffer can take a chunk");
  m.assign("s_act_tready", "dec_in_ready & act_open");
  m.assign("act_fire", "s_act_tvalid & s_act_tready");
  m.instance(dec, "u_decoder",
             {{"clk", "clk"},
              {"rst_n", "rst_c_q"},
              {"in_valid", "s_act_tvalid & act_open"},
              {"in_ready", "dec_in_ready"},
              {"in_mask", slice("s_act_tdata", n - 1, 0)},
              {"in_data", slice("s_act_tdata", dv.input_entry_bits - 1, n)},
              {"out_valid", "dec_valid"},
              {"out_ready", "rings_ready"},
              {"out_mask", "dec_mask"},
              {"out_data", "dec_data"}});

  // Tiles.
  const int T = c.tiles;
  m.wire("ring_ready", T);
  m.assign("rings_ready", "&ring_ready");
  m.wire("row_valid", P);
  m.wire("row_data", P * ob);
  const std::vector<const char*> row_outs = row_status_outputs(c);
  for (const char* p : row_outs) m.wire(fmt::format("row_{}", p), P);
  m.assign("all_idle", "&row_idle");
  if (c.weight_prefetch != 0) {
    m.wire("all_next", 1, "every row may start the next pass");
    m.assign("all_next", "&row_next_ok");
  }
  m.wire("pop", 1, "the collector takes every row's output head");
  for (int t = 0; t < T; ++t) {
    auto rows_of = [&](const std::string& net) {
      return P == 1 ? net : slice(net, t * R + R - 1, t * R);
    };
    // The tile's rows' load selects: row t*R + i is in lane group (t*R + i) / L.
    auto row_sel = [&]() {
      if (L == 1) return rows_of("rsel_q");
      std::vector<std::string> bits;
      for (int i = R - 1; i >= 0; --i)
        bits.push_back(Q == 1 ? std::string("rsel_q") : netlist::bit("rsel_q", (t * R + i) / L));
      return cat(bits);
    };
    // Lane i of every weight beat, `bits` wide from the lane's low bit.
    auto lanes_of = [&](int bits) {
      if (L == 1) return slice("s_wgt_tdata", bits - 1, 0);
      std::vector<std::string> parts;
      for (int i = L - 1; i >= 0; --i)
        parts.push_back(
            slice("s_wgt_tdata", i * dv.wgt_lane_bits + bits - 1, i * dv.wgt_lane_bits));
      return cat(parts);
    };
    std::vector<std::pair<std::string, std::string>> tc = {
        {"clk", "clk"},
        {"rst_n", "rst_a_q"},
        {"chunks", "l_chunks"},
        {"d", "l_d"},
        {"k", "l_k"},
        {"stride", "l_stride"},
        {"pad", "l_pad"},
        {"h", "l_h"},
        {"w", "l_w"},
        {"mode", "l_mode"},
        {"start", "start_rows"},
        {"pass_chunks", "l_pass_chunks"},
        {"basis_we", fmt::format("({} & wgt_fire & ~chain_q) | wo_on", state_is(kBasis))},
        {"basis_addr", "wo_on ? wbeat : bbeat"},
        {"basis_data", fmt::format("wo_on ? bbuf_out : {}", slice("s_wgt_tdata", bbw - 1, 0))},
        {"coef_chunk", "cc_q"},
        {"coef_data", lanes_of(c.max_d * 2 * n)},
        {"param_data", lanes_of(dv.param_bits)},
        {"coef_we", row_sel() + fmt::format(" & {{{}{{coef_beat}}}}", R)},
        {"param_we", row_sel() + fmt::format(" & {{{}{{row_fire & ~phase_q}}}}", R)},
        {"in_valid", "dec_valid & rings_ready"},
        {"in_ready", T == 1 ? std::string("ring_ready") : netlist::bit("ring_ready", t)},
        {"in_data", "{dec_data, dec_mask}"},
        {"out_valid", rows_of("row_valid")},
        {"out_ready", "pop"},
        {"out_data", slice("row_data", (t + 1) * R * ob - 1, t * R * ob)},
    };
    for (const char* p : row_outs) tc.emplace_back(p, rows_of(fmt::format("row_{}", p)));
    m.instance(tile, fmt::format("u_tile{}", t), std::move(tc));
  }

  // Output collector: one beat when every row has its next output.
  m.assign("pop", "(&row_valid) & (~out_valid_q | m_out_tready)");
  m.reg("out_valid_q", 1, "pop | (out_valid_q & ~m_out_tready)", "", lit(1, 0));
  m.reg("out_data_q", P * ob, "row_data", "pop");
  m.assign("m_out_tvalid", "out_valid_q");
  m.assign("m_out_tdata", "out_data_q");

  // Performance counters (escgen_perf_counter: pipelined, saturating at 2^32 - 1), cleared by an
  // accepted start. The rows' events are registered here first, so no counter adder sits behind
  // a row's logic; STATUS.done rises only once every counter has settled (fin_pipe).
  const int pcb = bits_for(static_cast<uint64_t>(P));
  const std::string counter = build_perf_counter(design, pcb);
  for (const char* ev : {"ca_issue", "ca_stall", "mac_issue", "mac_stall"})
    m.reg(fmt::format("ev_{}_q", ev), P, fmt::format("row_stat_{}", ev), "", lit(P, 0),
          fmt::format("rows' {} events, registered", ev));
  const std::vector<std::pair<const char*, std::string>> counters = {
      {"cycles", zext("busy", 1, pcb)},
      {"ca_busy", popcount(m, "ev_ca_issue_q", P, pcb)},
      {"ca_stall", popcount(m, "ev_ca_stall_q", P, pcb)},
      {"mac_busy", popcount(m, "ev_mac_issue_q", P, pcb)},
      {"mac_stall", popcount(m, "ev_mac_stall_q", P, pcb)},
      {"inbuf_full", zext("(dec_valid & ~rings_ready)", 1, pcb)},
      {"out_stall", zext("(out_valid_q & ~m_out_tready)", 1, pcb)},
      {"load_cycles", zext("(" + state_is(kBasis) + " | " + state_is(kRows) + ")", 1, pcb)},
  };
  std::vector<std::string> cnt;
  for (const auto& [name, inc] : counters) {
    const std::string q = fmt::format("cnt_{}", name);
    m.wire(q, 32);
    m.instance(
        counter, fmt::format("u_cnt_{}", name),
        {{"clk", "clk"}, {"rst_n", "rst_c_q"}, {"clear", "accept"}, {"inc", inc}, {"value", q}});
    cnt.insert(cnt.begin(), q);
  }
  m.assign("counters", cat(cnt));
  design.add(std::move(m));
  design.set_top("escgen_accelerator");
  design.check();
  return design;
}

}  // namespace escgen
