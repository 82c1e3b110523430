// Layer directories: round trips, and every validation error of layer.json, the tensors and the
// input, each with its exact message (file inside the layer directory, field, problem).
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/layer.h"
#include "model/npy.h"
#include "model/random_layer.h"
#include "test_model_util.h"
#include "util/error.h"

namespace {

using escgen::InputError;
using escgen::Layer;
using escgen::test::ModelTempDir;
using nlohmann::json;
namespace npy = escgen::npy;
using npy::DType;

escgen::RandomLayer small(int basis_bits = 8, int act_bits = 8) {
  escgen::RandomLayerSpec s;
  s.c_in = 3, s.c_out = 2, s.h = 5, s.w = 4, s.k = 3, s.stride = 1, s.pad = 1, s.d = 4;
  s.basis_bits = basis_bits, s.act_bits = act_bits;
  return escgen::random_layer(s, 7);
}

json base_json() {
  return json{{"c_in", 3},     {"c_out", 2},      {"h", 5},         {"w", 4},
              {"k", 3},        {"stride", 1},     {"pad", 1},       {"d", 4},
              {"act_bits", 8}, {"basis_bits", 8}, {"coef_bits", 2}, {"output", "requant_relu"}};
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

// A saved valid layer directory "<tmp>/L" whose files the test then breaks one at a time.
struct LayerDir {
  ModelTempDir t;
  std::string dir = t / "L";
  escgen::RandomLayer r = small();
  LayerDir() { escgen::save_layer(dir, r.layer); }
  std::string file(const char* name) const { return dir + "/" + name; }
  std::string load_error(int mult_bits = 16) const {
    return error_of([&] { (void)escgen::load_layer(dir, mult_bits); });
  }
  std::string json_error(const json& j) const {
    escgen::test::write_bytes(file("layer.json"), j.dump());
    return load_error();
  }
  std::string json_error_with(const std::string& key, const json& value) const {
    json j = base_json();
    j[key] = value;
    return json_error(j);
  }
  template <class T>
  void put(const char* name, DType dt, std::vector<size_t> shape, const std::vector<T>& v) const {
    npy::write(file(name), npy::make(dt, std::move(shape), v));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(layer)

BOOST_AUTO_TEST_CASE(save_and_load_round_trip) {
  for (auto [basis_bits, act_bits] : {std::pair{8, 8}, std::pair{12, 10}, std::pair{2, 1}}) {
    ModelTempDir t;
    const escgen::RandomLayer r = small(basis_bits, act_bits);
    escgen::save_layer(t / "L", r.layer);
    escgen::save_input(t / "x.npy", r.layer, r.x);
    const Layer l = escgen::load_layer(t / "L");
    BOOST_TEST(l.c_in == 3);
    BOOST_TEST(l.c_out == 2);
    BOOST_TEST(l.h == 5);
    BOOST_TEST(l.w == 4);
    BOOST_TEST(l.k == 3);
    BOOST_TEST(l.d == 4);
    BOOST_TEST(l.pad == 1);
    BOOST_TEST(l.act_bits == act_bits);
    BOOST_TEST(l.basis_bits == basis_bits);
    BOOST_TEST(l.dir == t / "L");
    BOOST_TEST((l.output == escgen::OutputMode::RequantRelu));
    BOOST_TEST((l.basis == r.layer.basis));
    BOOST_TEST((l.coef == r.layer.coef));
    BOOST_TEST((l.bias == r.layer.bias));
    BOOST_TEST((l.scale == r.layer.scale));
    BOOST_TEST((l.shift == r.layer.shift));
    BOOST_TEST((escgen::load_input(t / "x.npy", l) == r.x));
    // The contract's dtypes: basis int16 above 8 bits, x uint16 above 8 bits.
    BOOST_TEST(
        (npy::read(t / "L/basis.npy").dtype == (basis_bits > 8 ? DType::Int16 : DType::Int8)));
    BOOST_TEST((npy::read(t / "x.npy").dtype == (act_bits > 8 ? DType::UInt16 : DType::UInt8)));
    BOOST_TEST((npy::read(t / "L/coef.npy").dtype == DType::Int8));
    for (const char* f : {"bias.npy", "scale.npy", "shift.npy"})
      BOOST_TEST((npy::read(t / (std::string("L/") + f)).shape == std::vector<size_t>{2}));
    const json j = json::parse(escgen::test::read_bytes(t / "L/layer.json"));
    json want = base_json();
    want["act_bits"] = act_bits;
    want["basis_bits"] = basis_bits;
    BOOST_TEST(j == want);
  }
}

BOOST_AUTO_TEST_CASE(raw_output_round_trip) {
  ModelTempDir t;
  escgen::RandomLayer r = small();
  r.layer.output = escgen::OutputMode::Raw;
  escgen::save_layer(t / "L", r.layer);
  BOOST_TEST((escgen::load_layer(t / "L").output == escgen::OutputMode::Raw));
  BOOST_TEST(json::parse(escgen::test::read_bytes(t / "L/layer.json"))["output"] == "raw");
}

BOOST_AUTO_TEST_CASE(layer_json_file_and_syntax_errors) {
  LayerDir L;
  const std::string j = L.file("layer.json");
  escgen::test::write_bytes(j, "{\"c_in\": 3,");
  BOOST_TEST(L.load_error() ==
             j + ": (syntax): invalid JSON: parse error at line 1, column 12: syntax error while "
                 "parsing object key - unexpected end of input; expected string literal");
  escgen::test::write_bytes(j, "[1]");
  BOOST_TEST(L.load_error() == j + ": (top level): must be a JSON object");
  std::filesystem::remove(j);
  BOOST_TEST(L.load_error() == j + ": (file): missing");
  BOOST_TEST(error_of([&] { (void)escgen::load_layer(L.t / "nowhere"); }) ==
             L.t / "nowhere" + "/layer.json: (file): missing");
}

BOOST_AUTO_TEST_CASE(layer_json_key_errors) {
  LayerDir L;
  const std::string j = L.file("layer.json");
  BOOST_TEST(L.json_error(base_json()) == "(accepted)");
  BOOST_TEST(L.json_error_with("kernel", 3) == j + ": kernel: unknown key");
  const json all = base_json();
  for (const auto& [key, value] : all.items()) {
    json without = base_json();
    without.erase(key);
    BOOST_TEST(L.json_error(without) == j + ": " + key + ": missing required key");
    if (key == "output") continue;
    BOOST_TEST(L.json_error_with(key, 2.5) == j + ": " + key + ": must be an integer (got 2.5)");
    BOOST_TEST(L.json_error_with(key, "3") == j + ": " + key + ": must be an integer (got \"3\")");
    BOOST_TEST(L.json_error_with(key, true) == j + ": " + key + ": must be an integer (got true)");
    BOOST_TEST(L.json_error_with(key, nullptr) ==
               j + ": " + key + ": must be an integer (got null)");
  }
  BOOST_TEST(L.json_error_with("output", "relu") ==
             j + ": output: must be \"requant_relu\" or \"raw\" (got \"relu\")");
  BOOST_TEST(L.json_error_with("output", 1) ==
             j + ": output: must be \"requant_relu\" or \"raw\" (got 1)");
}

BOOST_AUTO_TEST_CASE(layer_json_range_errors) {
  LayerDir L;
  const std::string j = L.file("layer.json");
  const std::vector<std::tuple<const char*, int64_t, const char*>> cases = {
      {"c_in", 0, "must be in [1, 65535] (got 0)"},
      {"c_out", 65536, "must be in [1, 65535] (got 65536)"},
      {"h", -1, "must be in [1, 65535] (got -1)"},
      {"w", 0, "must be in [1, 65535] (got 0)"},
      {"k", 0, "must be in [1, 32] (got 0)"},
      {"k", 33, "must be in [1, 32] (got 33)"},
      {"stride", 0, "must be in [1, 64] (got 0)"},
      {"pad", -1, "must be in [0, 31] (got -1)"},
      {"pad", 3, "must be < k = 3 (got 3)"},
      {"d", 0, "must be in [1, 1024] (got 0)"},
      {"act_bits", 0, "must be in [1, 16] (got 0)"},
      {"act_bits", 17, "must be in [1, 16] (got 17)"},
      {"basis_bits", 1, "must be in [2, 16] (got 1)"},
      {"basis_bits", 17, "must be in [2, 16] (got 17)"},
      {"coef_bits", 1, "must be in [2, 8] (got 1)"},
      {"coef_bits", 9, "must be in [2, 8] (got 9)"},
      {"c_in", int64_t{1} << 40, "must be in [1, 65535] (got 1099511627776)"},
  };
  for (const auto& [key, value, what] : cases)
    BOOST_TEST(L.json_error_with(key, value) == j + ": " + key + ": " + what);
  BOOST_TEST(L.json_error_with("c_in", uint64_t{1} << 63) ==
             j + ": c_in: must be in [1, 65535] (got 9223372036854775807)");
  json small_h = base_json();
  small_h["h"] = 1;
  small_h["pad"] = 0;
  BOOST_TEST(L.json_error(small_h) ==
             j + ": h: h + 2*pad = 1 must be >= k = 3 so that h_out = floor((h + 2*pad - k) / "
                 "stride) + 1 >= 1 (got h = 1)");
  json small_w = base_json();
  small_w["w"] = 2;
  small_w["k"] = 5;
  small_w["pad"] = 1;
  BOOST_TEST(L.json_error(small_w) ==
             j + ": w: w + 2*pad = 4 must be >= k = 5 so that w_out = floor((w + 2*pad - k) / "
                 "stride) + 1 >= 1 (got w = 2)");
}

BOOST_AUTO_TEST_CASE(int32_accumulator_rule) {
  LayerDir L;
  const std::string j = L.file("layer.json");
  Layer l = L.r.layer;
  l.d = 9;
  // Per input channel: 255 * 1 * 9 * 9 * 128 = 2,643,840; 812 channels fit below 2^31, 813 not.
  l.c_in = 812;
  BOOST_TEST(escgen::worst_case_conv(l) == 812u * 2643840u);
  l.c_in = 813;
  BOOST_TEST(escgen::worst_case_conv(l) == 813u * 2643840u);
  json ok = base_json();
  ok["d"] = 9;
  ok["c_in"] = 812;
  // Accepted as far as layer.json goes: the next complaint is the tensor shape.
  BOOST_TEST(L.json_error(ok) ==
             L.file("basis.npy") + ": shape: must be (9, 3, 3) (got (4, 3, 3))");
  json bad = ok;
  bad["c_in"] = 813;
  BOOST_TEST(L.json_error(bad) ==
             j + ": c_in: worst-case |acc - bias| = c_in 813 * (2^act_bits - 1) 255 * coef_max 1 "
                 "* d 9 * k*k 9 * 2^(basis_bits-1) 128 = 2149441920 must be < 2^31 (int32 "
                 "accumulator)");
  json huge = base_json();
  for (auto [key, value] :
       {std::pair{"c_in", 65535}, std::pair{"act_bits", 16}, std::pair{"coef_bits", 8},
        std::pair{"d", 1024}, std::pair{"k", 32}, std::pair{"pad", 0}, std::pair{"basis_bits", 16},
        std::pair{"h", 32}, std::pair{"w", 32}})
    huge[key] = value;
  BOOST_TEST(L.json_error(huge).find(": c_in: worst-case |acc - bias| = c_in 65535 ") !=
             std::string::npos);
  BOOST_TEST(L.json_error(huge).find("= more than 2^64 must be < 2^31") != std::string::npos);
  l = L.r.layer;
  l.c_in = 65535, l.act_bits = 16, l.coef_bits = 8, l.d = 1024, l.k = 32, l.basis_bits = 16;
  BOOST_TEST(escgen::worst_case_conv(l) == UINT64_MAX);
}

BOOST_AUTO_TEST_CASE(tensor_file_errors) {
  LayerDir L;
  std::filesystem::remove(L.file("coef.npy"));
  BOOST_TEST(L.load_error() == L.file("coef.npy") + ": (file): missing");
  L.put<int>("coef.npy", DType::Int16, {2, 3, 4}, std::vector<int>(24, 0));
  BOOST_TEST(L.load_error() == L.file("coef.npy") + ": dtype: must be int8 (got int16)");
  L.put<int>("coef.npy", DType::Int8, {2, 4, 3}, std::vector<int>(24, 0));
  BOOST_TEST(L.load_error() == L.file("coef.npy") + ": shape: must be (2, 3, 4) (got (2, 4, 3))");
  L.put<int>("coef.npy", DType::Int8, {2, 3, 4}, std::vector<int>(24, 0));
  BOOST_TEST(L.load_error() == "(accepted)");
  // basis: int8 up to 8 bits, int16 above; (d, k, k).
  L.put<int>("basis.npy", DType::Int16, {4, 3, 3}, std::vector<int>(36, 0));
  BOOST_TEST(L.load_error() == L.file("basis.npy") + ": dtype: must be int8 (got int16)");
  L.put<int>("basis.npy", DType::Int8, {4, 9}, std::vector<int>(36, 0));
  BOOST_TEST(L.load_error() == L.file("basis.npy") + ": shape: must be (4, 3, 3) (got (4, 9))");
  L.put<int>("basis.npy", DType::Int8, {4, 3, 3}, std::vector<int>(36, 0));
  json wide = base_json();
  wide["basis_bits"] = 9;
  BOOST_TEST(L.json_error(wide) == L.file("basis.npy") + ": dtype: must be int16 (got int8)");
  escgen::save_layer(L.dir, L.r.layer);
  for (const char* f : {"bias.npy", "scale.npy", "shift.npy"}) {
    L.put<int>(f, DType::Int32, {3}, {0, 0, 0});
    BOOST_TEST(L.load_error() == L.file(f) + ": shape: must be (2,) (got (3,))");
    L.put<int>(f, DType::UInt16, {2}, {0, 0});
    BOOST_TEST(L.load_error() == L.file(f) + ": dtype: must be int32 (got uint16)");
    L.put<int>(f, DType::Int32, {2}, {0, 0});
    BOOST_TEST(L.load_error() == "(accepted)");
  }
  escgen::test::write_bytes(L.file("bias.npy"), "garbage");
  BOOST_TEST(L.load_error() ==
             L.file("bias.npy") + ": header: not a .npy file (no \\x93NUMPY magic string)");
}

BOOST_AUTO_TEST_CASE(tensor_value_errors) {
  LayerDir L;
  std::vector<int> coef(24, 0);
  coef[(1 * 3 + 2) * 4 + 3] = -2;
  L.put("coef.npy", DType::Int8, {2, 3, 4}, coef);
  BOOST_TEST(L.load_error() == L.file("coef.npy") + ": value: coef[1][2][3] = -2 outside [-1, 1]");
  json j4 = base_json();
  j4["coef_bits"] = 4;
  coef[5] = 8;
  L.put("coef.npy", DType::Int8, {2, 3, 4}, coef);
  BOOST_TEST(L.json_error(j4) == L.file("coef.npy") + ": value: coef[0][1][1] = 8 outside [-7, 7]");
  coef[5] = -8;
  L.put("coef.npy", DType::Int8, {2, 3, 4}, coef);
  BOOST_TEST(L.load_error() == L.file("coef.npy") + ": value: coef[0][1][1] = -8 outside [-7, 7]");
  coef[5] = 7;
  L.put("coef.npy", DType::Int8, {2, 3, 4}, coef);
  BOOST_TEST(L.load_error() == "(accepted)");  // coef_bits 4: -2 and 7 are in range

  escgen::save_layer(L.dir, L.r.layer);
  std::vector<int> basis(36, 0);
  basis[35] = -128;
  L.put("basis.npy", DType::Int8, {4, 3, 3}, basis);
  BOOST_TEST(L.load_error() == "(accepted)");
  json j2 = base_json();
  j2["basis_bits"] = 2;
  BOOST_TEST(L.json_error(j2) ==
             L.file("basis.npy") + ": value: basis[3][2][2] = -128 outside [-2, 1]");
  basis[35] = 2;
  L.put("basis.npy", DType::Int8, {4, 3, 3}, basis);
  BOOST_TEST(L.load_error() == L.file("basis.npy") + ": value: basis[3][2][2] = 2 outside [-2, 1]");
  json j12 = base_json();
  j12["basis_bits"] = 12;
  basis[4] = 2048;
  L.put("basis.npy", DType::Int16, {4, 3, 3}, basis);
  BOOST_TEST(L.json_error(j12) ==
             L.file("basis.npy") + ": value: basis[0][1][1] = 2048 outside [-2048, 2047]");

  escgen::save_layer(L.dir, L.r.layer);
  L.put<int>("scale.npy", DType::Int32, {2}, {65535, 65536});
  BOOST_TEST(L.load_error() ==
             L.file("scale.npy") + ": value: scale[1] = 65536 outside [0, 65535] (mult_bits 16)");
  BOOST_TEST(L.load_error(17) == "(accepted)");
  L.put<int>("scale.npy", DType::Int32, {2}, {-1, 0});
  BOOST_TEST(L.load_error(20) ==
             L.file("scale.npy") + ": value: scale[0] = -1 outside [0, 1048575] (mult_bits 20)");
  L.put<int>("scale.npy", DType::Int32, {2}, {0, 0});
  L.put<int>("shift.npy", DType::Int32, {2}, {62, 63});
  BOOST_TEST(L.load_error() == L.file("shift.npy") + ": value: shift[1] = 63 outside [0, 62]");
  L.put<int>("shift.npy", DType::Int32, {2}, {-1, 0});
  BOOST_TEST(L.load_error() == L.file("shift.npy") + ": value: shift[0] = -1 outside [0, 62]");
  L.put<int>("shift.npy", DType::Int32, {2}, {0, 62});
  L.put<int>("bias.npy", DType::Int32, {2}, {INT32_MIN, INT32_MAX});  // any int32 bias is valid
  BOOST_TEST(L.load_error() == "(accepted)");
}

BOOST_AUTO_TEST_CASE(in_memory_validation) {
  const escgen::RandomLayer r = small();
  auto err = [](const Layer& l) { return error_of([&] { escgen::validate_layer(l, "M"); }); };
  BOOST_TEST(err(r.layer) == "(accepted)");
  Layer l = r.layer;
  l.coef.pop_back();
  BOOST_TEST(err(l) == "M/coef.npy: shape: must have (c_out, c_in, d) = 24 elements (got 23)");
  l = r.layer;
  l.basis.push_back(0);
  BOOST_TEST(err(l) == "M/basis.npy: shape: must have (d, k, k) = 36 elements (got 37)");
  l = r.layer;
  l.bias.clear();
  BOOST_TEST(err(l) == "M/bias.npy: shape: must have (c_out,) = 2 elements (got 0)");
  l = r.layer;
  l.scale.push_back(1);
  BOOST_TEST(err(l) == "M/scale.npy: shape: must have (c_out,) = 2 elements (got 3)");
  l = r.layer;
  l.shift.resize(1);
  BOOST_TEST(err(l) == "M/shift.npy: shape: must have (c_out,) = 2 elements (got 1)");
  l = r.layer;
  l.basis[0] = 128;
  BOOST_TEST(err(l) == "M/basis.npy: value: basis[0][0][0] = 128 outside [-128, 127]");
  l = r.layer;
  l.stride = 0;
  BOOST_TEST(err(l) == "M/layer.json: stride: must be in [1, 64] (got 0)");
  l = r.layer;
  l.output = static_cast<escgen::OutputMode>(7);
  BOOST_TEST(err(l) == "M/layer.json: output: must be \"requant_relu\" or \"raw\"");
  // save_layer validates before writing anything.
  ModelTempDir t;
  l = r.layer;
  l.pad = 5;
  BOOST_TEST(error_of([&] { escgen::save_layer(t / "S", l); }) ==
             t / "S" + "/layer.json: pad: must be < k = 3 (got 5)");
  BOOST_TEST(!std::filesystem::exists(t / "S"));
  BOOST_TEST(error_of([&] { escgen::validate_layer(r.layer, ""); }) == "(accepted)");
  l.pad = 1;
  l.coef[0] = 3;
  BOOST_TEST(error_of([&] { escgen::validate_layer(l, ""); }) ==
             "coef.npy: value: coef[0][0][0] = 3 outside [-1, 1]");
}

BOOST_AUTO_TEST_CASE(input_errors) {
  ModelTempDir t;
  const escgen::RandomLayer r = small();
  const Layer& l = r.layer;
  const std::string x = t / "x.npy";
  auto err = [&] { return error_of([&] { (void)escgen::load_input(x, l); }); };
  BOOST_TEST(err() == x + ": (file): missing");
  std::vector<int> v(60, 0);
  npy::write(x, npy::make(DType::UInt16, {3, 5, 4}, v));
  BOOST_TEST(err() == x + ": dtype: must be uint8 (got uint16)");
  npy::write(x, npy::make(DType::Int8, {3, 5, 4}, v));
  BOOST_TEST(err() == x + ": dtype: must be uint8 (got int8)");
  npy::write(x, npy::make(DType::UInt8, {3, 4, 5}, v));
  BOOST_TEST(err() == x + ": shape: must be (3, 5, 4) (got (3, 4, 5))");
  npy::write(x, npy::make(DType::UInt8, {3, 5, 4}, v));
  BOOST_TEST(err() == "(accepted)");
  Layer l4 = l;
  l4.act_bits = 4;
  v[(2 * 5 + 1) * 4 + 3] = 16;
  npy::write(x, npy::make(DType::UInt8, {3, 5, 4}, v));
  BOOST_TEST(error_of([&] { (void)escgen::load_input(x, l4); }) ==
             x + ": value: x[2][1][3] = 16 outside [0, 15] (act_bits 4)");
  Layer l12 = l;
  l12.act_bits = 12;
  npy::write(x, npy::make(DType::UInt8, {3, 5, 4}, v));
  BOOST_TEST(error_of([&] { (void)escgen::load_input(x, l12); }) ==
             x + ": dtype: must be uint16 (got uint8)");
  v[0] = 4096;
  npy::write(x, npy::make(DType::UInt16, {3, 5, 4}, v));
  BOOST_TEST(error_of([&] { (void)escgen::load_input(x, l12); }) ==
             x + ": value: x[0][0][0] = 4096 outside [0, 4095] (act_bits 12)");
  std::vector<uint16_t> xs(60, 0);
  xs[59] = 256;
  BOOST_TEST(error_of([&] { escgen::save_input(x, l, xs); }) ==
             x + ": value: x[2][4][3] = 256 outside [0, 255] (act_bits 8)");
  xs.pop_back();
  BOOST_TEST(error_of([&] { escgen::save_input(x, l, xs); }) ==
             x + ": shape: must have (c_in, h, w) = 60 elements (got 59)");
}

BOOST_AUTO_TEST_SUITE_END()
