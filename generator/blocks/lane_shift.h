// Lane-granular shifters: a vector of lanes of `lane_bits` bits shifted by a whole number of lanes,
// built as one 2:1 multiplexer stage per bit of the amount (the constant shifts between stages
// are wiring). `x << (amount * lane_bits)` written directly makes the synthesiser multiply the
// amount by lane_bits and build a bit-granular shifter over all the product's bits: on the
// Concentration's 16 x 14-bit lanes that is 11 multiplexer stages behind two adders instead of
// 7 stages.
//
//   lanes_in 2, lanes_out 4, lane_bits 8, amount 2'd1: {0, 0, a1, a0} -> {0, a1, a0, 0}
#pragma once

#include <string>

#include "netlist/netlist.h"

namespace escgen::blocks {

// Declares `<name>` (lanes_out * lane_bits bits) = zero-extended `in` (lanes_in lanes) shifted
// towards lane lanes_out - 1 by `amount` (amount_bits wide) lanes; lanes shifted out are lost,
// lanes shifted in are zero. Same value as `{in} << (amount * lane_bits)` on the out width.
void add_lane_shift_left(netlist::Module& m, const std::string& name, const std::string& in,
                         int lanes_in, int lanes_out, int lane_bits, const std::string& amount,
                         int amount_bits);

// Declares `<name>` (lanes * lane_bits bits) = `in` shifted towards lane 0 by `amount` lanes
// (zeros shifted in). Same value as `in >> (amount * lane_bits)`.
void add_lane_shift_right(netlist::Module& m, const std::string& name, const std::string& in,
                          int lanes, int lane_bits, const std::string& amount, int amount_bits);

}  // namespace escgen::blocks
