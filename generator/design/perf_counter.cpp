// Pipelined saturating performance counter (see perf_counter.h).
#include "design/perf_counter.h"

#include <fmt/format.h>

#include "netlist/expr.h"
#include "util/error.h"

namespace escgen {

using netlist::lit;
using netlist::Module;
using netlist::zext;

std::string build_perf_counter(netlist::Design& design, int inc_bits) {
  if (inc_bits < 1 || inc_bits > 16)
    throw InternalError(fmt::format("perf_counter: inc_bits {} not in 1..16", inc_bits));
  const std::string name = fmt::format("escgen_perf_counter_i{}", inc_bits);
  if (design.has(name)) return name;
  Module m(name, "32-bit saturating counter, registered increment, carry-registered halves");
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("clear", 1, "start again from 0");
  m.input("inc", inc_bits, "added to the count");
  m.output("value", 32, "the count, all ones once saturated");
  m.reg("inc_q", inc_bits, fmt::format("clear ? {} : inc", lit(inc_bits, 0)), "", lit(inc_bits, 0));
  m.wire("lo_sum", 17);
  m.assign("lo_sum", fmt::format("{} + {}", zext("lo_q", 16, 17), zext("inc_q", inc_bits, 17)));
  m.reg("lo_q", 16, "clear ? 16'd0 : lo_sum[15:0]", "", lit(16, 0), "low half");
  m.reg("carry_q", 1, "~clear & lo_sum[16]", "", lit(1, 0), "carry into the high half");
  m.wire("hi_sum", 17);
  m.assign("hi_sum", fmt::format("{} + {}", zext("hi_q", 16, 17), zext("carry_q", 1, 17)));
  m.reg("hi_q", 16, "clear ? 16'd0 : hi_sum[15:0]", "", lit(16, 0), "high half");
  m.reg("sat_q", 1, "~clear & (sat_q | hi_sum[16])", "", lit(1, 0), "the count passed 2^32 - 1");
  m.assign("value", "sat_q ? 32'hffffffff : {hi_q, lo_q}");
  design.add(std::move(m));
  return name;
}

}  // namespace escgen
