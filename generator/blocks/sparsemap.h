// SparseMap codec for activation chunks: the encoder turns a dense chunk of row_width unsigned
// values into a non-zero mask, the non-zero values packed to the head (by the bit-gather
// network) and their count; the decoder expands mask + packed values back into the dense chunk
// through an inverse butterfly, built gate by gate. Both are valid/ready stages with registered
// outputs and back-pressure. The C++ models (sparsemap_encode / sparsemap_decode) are the
// reference the testbench compares with.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "netlist/netlist.h"

namespace escgen::blocks {

struct SparseMapParams {
  int row_width = 16;  // lanes per chunk, a power of two >= 2
  int act_bits = 8;    // bits per (unsigned) activation
};

// Encoder ports: clk, rst_n; in_valid, in_ready, in_data[row_width*act_bits] (lane i at
// [i*act_bits +: act_bits]); out_valid, out_ready, out_mask[row_width] (lane i non-zero),
// out_count[bits_for(row_width)], out_data[row_width*act_bits] (non-zero values in lane order at
// the head, zeros after). Latency one clock; in_ready is registered.
std::string build_sparsemap_encoder(netlist::Design& design, const SparseMapParams& p);

// Decoder ports: clk, rst_n; in_valid, in_ready, in_mask[row_width], in_data (packed values;
// lanes at and past popcount(mask) are ignored); out_valid, out_ready, out_mask (= in_mask),
// out_data (dense chunk: lane i = the next packed value if mask[i], else 0). Latency one clock;
// in_ready is registered.
std::string build_sparsemap_decoder(netlist::Design& design, const SparseMapParams& p);
// Chunks the decoder holds: its output register and its skid register.
inline constexpr int kDecoderCapacity = 2;

// One encoded chunk: mask[i] = dense[i] != 0; packed holds the non-zero values in lane order,
// then zeros (row_width entries in all); count = number of non-zero lanes.
struct SparseMapChunk {
  std::vector<uint8_t> mask;
  std::vector<uint64_t> packed;
  int count = 0;
};

SparseMapChunk sparsemap_encode(std::span<const uint64_t> dense);
// Inverse of sparsemap_encode: lane i takes the next packed value when mask[i] is set.
std::vector<uint64_t> sparsemap_decode(std::span<const uint8_t> mask,
                                       std::span<const uint64_t> packed);

}  // namespace escgen::blocks
