// Bit-expand network (the SparseMap decoder's core): the inverse of the bit-gather. Values packed
// at the head of a row_width-wide vector go back to the lanes a mask selects, in order: lane i
// takes packed value number popcount(mask[i-1:0]) when mask[i] is set, and is zero otherwise.
// Built gate by gate: the bit-gather's control (prefix count of unselected lanes, then per stage
// which lane moves) is computed from the mask, and the data runs through the butterfly stages in
// reverse order (largest stride first), each lane a 2:1 multiplexer per stage. Combinational.
#pragma once

#include <string>

#include "netlist/netlist.h"

namespace escgen::blocks {

struct BitExpandParams {
  int width = 8;      // lanes (row_width), a power of two >= 2
  int data_bits = 8;  // bits per lane
};

// Ports: mask[width], in_data[width*data_bits] (packed values, lane i at [i*data_bits +:
// data_bits]), out_data[width*data_bits] (expanded; zero in lanes whose mask bit is clear).
std::string build_bit_expand(netlist::Design& design, const BitExpandParams& p);

}  // namespace escgen::blocks
