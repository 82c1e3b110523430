// The row's datapath (see row_stages.h): the CA side (pass arming, CA unit, Z queue), the MAC
// side (MAC unit), the output side (requantisation, lane value, output queue) and the
// bookkeeping that tells the controller when the row is idle.
#include <fmt/format.h>

#include "blocks/mac_unit_parts.h"
#include "blocks/requant.h"
#include "design/row_stages.h"
#include "netlist/expr.h"
#include "util/bits.h"

namespace escgen::row {

using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

// Pass control. The CA unit takes exactly its pass's pass_chunks input chunks (armed_q), so the
// next pass's input may already wait in the ring buffer; its coefficients are copied on `start`,
// which comes only when the unit holds no chunk (next_ok). The MAC unit starts its pass (mac_go)
// with the start when idle, else when it finishes the previous one.
void add_pass_arming(Module& m, const Config& c) {
  const int pcb = c.derived.pass_chunk_bits;
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
}

void add_ca_side(Module& m, const Config& c, const RowParts& b) {
  const bool pf = c.weight_prefetch != 0;
  const int n = c.row_width;
  m.wire("z_valid", 1);
  m.wire("z_ready", 1);
  m.wire("z_data", b.zvec);
  std::vector<std::pair<std::string, std::string>> ca_conn = {
      {"clk", "clk"},         {"rst_n", "rst_q"},           {"chunks", "chunks"},      {"d", "d"},
      {"coef_we", "coef_we"}, {"coef_chunk", "coef_chunk"}, {"coef_data", "coef_data"}};
  if (pf) ca_conn.emplace_back("coef_swap", "start");
  ca_conn.insert(ca_conn.end(), {{"in_valid", "in_valid & armed_q"},
                                 {"in_ready", "ca_in_ready"},
                                 {"in_mask", slice("in_data", n - 1, 0)},
                                 {"in_act", slice("in_data", c.derived.input_entry_bits - 1, n)},
                                 {"out_valid", "z_valid"},
                                 {"out_ready", "z_ready"},
                                 {"out_z", "z_data"},
                                 {"stat_issue", "stat_ca_issue"},
                                 {"stat_stall", "stat_ca_stall"}});
  if (pf) ca_conn.emplace_back("chunk_held", "ca_held");
  m.instance(b.ca, "u_ca", std::move(ca_conn));
  m.wire("zq_valid", 1);
  m.wire("zq_ready", 1);
  m.wire("zq_data", b.zvec);
  m.instance(b.zfifo, "u_zq",
             {{"clk", "clk"},
              {"rst_n", "rst_q"},
              {"in_valid", "z_valid"},
              {"in_ready", "z_ready"},
              {"in_data", "z_data"},
              {"out_valid", "zq_valid"},
              {"out_ready", "zq_ready"},
              {"out_data", "zq_data"}});
}

void add_mac_side(Module& m, const Config& c, const RowParts& b) {
  const bool pf = c.weight_prefetch != 0;
  m.wire("mac_busy", 1);
  m.wire("mac_finishing", 1);
  m.wire("mac_done", 1);
  m.wire("mac_drained", 1);
  m.wire("acc_valid", 1);
  m.wire("acc_ready", 1);
  m.wire("acc", c.derived.conv_bits);
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
  m.instance(b.mac, "u_mac", std::move(mac_conn));
  m.assign("stat_mac_stall", "acc_valid & ~acc_ready");
}

void add_output_side(Module& m, const Config& c, const RowParts& b) {
  const int rq_bits = b.rq_bits, ob = c.derived.out_lane_bits;
  m.wire("rq_valid", 1);
  m.wire("rq_ready", 1);
  m.wire("rq_data", rq_bits);
  m.instance(b.requant, "u_requant",
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
  m.instance(b.ofifo, "u_outq",
             {{"clk", "clk"},
              {"rst_n", "rst_q"},
              {"in_valid", "rq_valid"},
              {"in_ready", "rq_ready"},
              {"in_data", "lane_value"},
              {"out_valid", "out_valid"},
              {"out_ready", "out_ready"},
              {"out_data", "out_data"}});
}

// Pass bookkeeping: outputs between the MAC unit and the row's output, and the MAC's done.
void add_idle(Module& m, const Config& c) {
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
                    c.weight_prefetch != 0 ? "~pend_q & ~sw_q & " : "", lit(fb, 0)),
        "", lit(1, 0));
  m.assign("idle", "idle_q");
}

}  // namespace escgen::row
