// Configuration parsing, validation and derivation (see config.h). Order: JSON syntax, unknown
// keys, missing keys, types, ranges, cross-key rules, then derived widths. The first error wins
// and is reported as "<file>: <key>: <problem>".
#include "config/config.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "config/geometry.h"
#include "config/keys.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen {
namespace {

[[noreturn]] void fail(const std::string& source, std::string_view key, const std::string& what) {
  throw InputError(fmt::format("{}: {}: {}", source, key, what));
}

// Levenshtein distance, to suggest the key a user probably meant.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string suggestion(std::string_view unknown) {
  const KeySpec* best = nullptr;
  size_t best_d = 4;  // only suggest close matches
  for (const KeySpec& k : config_keys()) {
    size_t d = edit_distance(unknown, k.name);
    if (d < best_d) best_d = d, best = &k;
  }
  return best ? fmt::format(" (did you mean '{}'?)", best->name) : "";
}

void check_cross_rules(const Config& c) {
  const std::string& s = c.source;
  if (c.coef_bits != 2)
    fail(s, "coef_bits",
         fmt::format("must be 2 (ternary): wider coefficients need a multiplier per CA lane, "
                     "which this generator does not build (got {})",
                     c.coef_bits));
  if (c.max_d > c.max_k * c.max_k)
    fail(s, "max_d",
         fmt::format("must be <= max_k * max_k = {} (got {})", c.max_k * c.max_k, c.max_d));
  if (c.ca_lanes > c.row_width)
    fail(s, "ca_lanes", fmt::format("must be <= row_width = {} (got {})", c.row_width, c.ca_lanes));
  if (c.ca_issue_width > c.max_d)
    fail(s, "ca_issue_width",
         fmt::format("must be <= max_d = {} (got {}): a chunk has at most max_d vectors", c.max_d,
                     c.ca_issue_width));
  if (c.gather_lanes != 0 && (!is_pow2(static_cast<uint64_t>(c.gather_lanes)) ||
                              c.gather_lanes > c.row_width || c.gather_lanes < c.ca_lanes))
    fail(s, "gather_lanes",
         fmt::format("must be 0 (row_width) or a power of two from ca_lanes = {} to row_width = {} "
                     "(got {}): each gather part feeds the Concentration as a vector, and a beat "
                     "of ca_lanes must fit one",
                     c.ca_lanes, c.row_width, c.gather_lanes));
  const int max_stages = clog2(static_cast<uint64_t>(c.ca_lanes)) + 1;
  if (c.adder_pipeline_stages > max_stages)
    fail(s, "adder_pipeline_stages",
         fmt::format("must be <= log2(ca_lanes) + 1 = {} (got {})", max_stages,
                     c.adder_pipeline_stages));
  const int taps = c.max_d * c.max_k * c.max_k;
  if (c.macs_per_row > taps)
    fail(s, "macs_per_row",
         fmt::format("must be <= max_d * max_k * max_k = {} (got {})", taps, c.macs_per_row));
  if (c.rows_per_tile % c.weight_lanes != 0)
    fail(s, "weight_lanes",
         fmt::format("must divide rows_per_tile = {} (got {}): a beat loads whole lanes of rows",
                     c.rows_per_tile, c.weight_lanes));
  const int chunks = input_chunks(c, c.max_c_in);
  if (c.input_buffer_depth < chunks)
    fail(s, "input_buffer_depth",
         fmt::format("{} entries cannot hold one pixel's {} chunks (max_c_in {} / row_width {}); "
                     "need >= {}",
                     c.input_buffer_depth, chunks, c.max_c_in, c.row_width, chunks));
}

Derived derive(const Config& c) {
  const std::string& s = c.source;
  Derived d;
  d.rows = c.tiles * c.rows_per_tile;
  d.row_count_bits = bits_for(static_cast<uint64_t>(d.rows));
  d.chunks_max = input_chunks(c, c.max_c_in);
  d.pass_chunk_bits = bits_for(static_cast<uint64_t>(c.max_h) * static_cast<uint64_t>(c.max_w) *
                               static_cast<uint64_t>(d.chunks_max));
  d.lane_bits = clog2(static_cast<uint64_t>(c.row_width));
  d.gather_parts = c.gather_lanes == 0 ? 1 : c.row_width / c.gather_lanes;
  d.act_max = (int64_t{1} << c.act_bits) - 1;
  d.coef_max = (int64_t{1} << (c.coef_bits - 1)) - 1;
  d.basis_max = int64_t{1} << (c.basis_bits - 1);
  const uint64_t z_abs = static_cast<uint64_t>(c.max_c_in) * static_cast<uint64_t>(d.act_max) *
                         static_cast<uint64_t>(d.coef_max);
  d.z_bits = signed_bits_for(z_abs);
  const uint64_t taps = static_cast<uint64_t>(c.max_d) * c.max_k * c.max_k;
  // Ternary only (checked above): z_abs < 2^32 and taps * basis_max < 2^31, so no overflow.
  const uint64_t conv_abs = z_abs * taps * static_cast<uint64_t>(d.basis_max);
  // The layer contract admits only layers whose |acc - bias| < 2^31 (checked per layer from its
  // own c_in, k and d), so no accepted layer needs more than 32 bits here even when the limits'
  // worst case would.
  d.conv_bits = std::min(signed_bits_for(conv_abs), 32);
  const int acc_min = std::max(d.conv_bits, 32) + 1;  // + an int32 bias
  if (c.acc_bits != 0 && c.acc_bits < acc_min)
    fail(s, "acc_bits",
         fmt::format("must be 0 (derive) or >= {} = max(conv_bits {}, 32) + 1 (got {})", acc_min,
                     d.conv_bits, c.acc_bits));
  d.acc_bits = c.acc_bits != 0 ? c.acc_bits : acc_min;
  d.product_bits = d.acc_bits + c.mult_bits;
  if (d.product_bits > 64)
    fail(s, "mult_bits",
         fmt::format("acc_bits {} + mult_bits {} = {} exceeds 64", d.acc_bits, c.mult_bits,
                     d.product_bits));
  d.basis_store_depth = static_cast<int>(taps);
  d.input_entry_bits = c.row_width * (1 + c.act_bits);
  const ParamItem pi = param_item(c.mult_bits);
  d.param_bits = pi.shift.lsb + pi.shift.width;
  d.coef_item_bits = 2 * c.row_width * c.max_d;
  d.wgt_lane_bits = std::max({d.param_bits, d.coef_item_bits, c.basis_bits});
  d.wgt_bits = c.weight_lanes * d.wgt_lane_bits;
  d.basis_taps_per_beat = std::min(d.wgt_bits / c.basis_bits, d.basis_store_depth);
  d.basis_beats = basis_beats(d.basis_store_depth, d.basis_taps_per_beat);
  d.basis_tap_count_bits = bits_for(static_cast<uint64_t>(d.basis_store_depth) +
                                    static_cast<uint64_t>(d.basis_taps_per_beat));
  d.row_load_sets = d.rows / c.weight_lanes;
  d.out_lane_bits = std::max(d.acc_bits, c.act_bits);
  d.out_beat_bits = d.rows * d.out_lane_bits;
  d.group_base_bits = bits_for(static_cast<uint64_t>(c.max_c_out) + static_cast<uint64_t>(d.rows));
  d.c_in_bits = bits_for(static_cast<uint64_t>(c.max_c_in));
  d.c_out_bits = bits_for(static_cast<uint64_t>(c.max_c_out));
  d.k_bits = bits_for(static_cast<uint64_t>(c.max_k));
  d.d_bits = bits_for(static_cast<uint64_t>(c.max_d));
  d.w_bits = bits_for(static_cast<uint64_t>(c.max_w));
  d.h_bits = bits_for(static_cast<uint64_t>(c.max_h));
  d.stride_bits = bits_for(static_cast<uint64_t>(c.max_stride));
  d.pad_bits = bits_for(static_cast<uint64_t>(c.max_k - 1));
  return d;
}

}  // namespace

Config Config::from_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object())
    throw InputError(fmt::format("{}: (top level): must be a JSON object", source));
  for (const auto& [key, value] : j.items()) {
    (void)value;
    if (!find_key(key)) fail(source, key, "unknown key" + suggestion(key));
  }
  Config c;
  c.source = source;
  for (const KeySpec& k : config_keys()) {
    auto it = j.find(std::string(k.name));
    int64_t v = k.def;
    if (it == j.end()) {
      if (k.required) fail(source, k.name, "missing required key");
    } else {
      if (!it->is_number_integer())
        fail(source, k.name, fmt::format("must be an integer (got {})", it->dump()));
      v = it->is_number_unsigned() && it->get<uint64_t>() > INT64_MAX ? INT64_MAX
                                                                      : it->get<int64_t>();
    }
    if (v < k.min || v > k.max)
      fail(source, k.name, fmt::format("must be in [{}, {}] (got {})", k.min, k.max, v));
    if (k.power_of_two && !is_pow2(static_cast<uint64_t>(v)))
      fail(source, k.name, fmt::format("must be a power of two (got {})", v));
    c.*(k.field) = static_cast<int>(v);
  }
  check_cross_rules(c);
  c.derived = derive(c);
  return c;
}

Config Config::from_json_text(std::string_view text, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 3: ..."
    std::string what = e.what();
    auto pos = what.find("] ");
    throw InputError(fmt::format("{}: (syntax): invalid JSON: {}", source,
                                 pos == std::string::npos ? what : what.substr(pos + 2)));
  }
  return from_json(j, source);
}

Config Config::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: (file): cannot open configuration file", path));
  std::ostringstream text;
  text << in.rdbuf();
  return from_json_text(text.str(), path);
}

std::vector<Config::NamedValue> Config::derived_table() const {
  const Derived& d = derived;
  return {
      {"rows", d.rows, "tiles * rows_per_tile: output channels in parallel"},
      {"row_count_bits", d.row_count_bits,
       "bits of a count 0..rows (a performance counter's increment per cycle)"},
      {"chunks_max", d.chunks_max, "ceil(max_c_in / row_width): SparseMap chunks per pixel"},
      {"pass_chunk_bits", d.pass_chunk_bits,
       "width of a pass's input chunk count (max_h * max_w * chunks_max)"},
      {"lane_bits", d.lane_bits, "log2(row_width)"},
      {"gather_parts", d.gather_parts,
       "parts each Dilution unit gathers a chunk in: row_width / gather_lanes (1 for 0)"},
      {"act_max", d.act_max, "largest activation, 2^act_bits - 1"},
      {"coef_max", d.coef_max, "largest coefficient magnitude"},
      {"basis_max", d.basis_max, "largest basis magnitude, 2^(basis_bits - 1)"},
      {"z_bits", d.z_bits, "signed width of Z = sum_i C * x"},
      {"conv_bits", d.conv_bits,
       "signed width of sum_j B (*) Z without bias (<= 32: the contract admits only layers whose "
       "|acc - bias| < 2^31)"},
      {"acc_bits", d.acc_bits, "signed accumulator width including the int32 bias"},
      {"product_bits", d.product_bits, "signed width of acc * M"},
      {"basis_store_depth", d.basis_store_depth, "basis taps stored (max_d * max_k^2)"},
      {"input_entry_bits", d.input_entry_bits, "bits of one SparseMap chunk (mask + values)"},
      {"param_bits", d.param_bits,
       "a row's parameter item: bias (32), M (mult_bits), S (6), from bit 0 up"},
      {"coef_item_bits", d.coef_item_bits,
       "a row's coefficient item of one chunk: sign and non-zero masks of every basis (2 * "
       "row_width * max_d)"},
      {"wgt_lane_bits", d.wgt_lane_bits,
       "one row's weight item: max(param_bits, coef_item_bits, basis_bits)"},
      {"wgt_bits", d.wgt_bits, "weight stream beat: weight_lanes * wgt_lane_bits"},
      {"basis_taps_per_beat", d.basis_taps_per_beat,
       "basis taps in one weight beat (wgt_bits / basis_bits, at most basis_store_depth)"},
      {"basis_beats", d.basis_beats,
       "weight beats of the largest basis: ceil(basis_store_depth / basis_taps_per_beat) (the "
       "basis buffer's entries)"},
      {"basis_tap_count_bits", d.basis_tap_count_bits,
       "width of the weight side's basis tap counter (up to basis_store_depth + "
       "basis_taps_per_beat)"},
      {"row_load_sets", d.row_load_sets,
       "rows / weight_lanes: row sets a group's weight items load one after another"},
      {"out_lane_bits", d.out_lane_bits, "one output value: max(acc_bits, act_bits)"},
      {"out_beat_bits", d.out_beat_bits, "output stream beat: rows * out_lane_bits"},
      {"group_base_bits", d.group_base_bits,
       "width of the controller's output channel counts: c_out and a group's first channel "
       "(below max_c_out + rows)"},
      {"c_in_bits", d.c_in_bits, "width of a c_in value"},
      {"c_out_bits", d.c_out_bits, "width of a c_out value"},
      {"k_bits", d.k_bits, "width of a k value"},
      {"d_bits", d.d_bits, "width of a d value"},
      {"w_bits", d.w_bits, "width of a w value"},
      {"h_bits", d.h_bits, "width of an h value"},
      {"stride_bits", d.stride_bits, "width of a stride value"},
      {"pad_bits", d.pad_bits, "width of a pad value (0 .. max_k - 1)"},
  };
}

nlohmann::ordered_json Config::elaborated_json() const {
  nlohmann::ordered_json keys = nlohmann::ordered_json::object();
  for (const KeySpec& k : config_keys()) keys[std::string(k.name)] = this->*(k.field);
  nlohmann::ordered_json derived_j = nlohmann::ordered_json::object();
  for (const NamedValue& v : derived_table()) derived_j[v.name] = v.value;
  nlohmann::ordered_json out;
  out["config"] = keys;
  out["derived"] = derived_j;
  return out;
}

}  // namespace escgen
