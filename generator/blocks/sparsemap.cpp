// SparseMap codec generators and models (see sparsemap.h).
//
//   encoder: in_data [0 7 0 5] -> non-zero test per lane -> mask 0b1010 -> bit-gather
//            -> out_mask 0b1010, out_count 2, out_data [7 5 0 0]; the gather's output register
//            cannot stall, so a drain buffer behind it holds what the consumer does not take.
//   decoder: mask 0b1010, in_data [7 5 x x] -> bit-expand -> [0 7 0 5] -> output register with
//            a skid register (registered in_ready, no item lost while out_ready is low).
#include "blocks/sparsemap.h"

#include <fmt/format.h>

#include "blocks/bit_expand.h"
#include "blocks/bit_gather.h"
#include "blocks/drain_buffer.h"
#include "netlist/expr.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {
namespace {

using netlist::cat;
using netlist::Design;
using netlist::lane;
using netlist::lit;
using netlist::Module;
using netlist::slice;

void check(const char* what, const SparseMapParams& p) {
  if (p.row_width < 2 || !is_pow2(static_cast<uint64_t>(p.row_width)))
    throw InternalError(
        fmt::format("{}: row_width {} is not a power of two >= 2", what, p.row_width));
  if (p.act_bits < 1) throw InternalError(fmt::format("{}: act_bits must be >= 1", what));
}

void add_stream_ports(Module& m) {
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("in_valid", 1);
  m.output("in_ready", 1, "registered");
}

}  // namespace

std::string build_sparsemap_encoder(Design& design, const SparseMapParams& p) {
  check("sparsemap_encoder", p);
  const int n = p.row_width, b = p.act_bits;
  const std::string name = fmt::format("escgen_sparsemap_enc_n{}_b{}", n, b);
  if (design.has(name)) return name;
  const int cbits = bits_for(static_cast<uint64_t>(n));
  const int data_w = n * b, payload_w = cbits + n + data_w;
  const std::string gather = build_bit_gather(design, {.width = n, .data_bits = b});
  const std::string drain = build_drain_buffer(design, {.data_bits = payload_w});

  Module m(name,
           fmt::format("SparseMap encoder: {} x {}-bit chunk -> mask, count, packed values", n, b));
  add_stream_ports(m);
  m.input("in_data", data_w, "dense chunk, lane i at [i*act_bits +: act_bits]");
  m.output("out_valid", 1);
  m.input("out_ready", 1);
  m.output("out_mask", n, "lane i is non-zero");
  m.output("out_count", cbits, "non-zero lanes");
  m.output("out_data", data_w, "non-zero values in lane order at the head, then zeros");

  m.wire("nonzero", n, "lanes holding a non-zero value");
  for (int k = 0; k < n; ++k) m.assign(netlist::bit("nonzero", k), "|" + lane("in_data", k, b));
  m.wire("can_accept", 1, "the drain buffer has room for one more chunk");
  m.wire("take", 1, "a chunk enters the bit-gather");
  m.assign("take", "in_valid & can_accept");
  m.assign("in_ready", "can_accept");

  m.wire("gather_valid", 1);
  m.wire("gather_count", cbits);
  m.wire("gather_lanes_unused", n, "first count lanes set: implied by the count, not needed");
  m.wire("gather_data", data_w);
  m.instance(gather, "u_gather",
             {{"clk", "clk"},
              {"rst_n", "rst_n"},
              {"in_valid", "take"},
              {"in_mask", "nonzero"},
              {"in_data", "in_data"},
              {"out_valid", "gather_valid"},
              {"out_count", "gather_count"},
              {"out_mask", "gather_lanes_unused"},
              {"out_data", "gather_data"}});
  // The mask is delayed like the gather's output register (which loads on every clock).
  m.reg("nonzero_q", n, "nonzero", "", {}, "mask of the chunk in the gather's output register");

  m.wire("buffered", payload_w, "{count, mask, packed values}");
  m.instance(drain, "u_drain",
             {{"clk", "clk"},
              {"rst_n", "rst_n"},
              {"in_valid", "gather_valid"},
              {"in_data", cat({"gather_count", "nonzero_q", "gather_data"})},
              {"out_valid", "out_valid"},
              {"out_ready", "out_ready"},
              {"out_data", "buffered"},
              {"can_accept", "can_accept"}});
  m.assign("out_data", slice("buffered", data_w - 1, 0));
  m.assign("out_mask", slice("buffered", data_w + n - 1, data_w));
  m.assign("out_count", slice("buffered", payload_w - 1, data_w + n));
  design.add(std::move(m));
  return name;
}

std::string build_sparsemap_decoder(Design& design, const SparseMapParams& p) {
  check("sparsemap_decoder", p);
  const int n = p.row_width, b = p.act_bits;
  const std::string name = fmt::format("escgen_sparsemap_dec_n{}_b{}", n, b);
  if (design.has(name)) return name;
  const int data_w = n * b, payload_w = n + data_w;
  const std::string expand = build_bit_expand(design, {.width = n, .data_bits = b});

  Module m(name,
           fmt::format("SparseMap decoder: mask + packed values -> dense {} x {}-bit chunk", n, b));
  add_stream_ports(m);
  m.input("in_mask", n, "lanes holding a value");
  m.input("in_data", data_w, "packed values at the head (lanes past the count ignored)");
  m.output("out_valid", 1);
  m.input("out_ready", 1);
  m.output("out_mask", n, "the chunk's mask, unchanged");
  m.output("out_data", data_w, "dense chunk; zero where the mask is clear");

  m.wire("dense", data_w);
  m.instance(expand, "u_expand",
             {{"mask", "in_mask"}, {"in_data", "in_data"}, {"out_data", "dense"}});

  // Output register plus skid register: in_ready is registered (skid empty); an item accepted
  // while the output stalls waits in the skid register.
  m.wire("take", 1, "a chunk is accepted");
  m.wire("advance", 1, "the output register is free or being read");
  m.wire("take_skid", 1, "the accepted chunk waits in the skid register");
  m.assign("take", "in_valid & ~skid_valid");
  m.assign("advance", "~main_valid | out_ready");
  m.assign("take_skid", "take & ~advance");
  m.reg("main_valid", 1, "~advance | skid_valid | take", "", lit(1, 0));
  m.reg("skid_valid", 1, "~advance & (skid_valid | take)", "", lit(1, 0));
  m.reg("main_data", payload_w,
        fmt::format("skid_valid ? skid_data : {}", cat({"in_mask", "dense"})), "advance", {},
        "{mask, dense chunk} at the output");
  m.reg("skid_data", payload_w, cat({"in_mask", "dense"}), "take_skid");
  m.assign("in_ready", "~skid_valid");
  m.assign("out_valid", "main_valid");
  m.assign("out_data", slice("main_data", data_w - 1, 0));
  m.assign("out_mask", slice("main_data", payload_w - 1, data_w));
  design.add(std::move(m));
  return name;
}

SparseMapChunk sparsemap_encode(std::span<const uint64_t> dense) {
  SparseMapChunk c;
  c.mask.assign(dense.size(), 0);
  c.packed.assign(dense.size(), 0);
  for (size_t i = 0; i < dense.size(); ++i) {
    if (dense[i] == 0) continue;
    c.mask[i] = 1;
    c.packed[static_cast<size_t>(c.count++)] = dense[i];
  }
  return c;
}

std::vector<uint64_t> sparsemap_decode(std::span<const uint8_t> mask,
                                       std::span<const uint64_t> packed) {
  if (mask.size() != packed.size())
    throw InternalError("sparsemap_decode: mask and packed values differ in length");
  std::vector<uint64_t> dense(mask.size(), 0);
  size_t next = 0;
  for (size_t i = 0; i < mask.size(); ++i)
    if (mask[i]) dense[i] = packed[next++];
  return dense;
}

}  // namespace escgen::blocks
