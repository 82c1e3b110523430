// Lane-granular shifters (see lane_shift.h).
#include "blocks/lane_shift.h"

#include <fmt/format.h>

#include "netlist/expr.h"
#include "util/error.h"

namespace escgen::blocks {

using netlist::bit;
using netlist::cat;
using netlist::lit;
using netlist::slice;
using netlist::zext;

namespace {

// Stage k of `name`: shifts the previous stage by 2^k lanes when amount[k] is set.
void add_stages(netlist::Module& m, const std::string& name, const std::string& first, int lanes,
                int lane_bits, const std::string& amount, int amount_bits, bool left) {
  const int w = lanes * lane_bits;
  std::string prev = name + "_in";  // a net, so the stages can slice it
  m.wire(prev, w, fmt::format("{}, before the shift", name));
  m.assign(prev, first);
  for (int k = 0; k < amount_bits; ++k) {
    const std::string sel = amount_bits == 1 ? amount : bit(amount, k);
    const int64_t by = int64_t{1} << k;
    const std::string st = k + 1 == amount_bits ? name : fmt::format("{}_s{}", name, k);
    if (k + 1 < amount_bits) m.wire(st, w, fmt::format("{}, shifted by amount[{}:0]", name, k));
    std::string shifted;
    if (by >= lanes) {
      shifted = lit(w, 0);
    } else {
      const int kept = static_cast<int>((lanes - by) * lane_bits), zeros = w - kept;
      shifted = left ? cat({slice(prev, kept - 1, 0), lit(zeros, 0)})
                     : cat({lit(zeros, 0), slice(prev, w - 1, zeros)});
    }
    m.assign(st, fmt::format("{} ? {} : {}", sel, shifted, prev));
    prev = st;
  }
}

void check(int lanes, int lane_bits, int amount_bits, const std::string& name) {
  if (lanes < 1 || lane_bits < 1 || amount_bits < 1)
    throw InternalError(
        fmt::format("lane shift {}: need lanes, lane_bits, amount_bits >= 1 ({}, "
                    "{}, {})",
                    name, lanes, lane_bits, amount_bits));
}

}  // namespace

void add_lane_shift_left(netlist::Module& m, const std::string& name, const std::string& in,
                         int lanes_in, int lanes_out, int lane_bits, const std::string& amount,
                         int amount_bits) {
  check(lanes_out, lane_bits, amount_bits, name);
  if (lanes_in < 1 || lanes_in > lanes_out)
    throw InternalError(
        fmt::format("lane shift {}: lanes_in {} not in 1..{}", name, lanes_in, lanes_out));
  m.wire(name, lanes_out * lane_bits);
  add_stages(m, name, zext(in, lanes_in * lane_bits, lanes_out * lane_bits), lanes_out, lane_bits,
             amount, amount_bits, true);
}

void add_lane_shift_right(netlist::Module& m, const std::string& name, const std::string& in,
                          int lanes, int lane_bits, const std::string& amount, int amount_bits) {
  check(lanes, lane_bits, amount_bits, name);
  m.wire(name, lanes * lane_bits);
  add_stages(m, name, in, lanes, lane_bits, amount, amount_bits, false);
}

}  // namespace escgen::blocks
