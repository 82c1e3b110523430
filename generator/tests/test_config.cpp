// Configuration validation: every error path with its exact message, defaults, derived widths.
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "config/config.h"
#include "config/emit.h"
#include "config/keys.h"
#include "util/error.h"

namespace {

using escgen::Config;
using escgen::InputError;
using nlohmann::json;

json base() {
  return json{{"tiles", 1},     {"rows_per_tile", 2}, {"row_width", 4}, {"input_buffer_depth", 8},
              {"act_bits", 8},  {"basis_bits", 8},    {"coef_bits", 2}, {"max_c_in", 16},
              {"max_c_out", 8}, {"max_k", 3},         {"max_d", 4},     {"max_w", 16},
              {"ca_lanes", 4}};
}

std::string error_of(const std::string& text) {
  try {
    (void)Config::from_json_text(text, "t.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string error_with(const std::string& key, const json& value) {
  json j = base();
  j[key] = value;
  return error_of(j.dump());
}

std::string error_without(const std::string& key) {
  json j = base();
  j.erase(key);
  return error_of(j.dump());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(valid_config_gets_defaults_and_derived_widths) {
  const Config c = Config::from_json_text(base().dump(), "t.json");
  BOOST_TEST(c.tiles == 1);
  BOOST_TEST(c.lookahead_depth == 4);  // default (docs/architecture.md, Concentration)
  BOOST_TEST(c.mult_bits == 16);       // default
  BOOST_TEST(c.derived.rows == 2);
  BOOST_TEST(c.derived.chunks_max == 4);
  BOOST_TEST(c.derived.lane_bits == 2);
  // |Z| <= 16 * 255 = 4080 -> 12 magnitude bits + sign.
  BOOST_TEST(c.derived.z_bits == 13);
  // |conv| <= 4080 * 4 * 9 * 128 = 18,800,640 < 2^25 -> 26 bits signed.
  BOOST_TEST(c.derived.conv_bits == 26);
  BOOST_TEST(c.derived.acc_bits == 33);
  BOOST_TEST(c.derived.product_bits == 49);
  BOOST_TEST(c.derived.input_entry_bits == 36);
  BOOST_TEST(c.weight_lanes == 1);            // default
  BOOST_TEST(c.gather_lanes == 0);            // default: one gather per chunk
  BOOST_TEST(c.derived.param_bits == 54);     // bias 32 + M 16 + S 6
  BOOST_TEST(c.derived.wgt_lane_bits == 54);  // max(param_bits 54, 2 * 4 * 4, 8)
  BOOST_TEST(c.derived.wgt_bits == 54);
  BOOST_TEST(c.derived.coef_item_bits == 32);       // 2 * 4 * 4
  BOOST_TEST(c.derived.basis_store_depth == 36);    // 4 * 3 * 3
  BOOST_TEST(c.derived.basis_taps_per_beat == 6);   // 54 / 8
  BOOST_TEST(c.derived.basis_beats == 6);           // ceil(36 / 6)
  BOOST_TEST(c.derived.basis_tap_count_bits == 6);  // 36 + 6 = 42 < 64
  BOOST_TEST(c.derived.row_load_sets == 2);         // 2 rows, one per beat
  BOOST_TEST(c.derived.row_count_bits == 2);        // 0..2
  BOOST_TEST(c.derived.group_base_bits == 4);       // 8 + 2 = 10 < 16
  BOOST_TEST(c.derived.k_bits == 2);                // 3
  BOOST_TEST(c.derived.pad_bits == 2);              // 0..2
  json j = base();
  j["weight_lanes"] = 2;
  const Config two = Config::from_json_text(j.dump(), "t.json");
  BOOST_TEST(two.derived.wgt_bits == 108);
  BOOST_TEST(two.derived.basis_taps_per_beat == 13);  // 108 / 8
  BOOST_TEST(two.derived.basis_beats == 3);           // ceil(36 / 13)
  BOOST_TEST(two.derived.row_load_sets == 1);
}

BOOST_AUTO_TEST_CASE(syntax_and_shape_errors) {
  BOOST_TEST(error_of("{\"tiles\": 1,") ==
             "t.json: (syntax): invalid JSON: parse error at line 1, column 13: syntax error while "
             "parsing object key - unexpected end of input; expected string literal");
  BOOST_TEST(error_of("[1, 2]") == "t.json: (top level): must be a JSON object");
  BOOST_CHECK_THROW((void)Config::from_file("/nonexistent/c.json"), InputError);
  BOOST_TEST(error_of("{") != "(accepted)");
}

BOOST_AUTO_TEST_CASE(unknown_key_named_with_suggestion) {
  BOOST_TEST(error_with("tile", 2) == "t.json: tile: unknown key (did you mean 'tiles'?)");
  BOOST_TEST(error_with("frobnicate", 2) == "t.json: frobnicate: unknown key");
}

BOOST_AUTO_TEST_CASE(every_missing_required_key_named) {
  int required = 0;
  for (const escgen::KeySpec& k : escgen::config_keys()) {
    if (!k.required) continue;
    ++required;
    BOOST_TEST(error_without(std::string(k.name)) ==
               "t.json: " + std::string(k.name) + ": missing required key");
  }
  BOOST_TEST(required == 12);                                    // the contract's keys
  BOOST_TEST(error_without("lookahead_depth") == "(accepted)");  // optional: default applies
}

BOOST_AUTO_TEST_CASE(wrong_types) {
  BOOST_TEST(error_with("tiles", 2.5) == "t.json: tiles: must be an integer (got 2.5)");
  BOOST_TEST(error_with("tiles", "2") == "t.json: tiles: must be an integer (got \"2\")");
  BOOST_TEST(error_with("tiles", true) == "t.json: tiles: must be an integer (got true)");
  BOOST_TEST(error_with("ca_lanes", nullptr) == "t.json: ca_lanes: must be an integer (got null)");
}

BOOST_AUTO_TEST_CASE(out_of_range_values) {
  BOOST_TEST(error_with("tiles", 0) == "t.json: tiles: must be in [1, 64] (got 0)");
  BOOST_TEST(error_with("row_width", 1) == "t.json: row_width: must be in [2, 256] (got 1)");
  BOOST_TEST(error_with("row_width", 12) == "t.json: row_width: must be a power of two (got 12)");
  BOOST_TEST(error_with("act_bits", -3) == "t.json: act_bits: must be in [1, 16] (got -3)");
  BOOST_TEST(error_with("max_w", uint64_t{1} << 63) ==
             "t.json: max_w: must be in [1, 8192] (got 9223372036854775807)");
  BOOST_TEST(error_with("lookahead_depth", 9) ==
             "t.json: lookahead_depth: must be in [0, 8] (got 9)");
}

BOOST_AUTO_TEST_CASE(cross_key_rules) {
  BOOST_TEST(error_with("coef_bits", 4) ==
             "t.json: coef_bits: must be 2 (ternary): wider coefficients need a multiplier per "
             "CA lane, which this generator does not build (got 4)");
  BOOST_TEST(error_with("max_d", 10) == "t.json: max_d: must be <= max_k * max_k = 9 (got 10)");
  BOOST_TEST(error_with("ca_lanes", 8) == "t.json: ca_lanes: must be <= row_width = 4 (got 8)");
  BOOST_TEST(error_with("ca_issue_width", 5) ==
             "t.json: ca_issue_width: must be <= max_d = 4 (got 5): a chunk has at most max_d "
             "vectors");
  BOOST_TEST(error_with("adder_pipeline_stages", 4) ==
             "t.json: adder_pipeline_stages: must be <= log2(ca_lanes) + 1 = 3 (got 4)");
  BOOST_TEST(error_with("macs_per_row", 37) ==
             "t.json: macs_per_row: must be <= max_d * max_k * max_k = 36 (got 37)");
  BOOST_TEST(error_with("input_buffer_depth", 3) ==
             "t.json: input_buffer_depth: 3 entries cannot hold one pixel's 4 chunks (max_c_in 16 "
             "/ row_width 4); need >= 4");
  const std::string gather_rule =
      "must be 0 (row_width) or a power of two from ca_lanes = 4 to row_width = 4 (got {}): each "
      "gather part feeds the Concentration as a vector, and a beat of ca_lanes must fit one";
  BOOST_TEST(error_with("gather_lanes", 3) ==
             "t.json: gather_lanes: " + fmt::format(fmt::runtime(gather_rule), 3));
  BOOST_TEST(error_with("gather_lanes", 8) ==
             "t.json: gather_lanes: " + fmt::format(fmt::runtime(gather_rule), 8));
  BOOST_TEST(error_with("gather_lanes", 2) ==
             "t.json: gather_lanes: " + fmt::format(fmt::runtime(gather_rule), 2));
  BOOST_TEST(error_with("weight_lanes", 3) ==
             "t.json: weight_lanes: must divide rows_per_tile = 2 (got 3): a beat loads whole "
             "lanes of rows");
  BOOST_TEST(error_with("acc_bits", 32) ==
             "t.json: acc_bits: must be 0 (derive) or >= 33 = max(conv_bits 26, 32) + 1 (got 32)");
  // |conv| <= 4096 * 255 * 49 * 49 * 128 = 3.3e11 < 2^39: 40 bits signed.
  json j = base();
  j["acc_bits"] = 60;
  j["mult_bits"] = 8;
  BOOST_TEST(error_of(j.dump()) == "t.json: mult_bits: acc_bits 60 + mult_bits 8 = 68 exceeds 64");
  // Limits whose worst case exceeds int32 are accepted: the contract admits only layers whose own
  // bound fits, so the accumulator stops at 32 bits (+1 for the bias).
  j = base();
  j["max_c_in"] = 4096;
  j["input_buffer_depth"] = 1024;
  j["max_k"] = 7;
  j["max_d"] = 49;
  const Config wide = Config::from_json_text(j.dump(), "t.json");
  BOOST_TEST(wide.derived.conv_bits == 32);
  BOOST_TEST(wide.derived.acc_bits == 33);
}

BOOST_AUTO_TEST_CASE(elaborated_json_and_header_hold_every_key) {
  const Config c = Config::from_json_text(base().dump(), "t.json");
  const auto j = c.elaborated_json();
  for (const escgen::KeySpec& k : escgen::config_keys())
    BOOST_TEST(j["config"].contains(std::string(k.name)), k.name);
  BOOST_TEST(j["derived"]["z_bits"].get<int>() == 13);
  // The elaborated JSON is itself a valid configuration once the derived part is dropped.
  const Config again = Config::from_json(j["config"], "elab");
  BOOST_TEST(again.derived.acc_bits == c.derived.acc_bits);
  const std::string h = escgen::params_header(c, "escgen generate ...");
  BOOST_TEST(h.find("inline constexpr int64_t ROW_WIDTH = 4;") != std::string::npos);
  BOOST_TEST(h.find("inline constexpr int64_t Z_BITS = 13;") != std::string::npos);
  BOOST_TEST(h.find("using z_t = int16_t;") != std::string::npos);
  BOOST_TEST(h.find("using acc_t = int64_t;") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(reference_documents_every_key_and_rule) {
  const std::string md = escgen::config_reference_markdown();
  for (const escgen::KeySpec& k : escgen::config_keys())
    BOOST_TEST(md.find("| `" + std::string(k.name) + "` |") != std::string::npos, k.name);
  for (const escgen::CrossRule& r : escgen::config_cross_rules())
    BOOST_TEST(md.find(std::string(r.rule)) != std::string::npos, r.key);
}

BOOST_AUTO_TEST_SUITE_END()
