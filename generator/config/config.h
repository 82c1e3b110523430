// The accelerator configuration: one object, validated once, that derives every width and depth
// the RTL, the golden model, the testbenches and the performance model use. Nothing else in the
// project computes a width from the raw keys.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace escgen {

// Contract widths of a row's requantisation parameters (docs/penni.md: int32 bias,
// shift S in 0 .. 62).
inline constexpr int kBiasBits = 32;
inline constexpr int kShiftBits = 6;

// Values computed from the keys (never written by users).
struct Derived {
  int rows = 0;             // tiles * rows_per_tile: output channels processed in parallel
  int row_count_bits = 0;   // bits of a count 0..rows (a performance counter's increment)
  int chunks_max = 0;       // ceil(max_c_in / row_width): SparseMap chunks per input pixel
  int pass_chunk_bits = 0;  // bits of a pass's input chunk count, max_h * max_w * chunks_max
  int lane_bits = 0;        // log2(row_width): select/shift width inside the bit-gather network
  int gather_parts = 0;     // row_width / gather_lanes (1 when 0): parts a Dilution gathers
  int64_t act_max = 0;      // 2^act_bits - 1
  int64_t coef_max = 0;     // largest coefficient magnitude
  int64_t basis_max = 0;    // largest basis magnitude, 2^(basis_bits-1)
  int z_bits = 0;           // signed width of Z[o][j] = sum_i C * x for max_c_in inputs
  int conv_bits = 0;        // signed width of sum_j sum_pq B * Z (without bias)
  int acc_bits =
      0;  // signed width of the accumulator incl. the int32 bias (acc_bits key or minimum)
  int product_bits = 0;       // signed width of acc * M in requantisation
  int basis_store_depth = 0;  // max_d * max_k * max_k basis taps
  int input_entry_bits =
      0;                   // one SparseMap chunk: row_width mask bits + row_width * act_bits values
  int param_bits = 0;      // a row's parameter item: bias (32), M (mult_bits), S (6), from bit 0 up
  int coef_item_bits = 0;  // a row's coefficient item of one chunk: 2 * row_width * max_d
  int wgt_lane_bits = 0;   // one row's weight item: max(param_bits, coef_item_bits, basis_bits)
  int wgt_bits = 0;        // weight beat: weight_lanes * wgt_lane_bits
  int basis_taps_per_beat = 0;   // wgt_bits / basis_bits basis taps per beat, at most max_d*max_k^2
  int basis_beats = 0;           // ceil(basis_store_depth / basis_taps_per_beat): the basis buffer
  int basis_tap_count_bits = 0;  // basis tap counter: up to basis_store_depth + basis_taps_per_beat
  int row_load_sets = 0;         // rows / weight_lanes: row sets a group's weights load in turn
  int out_lane_bits = 0;         // one output value: max(acc_bits, act_bits)
  int out_beat_bits = 0;         // output stream beat: rows * out_lane_bits
  int group_base_bits = 0;       // c_out and a group's first output channel: max_c_out + rows
  // Widths of the layer fields (the shape registers' limits); pad is 0 .. max_k - 1.
  int c_in_bits = 0, c_out_bits = 0, k_bits = 0, d_bits = 0, w_bits = 0, h_bits = 0,
      stride_bits = 0, pad_bits = 0;
};

struct Config {
  // Required by the layer contract.
  int tiles = 0, rows_per_tile = 0, row_width = 0, input_buffer_depth = 0;
  int act_bits = 0, basis_bits = 0, coef_bits = 0;
  int max_c_in = 0, max_c_out = 0, max_k = 0, max_d = 0, max_w = 0;
  // The project's own keys (documented defaults, see keys.cpp).
  int max_h = 0, max_stride = 0;
  int ca_lanes = 0, ca_issue_width = 0, lookahead_depth = 0, lookaside_distance = 0,
      adder_pipeline_stages = 0;
  int gather_lanes = 0;  // lanes per Dilution bit-gather; 0 = row_width
  int macs_per_row = 0, mult_bits = 0, acc_bits = 0;
  int z_fifo_depth = 0, out_fifo_depth = 0;
  int weight_prefetch = 0;  // 0 or 1
  int weight_lanes = 1;     // rows loaded per weight beat (divides rows_per_tile)

  Derived derived;
  std::string source;  // file (or label) the configuration came from, for messages

  // Parse and validate. Throws InputError("<source>: <key>: <problem>") on the first error.
  static Config from_json_text(std::string_view text, const std::string& source);
  static Config from_file(const std::string& path);
  static Config from_json(const nlohmann::json& j, const std::string& source);

  // Every key (defaults included) and every derived value, in table order.
  nlohmann::ordered_json elaborated_json() const;
  // Derived values as (name, value, meaning), in one order, for the JSON, the header and the docs.
  struct NamedValue {
    std::string name;
    int64_t value;
    std::string meaning;
  };
  std::vector<NamedValue> derived_table() const;
};

// A row's parameter item on the weight stream (docs/interface.md): bias, M and S packed from
// bit 0 up. The one definition of its layout, for the RTL, the stimulus and its decoder.
struct ParamField {
  int lsb = 0, width = 0;
};
struct ParamItem {
  ParamField bias, mult, shift;
};
inline ParamItem param_item(int mult_bits) {
  return {{0, kBiasBits}, {kBiasBits, mult_bits}, {kBiasBits + mult_bits, kShiftBits}};
}
inline ParamItem param_item(const Config& c) {
  return param_item(c.mult_bits);
}

}  // namespace escgen
