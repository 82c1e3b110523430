// Row assembly (see row.h).
#include "design/row.h"

#include <fmt/format.h>

#include "blocks/ca_unit.h"
#include "blocks/mac_unit.h"
#include "blocks/mac_unit_parts.h"
#include "blocks/requant.h"
#include "blocks/stream.h"
#include "netlist/expr.h"
#include "util/bits.h"

namespace escgen {

std::vector<const char*> row_status_outputs(const Config& c) {
  std::vector<const char*> outs = {"idle", "stat_ca_issue", "stat_ca_stall", "stat_mac_issue",
                                   "stat_mac_stall"};
  if (c.weight_prefetch != 0) outs.push_back("next_ok");
  return outs;
}

using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

std::string build_row(netlist::Design& design, const Config& c) {
  const Derived& dv = c.derived;
  const bool pf = c.weight_prefetch != 0;
  const int n = c.row_width, b = c.act_bits;
  const std::string ca = blocks::build_ca_unit(design, {.row_width = n,
                                                        .act_bits = b,
                                                        .max_d = c.max_d,
                                                        .chunks_max = dv.chunks_max,
                                                        .lanes = c.ca_lanes,
                                                        .lookahead = c.lookahead_depth,
                                                        .lookaside = c.lookaside_distance,
                                                        .z_bits = dv.z_bits,
                                                        .issue = c.ca_issue_width,
                                                        .prefetch = pf,
                                                        .gather_lanes = c.gather_lanes});
  const int zvec = c.max_d * dv.z_bits;
  const std::string zfifo = blocks::build_fifo(
      design, {.depth = c.z_fifo_depth, .data_bits = zvec, .with_status = false});
  const std::string mac = blocks::build_mac_unit(design, {.max_k = c.max_k,
                                                          .max_d = c.max_d,
                                                          .max_w = c.max_w,
                                                          .max_h = c.max_h,
                                                          .max_stride = c.max_stride,
                                                          .z_bits = dv.z_bits,
                                                          .basis_bits = c.basis_bits,
                                                          .acc_bits = dv.conv_bits,
                                                          .macs = c.macs_per_row,
                                                          .basis_lanes = dv.basis_taps_per_beat,
                                                          .last_out = pf});
  const blocks::RequantParams rq{
      .acc_bits = dv.conv_bits, .bias_bits = 32, .mult_bits = c.mult_bits, .act_bits = b};
  const std::string requant = blocks::build_requant(design, rq);
  const int rq_bits = blocks::requant_out_bits(rq), ob = dv.out_lane_bits;
  const std::string ofifo = blocks::build_fifo(
      design, {.depth = c.out_fifo_depth, .data_bits = ob, .with_status = false});
  const netlist::Module& mm = design.get(mac);
  auto mw = [&](const char* port) { return mm.find_port(port)->width; };

  Module m("escgen_row", fmt::format("row: CA unit, Z queue ({}), MAC unit ({} multipliers), "
                                     "requantisation, output queue ({})",
                                     c.z_fifo_depth, c.macs_per_row, c.out_fifo_depth));
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("chunks", bits_for(static_cast<uint64_t>(dv.chunks_max)), "chunks per pixel");
  m.input("d", mw("d"), "bases");
  m.input("k", mw("k"), "kernel size");
  m.input("stride", mw("stride"));
  m.input("pad", mw("pad"));
  m.input("h", mw("h"));
  m.input("w", mw("w"));
  m.input("mode", 1, "1: requant_relu, 0: raw");
  m.input("start", 1, "begin a pass (pulse)");
  m.input("pass_chunks", dv.pass_chunk_bits, "input chunks of a pass: h * w * chunks");
  m.input("basis_we", 1);
  m.input("basis_addr", mw("basis_addr"));
  m.input("basis_data", mw("basis_data"), "basis_taps_per_beat taps");
  m.input("coef_we", 1);
  m.input("coef_chunk", design.get(ca).find_port("coef_chunk")->width);
  m.input("coef_data", c.max_d * 2 * n, "one chunk, every basis: {sign mask, non-zero mask} each");
  m.input("param_we", 1);
  m.input("param_data", dv.param_bits, "{S, M, bias}");
  m.input("in_valid", 1);
  m.output("in_ready", 1);
  m.input("in_data", dv.input_entry_bits, "{dense chunk, mask}");
  m.output("out_valid", 1);
  m.input("out_ready", 1);
  m.output("out_data", ob);
  m.output("idle", 1, "registered: every pass is finished and drained");
  if (pf)
    m.output("next_ok", 1,
             "registered: the CA unit has taken its pass and the MAC unit has its parameters "
             "(the next pass may start)");
  m.output("stat_ca_issue", 1);
  m.output("stat_ca_stall", 1);
  m.output("stat_mac_issue", 1);
  m.output("stat_mac_stall", 1);
  // Reset tree (see accelerator.cpp): the row's stage; its own logic and blocks use rst_q.
  m.reg("rst_q", 1, "rst_n", "", {}, "reset, stage 3");
  m.set_clock("clk", "rst_q");

  // Pass control. The CA unit takes exactly its pass's pass_chunks input chunks (armed_q), so
  // the next pass's input may already wait in the ring buffer; its coefficients are copied on
  // `start`, which comes only when the unit holds no chunk (next_ok). The MAC unit starts its
  // pass (mac_go) with the start when idle, else when it finishes the previous one.
  const int pcb = dv.pass_chunk_bits;
  m.wire("ca_in_ready", 1);
  m.wire("ca_take", 1, "the CA unit takes a chunk of its pass");
  m.assign("ca_take", "in_valid & ca_in_ready & armed_q");
  m.assign("in_ready", "ca_in_ready & armed_q");
  m.reg("left_q", pcb,
        fmt::format("start ? pass_chunks : ca_take ? left_q - {} : left_q", lit(pcb, 1)), "",
        lit(pcb, 0), "chunks of the pass the CA unit has not taken yet");
  m.reg("armed_q", 1, fmt::format("start | (armed_q & ~(ca_take & (left_q == {})))", lit(pcb, 1)),
        "", lit(1, 0), "the CA unit's pass has chunks left");
  m.wire("mac_go", 1, "the MAC unit starts a pass");

  // Requantisation parameters of the row's output channel.
  // With weight_prefetch they are written into shadow registers (the next output channel's,
  // loaded during the current pass), copied on `start` into pending ones (pass_*, pass2_* for a
  // second waiting pass), and into the ones in use when the MAC unit starts the pass, or, when
  // the previous pass's last outputs are still in the MAC unit's pipeline then (it finishes at
  // its last issue), into the MAC unit's (run_*), which go into use when the last of those
  // outputs (acc_last) enters the requantisation. Each output takes them as it enters the
  // requantisation (its stage A), so a pass's last outputs are not touched by the next's. A
  // waiting pass's registers are free again at the MAC unit's start, so the next pass may start
  // while the switch still waits.
  const std::string sh = pf ? "_next" : "";
  struct Param {
    const char* name;  // register stem
    ParamField field;  // its field of param_data
    const char* what;
  };
  const ParamItem pi = param_item(c);
  const Param params[] = {
      {"bias", pi.bias, "bias[o]"}, {"mult", pi.mult, "M[o]"}, {"shift", pi.shift, "S[o]"}};
  for (const Param& p : params)
    m.reg(fmt::format("{}{}_q", p.name, sh), p.field.width,
          slice("param_data", p.field.lsb + p.field.width - 1, p.field.lsb), "param_we", {},
          p.what + sh);
  if (pf) {
    m.wire("ca_held", 1);
    m.wire("acc_end", 1, "the last output of a MAC pass enters the requantisation");
    m.assign("acc_end", "acc_fire & acc_last");
    // Up to two started passes wait for the MAC unit (pend_q: one or two, pend2_q: two), so
    // the CA unit may run two passes ahead of it: count + start - mac_go (no start when two wait).
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
    for (const Param& p : params) {
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
    // The next pass may start once the CA unit is done and fewer than two started passes wait
    // for the MAC unit; a parameter switch still waiting is held in run_*.
    m.reg("next_ok_q", 1, "~start & ~armed_q & ~ca_held & ~pend2_next", "", lit(1, 0));
    m.assign("next_ok", "next_ok_q");
  } else {
    // Without prefetch a pass starts with the row idle; the gate is the MAC unit's own rule.
    m.assign("mac_go", "start & (~mac_busy | mac_finishing)");
  }

  m.wire("z_valid", 1);
  m.wire("z_ready", 1);
  m.wire("z_data", zvec);
  std::vector<std::pair<std::string, std::string>> ca_conn = {
      {"clk", "clk"},         {"rst_n", "rst_q"},           {"chunks", "chunks"},      {"d", "d"},
      {"coef_we", "coef_we"}, {"coef_chunk", "coef_chunk"}, {"coef_data", "coef_data"}};
  if (pf) ca_conn.emplace_back("coef_swap", "start");
  ca_conn.insert(ca_conn.end(), {{"in_valid", "in_valid & armed_q"},
                                 {"in_ready", "ca_in_ready"},
                                 {"in_mask", slice("in_data", n - 1, 0)},
                                 {"in_act", slice("in_data", dv.input_entry_bits - 1, n)},
                                 {"out_valid", "z_valid"},
                                 {"out_ready", "z_ready"},
                                 {"out_z", "z_data"},
                                 {"stat_issue", "stat_ca_issue"},
                                 {"stat_stall", "stat_ca_stall"}});
  if (pf) ca_conn.emplace_back("chunk_held", "ca_held");
  m.instance(ca, "u_ca", std::move(ca_conn));
  m.wire("zq_valid", 1);
  m.wire("zq_ready", 1);
  m.wire("zq_data", zvec);
  m.instance(zfifo, "u_zq",
             {{"clk", "clk"},
              {"rst_n", "rst_q"},
              {"in_valid", "z_valid"},
              {"in_ready", "z_ready"},
              {"in_data", "z_data"},
              {"out_valid", "zq_valid"},
              {"out_ready", "zq_ready"},
              {"out_data", "zq_data"}});
  m.wire("mac_busy", 1);
  m.wire("mac_finishing", 1);
  m.wire("mac_done", 1);
  m.wire("mac_drained", 1);
  m.wire("acc_valid", 1);
  m.wire("acc_ready", 1);
  m.wire("acc", dv.conv_bits);
  if (pf) m.wire("acc_last", 1, "acc is the last output of the MAC unit's pass");
  std::vector<std::pair<std::string, std::string>> mac_conn = {{"clk", "clk"},
                                                               {"rst_n", "rst_q"},
                                                               {"start", "mac_go"},
                                                               {"next", pf ? "pend_q" : "1'b0"},
                                                               {"k", "k"},
                                                               {"d", "d"},
                                                               {"stride", "stride"},
                                                               {"pad", "pad"},
                                                               {"h", "h"},
                                                               {"w", "w"},
                                                               {"busy", "mac_busy"},
                                                               {"finishing", "mac_finishing"},
                                                               {"done", "mac_done"},
                                                               {"basis_we", "basis_we"},
                                                               {"basis_addr", "basis_addr"},
                                                               {"basis_data", "basis_data"},
                                                               {"in_valid", "zq_valid"},
                                                               {"in_ready", "zq_ready"},
                                                               {"in_z", "zq_data"},
                                                               {"out_valid", "acc_valid"},
                                                               {"out_ready", "acc_ready"},
                                                               {"out_acc", "acc"},
                                                               {"drained", "mac_drained"},
                                                               {"stat_issue", "stat_mac_issue"}};
  if (pf) mac_conn.emplace_back("out_last", "acc_last");
  m.instance(mac, "u_mac", std::move(mac_conn));
  m.assign("stat_mac_stall", "acc_valid & ~acc_ready");
  m.wire("rq_valid", 1);
  m.wire("rq_ready", 1);
  m.wire("rq_data", rq_bits);
  m.instance(requant, "u_requant",
             {{"clk", "clk"},
              {"rst_n", "rst_q"},
              {"in_valid", "acc_valid"},
              {"in_ready", "acc_ready"},
              {"in_acc", "acc"},
              {"in_bias", "bias_q"},
              {"in_mult", "mult_q"},
              {"in_shift", "shift_q"},
              {"in_mode", "mode"},
              {"out_valid", "rq_valid"},
              {"out_ready", "rq_ready"},
              {"out_data", "rq_data"}});
  m.wire("lane_value", ob, "raw: sign-extended; requant_relu: zero-extended");
  m.assign("lane_value", ob == rq_bits ? std::string("rq_data")
                                       : fmt::format("mode ? {} : {}", zext("rq_data", rq_bits, ob),
                                                     blocks::sext("rq_data", rq_bits, ob)));
  m.instance(ofifo, "u_outq",
             {{"clk", "clk"},
              {"rst_n", "rst_q"},
              {"in_valid", "rq_valid"},
              {"in_ready", "rq_ready"},
              {"in_data", "lane_value"},
              {"out_valid", "out_valid"},
              {"out_ready", "out_ready"},
              {"out_data", "out_data"}});

  // Pass bookkeeping: outputs between the MAC unit and the row's output, and the MAC's done.
  // in_flight holds at most out_fifo_depth + kRequantCapacity; its width keeps the 4 spare
  // values it has always had (the same RTL).
  const int fb = bits_for(static_cast<uint64_t>(c.out_fifo_depth + blocks::kRequantCapacity + 4));
  m.wire("acc_fire", 1);
  m.assign("acc_fire", "acc_valid & acc_ready");
  m.wire("out_fire", 1);
  m.assign("out_fire", "out_valid & out_ready");
  m.reg("in_flight", fb,
        fmt::format("(acc_fire & ~out_fire) ? in_flight + {0} : (~acc_fire & out_fire) ? "
                    "in_flight - {0} : in_flight",
                    lit(fb, 1)),
        "", lit(fb, 0), "outputs in requantisation or the output queue");
  m.reg("mac_done_q", 1, "mac_go ? 1'b0 : (mac_done | mac_done_q)", "", lit(1, 0),
        "the MAC unit finished its pass");
  m.reg("idle_q", 1,
        fmt::format("~start & ~mac_go & {}(mac_done | mac_done_q) & ~mac_busy & mac_drained & "
                    "(in_flight == {}) & ~acc_fire",
                    pf ? "~pend_q & ~sw_q & " : "", lit(fb, 0)),
        "", lit(1, 0));
  m.assign("idle", "idle_q");
  design.add(std::move(m));
  return "escgen_row";
}

}  // namespace escgen
