// The top's performance counters (see accelerator_stages.h): escgen_perf_counter instances
// (pipelined, saturating at 2^32 - 1), cleared by an accepted start, and the counters bus of the
// register block.
#include <fmt/format.h>

#include "design/accelerator_stages.h"
#include "design/perf_counter.h"
#include "netlist/expr.h"

namespace escgen::top {

using netlist::cat;
using netlist::lit;
using netlist::Module;
using netlist::zext;

namespace {

// Sum of the bits of a declared n-bit net, `w` bits wide.
std::string popcount(const Module& m, const std::string& net, int n, int w) {
  std::vector<std::string> bits;
  for (int i = 0; i < n; ++i) bits.push_back(m.select(net, i));
  return netlist::bit_sum(bits, w);
}

}  // namespace

void add_counters(netlist::Design& design, Module& m, const TopShape& s) {
  // The rows' events are registered here first, so no counter adder sits behind a row's logic;
  // STATUS.done rises only once every counter has settled (fin_pipe).
  const int P = s.P, pcb = s.pcb;
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
}

}  // namespace escgen::top
