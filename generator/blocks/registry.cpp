// Block registry for `escgen block` (see registry.h).
#include "blocks/registry.h"

#include "blocks/adder_tree.h"
#include "blocks/bit_gather.h"
#include "blocks/ca_unit.h"
#include "blocks/concentration.h"
#include "blocks/dilution.h"
#include "blocks/mac_unit.h"
#include "blocks/requant.h"
#include "blocks/ring_buffer.h"
#include "blocks/sparsemap.h"
#include "blocks/stream.h"

namespace escgen::blocks {
namespace {

BlockSpec bit_gather_spec() {
  return BlockSpec{
      "bit_gather",
      "compaction network: selected lanes to the head, in order",
      {{"width", 8, "lanes (power of two >= 2)"},
       {"data_bits", 8, "bits per lane"},
       {"clear_tail", 1,
        "1: lanes past the count are zero; 0: zero or copies of selected lanes (no final "
        "masking)"}},
      [](netlist::Design& d, const std::map<std::string, int>& v) {
        return build_bit_gather(d, {.width = v.at("width"),
                                    .data_bits = v.at("data_bits"),
                                    .clear_tail = v.at("clear_tail") != 0});
      }};
}

BlockSpec concentration_spec() {
  return BlockSpec{
      "concentration",
      "Concentration: gathered vectors -> dense adder-tree beats (look-ahead queue, look-aside "
      "segments)",
      {{"width", 16, "input lanes (row_width, >= 2)"},
       {"lanes", 8, "output lanes (ca_lanes, <= width)"},
       {"value_bits", 9, "signed element width"},
       {"lookahead", 4, "queue holds 1 + lookahead input vectors (+ lanes)"},
       {"lookaside", 1, "target ends a beat may cross"},
       {"inputs", 1, "vectors taken per cycle (>= 1)"},
       {"group", 1, "vectors per group with a given total count (in_total; divides inputs)"}},
      [](netlist::Design& d, const std::map<std::string, int>& v) {
        return build_concentration(d, {.width = v.at("width"),
                                       .lanes = v.at("lanes"),
                                       .value_bits = v.at("value_bits"),
                                       .lookahead = v.at("lookahead"),
                                       .lookaside = v.at("lookaside"),
                                       .inputs = v.at("inputs"),
                                       .group = v.at("group")});
      }};
}

BlockSpec sparsemap_encoder_spec() {
  return BlockSpec{
      "sparsemap_encoder",
      "SparseMap encoder: dense activation chunk -> non-zero mask, count, packed values",
      {{"row_width", 16, "lanes per chunk (power of two >= 2)"},
       {"act_bits", 8, "bits per activation (unsigned)"}},
      [](netlist::Design& d, const std::map<std::string, int>& v) {
        return build_sparsemap_encoder(
            d, {.row_width = v.at("row_width"), .act_bits = v.at("act_bits")});
      }};
}

BlockSpec sparsemap_decoder_spec() {
  return BlockSpec{"sparsemap_decoder",
                   "SparseMap decoder: mask + packed values -> dense activation chunk",
                   {{"row_width", 16, "lanes per chunk (power of two >= 2)"},
                    {"act_bits", 8, "bits per activation (unsigned)"}},
                   [](netlist::Design& d, const std::map<std::string, int>& v) {
                     return build_sparsemap_decoder(
                         d, {.row_width = v.at("row_width"), .act_bits = v.at("act_bits")});
                   }};
}

BlockSpec ca_unit_spec() {
  return BlockSpec{
      "ca_unit",
      "CA unit: coefficient store, basis picker, Dilution, Concentration, segment sums, Z "
      "accumulators of one row",
      {{"row_width", 16, "lanes per chunk (power of two >= 2)"},
       {"act_bits", 8, "bits per activation (unsigned)"},
       {"max_d", 4, "bases (>= 1)"},
       {"chunks_max", 4, "chunks per pixel in the coefficient store (>= 1)"},
       {"lanes", 8, "adder lanes after Concentration (<= row_width)"},
       {"lookahead", 4, "Concentration look-ahead depth"},
       {"lookaside", 1, "Concentration look-aside distance"},
       {"z_bits", 0, "signed Z width (0 = exact)"},
       {"issue", 1, "(chunk, basis) vectors issued per cycle (1..max_d)"},
       {"prefetch", 0, "1: shadow coefficient store, copied on coef_swap"},
       {"gather_lanes", 0, "lanes per Dilution bit-gather (0 = row_width)"}},
      [](netlist::Design& d, const std::map<std::string, int>& v) {
        return build_ca_unit(d, {.row_width = v.at("row_width"),
                                 .act_bits = v.at("act_bits"),
                                 .max_d = v.at("max_d"),
                                 .chunks_max = v.at("chunks_max"),
                                 .lanes = v.at("lanes"),
                                 .lookahead = v.at("lookahead"),
                                 .lookaside = v.at("lookaside"),
                                 .z_bits = v.at("z_bits"),
                                 .issue = v.at("issue"),
                                 .prefetch = v.at("prefetch") != 0,
                                 .gather_lanes = v.at("gather_lanes")});
      }};
}

BlockSpec dilution_spec() {
  return BlockSpec{
      "dilution",
      "Dilution: match activation and coefficient masks, apply signs, compact to the head",
      {{"row_width", 16, "lanes per chunk (power of two >= 2)"},
       {"act_bits", 8, "bits per activation (unsigned)"},
       {"coef_bits", 2, "coefficient width (2 = ternary, the only one supported)"},
       {"side_bits", 1, "width of the payload carried alongside (in_last/out_last)"},
       {"gather_lanes", 0, "lanes per bit-gather (0 = row_width; else parts of that many lanes)"}},
      [](netlist::Design& d, const std::map<std::string, int>& v) {
        return build_dilution(d, {.row_width = v.at("row_width"),
                                  .act_bits = v.at("act_bits"),
                                  .coef_bits = v.at("coef_bits"),
                                  .side_bits = v.at("side_bits"),
                                  .gather_lanes = v.at("gather_lanes")});
      }};
}

BlockSpec adder_tree_spec() {
  return BlockSpec{
      "adder_tree",
      "CA adder tree (exactly sized adders, pipelined) + accumulator emitting on `last`",
      {{"lanes", 8, "signed inputs (>= 1)"},
       {"in_bits", 9, "input width (signed)"},
       {"stages", 1, "pipeline register levels in the tree (0 .. clog2(lanes) + 1)"},
       {"acc_bits", 24, "accumulator width (signed)"}},
      [](netlist::Design& d, const std::map<std::string, int>& v) {
        return build_adder_tree(d, {.lanes = v.at("lanes"),
                                    .in_bits = v.at("in_bits"),
                                    .stages = v.at("stages"),
                                    .acc_bits = v.at("acc_bits")});
      }};
}

BlockSpec skid_buffer_spec() {
  return BlockSpec{"skid_buffer",
                   "2-entry stream skid buffer, registered valid/ready, full throughput",
                   {{"data_bits", 8, "payload bits"}},
                   [](netlist::Design& d, const std::map<std::string, int>& v) {
                     return build_skid_buffer(d, {.data_bits = v.at("data_bits")});
                   }};
}

BlockSpec fifo_spec() {
  return BlockSpec{
      "fifo",
      "synchronous FIFO, registered outputs and count/full/empty",
      {{"depth", 4, "capacity in items (>= 2, any value)"}, {"data_bits", 8, "payload bits"}},
      [](netlist::Design& d, const std::map<std::string, int>& v) {
        return build_fifo(d, {.depth = v.at("depth"), .data_bits = v.at("data_bits")});
      }};
}

BlockSpec ring_buffer_spec() {
  return BlockSpec{
      "ring_buffer",
      "ring input buffer: one writer, per-reader in-order streams, per-entry reader counters",
      {{"depth", 4, "entries (>= 2)"},
       {"entry_bits", 8, "bits per entry"},
       {"readers", 2, "read streams (>= 1)"}},
      [](netlist::Design& d, const std::map<std::string, int>& v) {
        return build_ring_buffer(
            d,
            {.depth = v.at("depth"), .entry_bits = v.at("entry_bits"), .readers = v.at("readers")});
      }};
}

BlockSpec requant_spec() {
  return BlockSpec{"requant",
                   "bias add and requantisation (raw or requant_relu per item), 3-stage pipeline",
                   {{"acc_bits", 33, "signed accumulator bits (2 .. 62)"},
                    {"bias_bits", 32, "signed bias bits (2 .. 62)"},
                    {"mult_bits", 16, "unsigned multiplier bits (1 .. 62)"},
                    {"act_bits", 8, "output activation bits (1 .. 62)"}},
                   [](netlist::Design& d, const std::map<std::string, int>& v) {
                     return build_requant(d, {.acc_bits = v.at("acc_bits"),
                                              .bias_bits = v.at("bias_bits"),
                                              .mult_bits = v.at("mult_bits"),
                                              .act_bits = v.at("act_bits")});
                   }};
}

BlockSpec mac_unit_spec() {
  return BlockSpec{
      "mac_unit",
      "basis-convolution MAC unit: Z line buffer, macs multipliers, padding and stride",
      {{"max_k", 3, "largest kernel size"},
       {"max_d", 4, "largest number of bases"},
       {"max_w", 8, "largest input width"},
       {"max_h", 16, "largest input height"},
       {"max_stride", 2, "largest stride"},
       {"z_bits", 8, "signed width of Z"},
       {"basis_bits", 8, "signed width of a basis tap"},
       {"acc_bits", 0, "signed output width (0: exact worst case)"},
       {"macs", 2, "multipliers (macs_per_row)"},
       {"basis_lanes", 1, "basis taps per basis store write"},
       {"last_out", 0, "1: an out_last port marking the layer's last output"}},
      [](netlist::Design& d, const std::map<std::string, int>& v) {
        return build_mac_unit(d, {.max_k = v.at("max_k"),
                                  .max_d = v.at("max_d"),
                                  .max_w = v.at("max_w"),
                                  .max_h = v.at("max_h"),
                                  .max_stride = v.at("max_stride"),
                                  .z_bits = v.at("z_bits"),
                                  .basis_bits = v.at("basis_bits"),
                                  .acc_bits = v.at("acc_bits"),
                                  .macs = v.at("macs"),
                                  .basis_lanes = v.at("basis_lanes"),
                                  .last_out = v.at("last_out") != 0});
      }};
}

// In `escgen block --list` order.
const std::vector<BlockSpec>& specs() {
  static const std::vector<BlockSpec> kSpecs = {
      bit_gather_spec(), concentration_spec(), sparsemap_encoder_spec(), sparsemap_decoder_spec(),
      ca_unit_spec(),    dilution_spec(),      adder_tree_spec(),        skid_buffer_spec(),
      fifo_spec(),       ring_buffer_spec(),   requant_spec(),           mac_unit_spec(),
  };
  return kSpecs;
}

}  // namespace

std::span<const BlockSpec> block_specs() {
  return specs();
}

const BlockSpec* find_block(std::string_view name) {
  for (const BlockSpec& s : specs())
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace escgen::blocks
