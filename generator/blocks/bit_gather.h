// Bit-gather compaction network (the core of Dilution): moves the selected lanes of a
// row_width-wide vector to its head, in order, through log2(row_width) stages of 2:1
// multiplexers. Built gate by gate: a prefix-count scan gives each selected lane its distance to
// travel; stage b moves a lane by 2^b when bit b of that distance is set (LSB first, which never
// makes two lanes collide). Output registered; lanes past the count are zero, or, without
// clear_tail, left as the network leaves them (zero or copies of selected elements): that saves
// the final masking, which sits at the end of the scan-plus-butterfly path.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "netlist/netlist.h"

namespace escgen::blocks {

struct BitGatherParams {
  int width = 8;          // lanes (row_width), a power of two >= 2
  int data_bits = 8;      // bits per lane
  bool with_mask = true;  // out_mask port (false: omitted, with its register)
  // Lanes from out_count on are zero (false: each holds zero or a copy of a selected element;
  // all lanes are zero when no lane is selected, because unselected inputs are zeroed first).
  bool clear_tail = true;
};

// Adds the block and its submodules to the design (once per shape); returns the top module name.
// Ports: clk, rst_n, in_valid, in_mask[width], in_data[width*data_bits] (lane i at bits
// [i*data_bits +: data_bits]); out_valid, out_count, out_mask (first out_count lanes set),
// out_data (see clear_tail for the lanes from out_count on). Latency: one clock.
std::string build_bit_gather(netlist::Design& design, const BitGatherParams& p);

// The C++ reference: selected lanes in order at the head, zeros after; count of selected lanes.
struct BitGatherResult {
  int count = 0;
  std::vector<uint64_t> data;
};
BitGatherResult bit_gather_model(std::span<const uint8_t> mask, std::span<const uint64_t> data);

}  // namespace escgen::blocks
