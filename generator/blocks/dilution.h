// Dilution (one basis j of a row's CA part): matches the non-zero activations of a chunk with
// the non-zero ternary coefficients (match = act_mask & coef_mask), applies the coefficient
// signs by negation (two's complement, act_bits+1 bits; nothing is multiplied) and compacts the
// matched signed values to the head with the bit-gather network, with their count. The input is
// the dense chunk (the row's SparseMap decoder output) with its mask; a `last` flag (last chunk
// of the pixel) travels alongside. Registered output, valid/ready with back-pressure.
// With gather_lanes G < row_width the chunk is gathered as row_width / G independent parts of G
// lanes (part t: lanes [t*G, (t+1)*G), compacted at the head of its own lanes, with its own
// count): shorter networks for the clock; the consumer joins the parts in order.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "netlist/netlist.h"

namespace escgen::blocks {

struct DilutionParams {
  int row_width = 16;     // lanes per chunk, a power of two >= 2
  int act_bits = 8;       // unsigned activation width
  int coef_bits = 2;      // must be 2 (ternary): wider coefficients need a multiplier per lane
  int side_bits = 1;      // width of in_last/out_last: a payload carried alongside (1 = a flag)
  bool with_mask = true;  // out_mask port (false: omitted, and not stored)
  // in_act_mask port (false: omitted, the producer already matched: in_coef_mask is the match).
  bool with_act_mask = true;
  int gather_lanes = 0;  // lanes of each bit-gather (a power of two dividing row_width); 0 = all
};

// Ports: clk, rst_n; in_valid, in_ready (registered), in_act_mask[row_width] (unless
// with_act_mask is false), in_act[row_width * act_bits] (dense chunk, lane i at
// [i*act_bits +: act_bits]), in_coef_mask[row_width],
// in_sign_mask[row_width] (1 = coefficient -1), in_last[side_bits]; out_valid, out_ready,
// out_count[bits_for(row_width)], out_mask[row_width] (first out_count lanes set),
// out_data[row_width*(act_bits+1)] (signed values at the head; each lane from out_count on
// holds zero or a copy of one of them, every lane is zero when nothing matched: the bit-gather
// without its final masking, which would end its critical path); with parts P = row_width /
// gather_lanes > 1 each part is such a vector of gather_lanes lanes: out_count is P counts of
// bits_for(gather_lanes) bits (part t at [t*bits +: bits]), out_total[bits_for(row_width)] is
// their sum, and out_mask/out_data hold part t in lanes [t*gather_lanes, (t+1)*gather_lanes),
// out_last[side_bits] (in_last of the same item).
// Latency one clock.
std::string build_dilution(netlist::Design& design, const DilutionParams& p);

// The C++ reference: for lanes with act_mask & coef_mask, in lane order, act (negated where the
// sign is set) at the head of a row_width vector, zeros after; count = matched lanes.
struct DilutionResult {
  int count = 0;
  std::vector<int64_t> data;
};
DilutionResult dilution_model(std::span<const uint8_t> act_mask, std::span<const uint64_t> act,
                              std::span<const uint8_t> coef_mask,
                              std::span<const uint8_t> sign_mask);
// The same per part of `gather_lanes` lanes (0 = one part of all lanes), in lane order.
std::vector<DilutionResult> dilution_parts_model(std::span<const uint8_t> act_mask,
                                                 std::span<const uint64_t> act,
                                                 std::span<const uint8_t> coef_mask,
                                                 std::span<const uint8_t> sign_mask,
                                                 int gather_lanes);

}  // namespace escgen::blocks
