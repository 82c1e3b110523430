// Row assembly (see row.h): the submodules, the ports, then the stages of row_stages.h in order.
#include "design/row.h"

#include <fmt/format.h>

#include "blocks/ca_unit.h"
#include "blocks/mac_unit.h"
#include "blocks/requant.h"
#include "blocks/stream.h"
#include "design/row_stages.h"

namespace escgen {

std::vector<const char*> row_status_outputs(const Config& c) {
  std::vector<const char*> outs = {"idle", "stat_ca_issue", "stat_ca_stall", "stat_mac_issue",
                                   "stat_mac_stall"};
  if (c.weight_prefetch != 0) outs.push_back("next_ok");
  return outs;
}

namespace {

using netlist::Module;
using row::RowParts;

RowParts build_parts(netlist::Design& design, const Config& c) {
  const Derived& dv = c.derived;
  const bool pf = c.weight_prefetch != 0;
  RowParts b;
  b.ca = blocks::build_ca_unit(design, {.row_width = c.row_width,
                                        .act_bits = c.act_bits,
                                        .max_d = c.max_d,
                                        .chunks_max = dv.chunks_max,
                                        .lanes = c.ca_lanes,
                                        .lookahead = c.lookahead_depth,
                                        .lookaside = c.lookaside_distance,
                                        .z_bits = dv.z_bits,
                                        .issue = c.ca_issue_width,
                                        .prefetch = pf,
                                        .gather_lanes = c.gather_lanes});
  b.zvec = design.get(b.ca).find_port("out_z")->width;
  b.zfifo = blocks::build_fifo(
      design, {.depth = c.z_fifo_depth, .data_bits = b.zvec, .with_status = false});
  b.mac = blocks::build_mac_unit(design, {.max_k = c.max_k,
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
  const blocks::RequantParams rq{.acc_bits = dv.conv_bits,
                                 .bias_bits = kBiasBits,
                                 .mult_bits = c.mult_bits,
                                 .act_bits = c.act_bits};
  b.requant = blocks::build_requant(design, rq);
  b.rq_bits = blocks::requant_out_bits(rq);
  b.ofifo = blocks::build_fifo(
      design, {.depth = c.out_fifo_depth, .data_bits = dv.out_lane_bits, .with_status = false});
  return b;
}

void add_ports(Module& m, const Config& c, const netlist::Design& design, const RowParts& b) {
  const Derived& dv = c.derived;
  const netlist::Module& mm = design.get(b.mac);
  auto mw = [&](const char* port) { return mm.find_port(port)->width; };
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  const netlist::Module& ca = design.get(b.ca);
  m.input("chunks", ca.find_port("chunks")->width, "chunks per pixel");
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
  m.input("coef_chunk", ca.find_port("coef_chunk")->width);
  m.input("coef_data", dv.coef_item_bits,
          "one chunk, every basis: {sign mask, non-zero mask} each");
  m.input("param_we", 1);
  m.input("param_data", dv.param_bits, "{S, M, bias}");
  m.input("in_valid", 1);
  m.output("in_ready", 1);
  m.input("in_data", dv.input_entry_bits, "{dense chunk, mask}");
  m.output("out_valid", 1);
  m.input("out_ready", 1);
  m.output("out_data", dv.out_lane_bits);
  m.output("idle", 1, "registered: every pass is finished and drained");
  if (c.weight_prefetch != 0)
    m.output("next_ok", 1,
             "registered: the CA unit has taken its pass and the MAC unit has its parameters "
             "(the next pass may start)");
  m.output("stat_ca_issue", 1);
  m.output("stat_ca_stall", 1);
  m.output("stat_mac_issue", 1);
  m.output("stat_mac_stall", 1);
}

}  // namespace

std::string build_row(netlist::Design& design, const Config& c) {
  using namespace row;
  const RowParts b = build_parts(design, c);
  Module m("escgen_row", fmt::format("row: CA unit, Z queue ({}), MAC unit ({} multipliers), "
                                     "requantisation, output queue ({})",
                                     c.z_fifo_depth, c.macs_per_row, c.out_fifo_depth));
  add_ports(m, c, design, b);
  // Reset tree (see accelerator.cpp): the row's stage; its own logic and blocks use rst_q.
  m.reg("rst_q", 1, "rst_n", "", {}, "reset, stage 3");
  m.set_clock("clk", "rst_q");
  add_pass_arming(m, c);
  add_params(m, c);
  add_pass_queue(m, c);
  add_ca_side(m, c, b);
  add_mac_side(m, c, b);
  add_output_side(m, c, b);
  add_idle(m, c);
  design.add(std::move(m));
  return "escgen_row";
}

}  // namespace escgen
