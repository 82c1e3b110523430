// Tile assembly (see tile.h).
#include "design/tile.h"

#include <fmt/format.h>

#include "blocks/ring_buffer.h"
#include "design/row.h"
#include "netlist/expr.h"

namespace escgen {

using netlist::cat;
using netlist::lane;
using netlist::Module;

std::string build_tile(netlist::Design& design, const Config& c) {
  const Derived& dv = c.derived;
  const int nr = c.rows_per_tile, eb = dv.input_entry_bits, ob = dv.out_lane_bits;
  const std::string row = build_row(design, c);
  const std::string ring = blocks::build_ring_buffer(
      design, {.depth = c.input_buffer_depth, .entry_bits = eb, .readers = nr});
  const netlist::Module& rm = design.get(row);
  auto rw = [&](const char* port) { return rm.find_port(port)->width; };

  Module m("escgen_tile", fmt::format("tile: ring input buffer of {} chunks shared by {} rows",
                                      c.input_buffer_depth, nr));
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  const char* broadcast[] = {"chunks",   "d",          "k",          "stride",    "pad",
                             "h",        "w",          "mode",       "start",     "pass_chunks",
                             "basis_we", "basis_addr", "basis_data", "coef_chunk"};
  for (const char* p : broadcast) m.input(p, rw(p));
  // Per-row weight items arrive weight_lanes rows at a time: row r reads lane r % weight_lanes.
  const int lanes = c.weight_lanes;
  const char* laned[] = {"coef_data", "param_data"};
  for (const char* p : laned)
    m.input(p, lanes * rw(p), lanes == 1 ? "" : "lane i for rows r with r % weight_lanes == i");
  const char* per_row_in[] = {"coef_we", "param_we"};
  for (const char* p : per_row_in) m.input(p, nr, "row r at bit r");
  m.input("in_valid", 1);
  m.output("in_ready", 1);
  m.input("in_data", eb, "{dense chunk, mask}");
  m.output("out_valid", nr);
  m.input("out_ready", 1, "every row's output head is taken");
  m.output("out_data", nr * ob, "row r at [r*out_lane_bits +: out_lane_bits]");
  const std::vector<const char*> per_row_out = row_status_outputs(c);
  for (const char* p : per_row_out) m.output(p, nr);

  // Reset tree (see accelerator.cpp): stage 2 here; the rows register it once more, and so does
  // the ring buffer's own stage.
  m.reg("rst_q", 1, "rst_n", "", {}, "reset, stage 2 (to the rows)");
  m.reg("rst_ring_q", 1, "rst_q", "", {}, "reset, stage 3 (the ring buffer)");
  m.wire("rd_valid", nr);
  m.wire("rd_ready", nr);
  m.wire("rd_data", nr * eb);
  m.instance(ring, "u_ring",
             {{"clk", "clk"},
              {"rst_n", "rst_ring_q"},
              {"in_valid", "in_valid"},
              {"in_ready", "in_ready"},
              {"in_data", "in_data"},
              {"out_valid", "rd_valid"},
              {"out_ready", "rd_ready"},
              {"out_data", "rd_data"}});
  for (int r = 0; r < nr; ++r) {
    std::vector<std::pair<std::string, std::string>> conns = {{"clk", "clk"}, {"rst_n", "rst_q"}};
    for (const char* p : broadcast) conns.emplace_back(p, p);
    for (const char* p : laned) conns.emplace_back(p, lanes == 1 ? p : lane(p, r % lanes, rw(p)));
    for (const char* p : per_row_in) conns.emplace_back(p, m.select(p, r));
    conns.emplace_back("in_valid", m.select("rd_valid", r));
    conns.emplace_back("in_ready", m.select("rd_ready", r));
    conns.emplace_back("in_data", lane("rd_data", r, eb));
    conns.emplace_back("out_valid", m.select("out_valid", r));
    conns.emplace_back("out_ready", "out_ready");
    conns.emplace_back("out_data", lane("out_data", r, ob));
    for (const char* p : per_row_out) conns.emplace_back(p, m.select(p, r));
    m.instance(row, fmt::format("u_row{}", r), std::move(conns));
  }
  design.add(std::move(m));
  return "escgen_tile";
}

}  // namespace escgen
