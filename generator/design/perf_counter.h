// A performance counter of the accelerator: 32 bits, saturating at 2^32 - 1, pipelined for
// timing (the increment is registered; the low and high 16-bit halves are added in consecutive
// cycles through a registered carry), so its value settles 3 cycles after the last increment.
#pragma once

#include <string>

#include "netlist/netlist.h"

namespace escgen {

// Ports: clk, rst_n, clear (synchronous, wins over counting), inc [inc_bits] (added this cycle),
// value [32] (all ones once saturated). Returns the module name (added once per inc_bits).
std::string build_perf_counter(netlist::Design& design, int inc_bits);

}  // namespace escgen
