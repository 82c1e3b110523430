// The layer directory of the contract (see layer.h): layer.json parsing, validation of every
// field and tensor, and writing. Order of checks: layer.json (syntax, unknown keys, then per key:
// missing, type, range; then cross-key rules and the int32 rule), then basis, coef, bias, scale,
// shift (file, dtype, shape, values). The first error wins: "<file>: <field>: <problem>".
#include "model/layer.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/npy.h"
#include "util/error.h"

namespace escgen {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& file, std::string_view field, const std::string& what) {
  throw InputError(fmt::format("{}: {}: {}", file, field, what));
}

std::string in_dir(const std::string& dir, const char* name) {
  return dir.empty() ? std::string(name) : (fs::path(dir) / name).string();
}

struct IntField {
  const char* name;
  int Layer::*member;
  int64_t min, max;
};

// layer.json's integer keys in contract order, with sane upper bounds.
constexpr IntField kIntFields[] = {
    {"c_in", &Layer::c_in, 1, 65535},
    {"c_out", &Layer::c_out, 1, 65535},
    {"h", &Layer::h, 1, 65535},
    {"w", &Layer::w, 1, 65535},
    {"k", &Layer::k, 1, 32},
    {"stride", &Layer::stride, 1, 64},
    {"pad", &Layer::pad, 0, 31},
    {"d", &Layer::d, 1, 1024},
    {"act_bits", &Layer::act_bits, 1, 16},
    {"basis_bits", &Layer::basis_bits, 2, 16},
    {"coef_bits", &Layer::coef_bits, 2, 8},
};
constexpr const char* kOutput = "output";

const char* output_name(OutputMode m) {
  return m == OutputMode::Raw ? "raw" : "requant_relu";
}

// "[a][b][c]" for flat index `e` of an array of shape `dims`.
std::string index_text(size_t e, std::initializer_list<int> dims) {
  std::vector<size_t> idx;
  for (auto it = std::rbegin(dims); it != std::rend(dims); ++it) {
    idx.push_back(e % static_cast<size_t>(*it));
    e /= static_cast<size_t>(*it);
  }
  std::string s;
  for (auto it = idx.rbegin(); it != idx.rend(); ++it) s += fmt::format("[{}]", *it);
  return s;
}

template <class T>
void check_range(const std::vector<T>& v, std::initializer_list<int> dims, int64_t lo, int64_t hi,
                 const std::string& file, const char* name, const std::string& note = "") {
  for (size_t e = 0; e < v.size(); ++e)
    if (v[e] < lo || v[e] > hi)
      fail(file, "value",
           fmt::format("{}{} = {} outside [{}, {}]{}", name, index_text(e, dims), v[e], lo, hi,
                       note));
}

void check_size(size_t got, std::initializer_list<int> dims, const std::string& file,
                const char* dims_text) {
  size_t n = 1;
  for (int d : dims) n *= static_cast<size_t>(d);
  if (got != n)
    fail(file, "shape", fmt::format("must have {} = {} elements (got {})", dims_text, n, got));
}

void validate_fields(const Layer& l, const std::string& json) {
  for (const IntField& f : kIntFields) {
    const int v = l.*(f.member);
    if (v < f.min || v > f.max)
      fail(json, f.name, fmt::format("must be in [{}, {}] (got {})", f.min, f.max, v));
  }
  if (l.output != OutputMode::Raw && l.output != OutputMode::RequantRelu)
    fail(json, kOutput, "must be \"requant_relu\" or \"raw\"");
  if (l.pad >= l.k) fail(json, "pad", fmt::format("must be < k = {} (got {})", l.k, l.pad));
  for (auto [name, size] : {std::pair{"h", l.h}, std::pair{"w", l.w}})
    if (size + 2 * l.pad < l.k)
      fail(json, name,
           fmt::format("{0} + 2*pad = {1} must be >= k = {2} so that {0}_out = floor(({0} + "
                       "2*pad - k) / stride) + 1 >= 1 (got {0} = {3})",
                       name, size + 2 * l.pad, l.k, size));
  const uint64_t worst = worst_case_conv(l);
  if (worst >= (uint64_t{1} << 31))
    fail(json, "c_in",
         fmt::format("worst-case |acc - bias| = c_in {} * (2^act_bits - 1) {} * coef_max {} * d "
                     "{} * k*k {} * 2^(basis_bits-1) {} = {} must be < 2^31 (int32 accumulator)",
                     l.c_in, (int64_t{1} << l.act_bits) - 1, (1 << (l.coef_bits - 1)) - 1, l.d,
                     l.k * l.k, int64_t{1} << (l.basis_bits - 1),
                     worst == UINT64_MAX ? std::string("more than 2^64") : std::to_string(worst)));
}

void validate_tensors(const Layer& l, const std::string& dir, int mult_bits) {
  const int64_t basis_half = int64_t{1} << (l.basis_bits - 1);
  const int64_t coef_max = (int64_t{1} << (l.coef_bits - 1)) - 1;
  const std::string basis = in_dir(dir, "basis.npy"), coef = in_dir(dir, "coef.npy");
  const std::string bias = in_dir(dir, "bias.npy"), scale = in_dir(dir, "scale.npy");
  const std::string shift = in_dir(dir, "shift.npy");
  check_size(l.basis.size(), {l.d, l.k, l.k}, basis, "(d, k, k)");
  check_range(l.basis, {l.d, l.k, l.k}, -basis_half, basis_half - 1, basis, "basis");
  check_size(l.coef.size(), {l.c_out, l.c_in, l.d}, coef, "(c_out, c_in, d)");
  check_range(l.coef, {l.c_out, l.c_in, l.d}, -coef_max, coef_max, coef, "coef");
  check_size(l.bias.size(), {l.c_out}, bias, "(c_out,)");
  check_size(l.scale.size(), {l.c_out}, scale, "(c_out,)");
  if (mult_bits < 1 || mult_bits > 31)
    throw InternalError(fmt::format("validate_layer: mult_bits {} outside [1, 31]", mult_bits));
  check_range(l.scale, {l.c_out}, 0, (int64_t{1} << mult_bits) - 1, scale, "scale",
              fmt::format(" (mult_bits {})", mult_bits));
  check_size(l.shift.size(), {l.c_out}, shift, "(c_out,)");
  check_range(l.shift, {l.c_out}, 0, 62, shift, "shift");
}

Layer parse_json(const std::string& json_path) {
  std::ifstream in(json_path, std::ios::binary);
  if (!in) fail(json_path, "(file)", fs::exists(json_path) ? "cannot open" : "missing");
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    const std::string what = e.what();
    const auto pos = what.find("] ");
    fail(json_path, "(syntax)",
         "invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
  if (!j.is_object()) fail(json_path, "(top level)", "must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    (void)value;
    bool known = key == kOutput;
    for (const IntField& f : kIntFields) known = known || key == f.name;
    if (!known) fail(json_path, key, "unknown key");
  }
  Layer l;
  for (const IntField& f : kIntFields) {
    auto it = j.find(f.name);
    if (it == j.end()) fail(json_path, f.name, "missing required key");
    if (!it->is_number_integer())
      fail(json_path, f.name, fmt::format("must be an integer (got {})", it->dump()));
    const int64_t v = it->is_number_unsigned() && it->get<uint64_t>() > INT64_MAX
                          ? INT64_MAX
                          : it->get<int64_t>();
    if (v < f.min || v > f.max)
      fail(json_path, f.name, fmt::format("must be in [{}, {}] (got {})", f.min, f.max, v));
    l.*(f.member) = static_cast<int>(v);
  }
  auto it = j.find(kOutput);
  if (it == j.end()) fail(json_path, kOutput, "missing required key");
  if (it->is_string() && it->get<std::string>() == "requant_relu")
    l.output = OutputMode::RequantRelu;
  else if (it->is_string() && it->get<std::string>() == "raw")
    l.output = OutputMode::Raw;
  else
    fail(json_path, kOutput,
         fmt::format("must be \"requant_relu\" or \"raw\" (got {})", it->dump()));
  return l;
}

size_t z(int v) {
  return static_cast<size_t>(v);
}

}  // namespace

uint64_t worst_case_conv(const Layer& l) {
  __extension__ using u128 = unsigned __int128;
  if (l.c_in < 0 || l.d < 0 || l.k < 0 || l.act_bits < 0 || l.act_bits > 62 || l.basis_bits < 1 ||
      l.basis_bits > 62 || l.coef_bits < 1 || l.coef_bits > 62)
    return UINT64_MAX;
  u128 w = static_cast<u128>(l.c_in) * ((u128{1} << l.act_bits) - 1);
  w *= (u128{1} << (l.coef_bits - 1)) - 1;
  w *= static_cast<u128>(l.d);
  w *= static_cast<u128>(l.k) * static_cast<u128>(l.k);
  w *= u128{1} << (l.basis_bits - 1);
  return w > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(w);
}

void validate_layer(const Layer& l, const std::string& dir, int mult_bits) {
  validate_fields(l, in_dir(dir, "layer.json"));
  validate_tensors(l, dir, mult_bits);
}

Layer load_layer(const std::string& dir, int mult_bits) {
  Layer l = parse_json(in_dir(dir, "layer.json"));
  validate_fields(l, in_dir(dir, "layer.json"));
  using npy::DType;
  l.basis =
      npy::read_checked(in_dir(dir, "basis.npy"), {l.basis_bits > 8 ? DType::Int16 : DType::Int8},
                        {z(l.d), z(l.k), z(l.k)})
          .values<int32_t>();
  l.coef =
      npy::read_checked(in_dir(dir, "coef.npy"), {DType::Int8}, {z(l.c_out), z(l.c_in), z(l.d)})
          .values<int8_t>();
  l.bias =
      npy::read_checked(in_dir(dir, "bias.npy"), {DType::Int32}, {z(l.c_out)}).values<int32_t>();
  l.scale =
      npy::read_checked(in_dir(dir, "scale.npy"), {DType::Int32}, {z(l.c_out)}).values<int32_t>();
  l.shift =
      npy::read_checked(in_dir(dir, "shift.npy"), {DType::Int32}, {z(l.c_out)}).values<int32_t>();
  l.dir = dir;
  validate_tensors(l, dir, mult_bits);
  return l;
}

void save_layer(const std::string& dir, const Layer& l, int mult_bits) {
  validate_layer(l, dir, mult_bits);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail(dir, "(directory)", "cannot create: " + ec.message());
  nlohmann::ordered_json j;
  for (const IntField& f : kIntFields) j[f.name] = l.*(f.member);
  j[kOutput] = output_name(l.output);
  const std::string json_path = in_dir(dir, "layer.json");
  {
    std::ofstream out(json_path, std::ios::binary | std::ios::trunc);
    out << j.dump(2) << "\n";
    if (!out) fail(json_path, "(file)", "cannot write");
  }
  using npy::DType;
  npy::write(in_dir(dir, "basis.npy"), npy::make(l.basis_bits > 8 ? DType::Int16 : DType::Int8,
                                                 {z(l.d), z(l.k), z(l.k)}, l.basis));
  npy::write(in_dir(dir, "coef.npy"),
             npy::make(DType::Int8, {z(l.c_out), z(l.c_in), z(l.d)}, l.coef));
  npy::write(in_dir(dir, "bias.npy"), npy::make(DType::Int32, {z(l.c_out)}, l.bias));
  npy::write(in_dir(dir, "scale.npy"), npy::make(DType::Int32, {z(l.c_out)}, l.scale));
  npy::write(in_dir(dir, "shift.npy"), npy::make(DType::Int32, {z(l.c_out)}, l.shift));
}

namespace {

npy::DType input_dtype(const Layer& l) {
  return l.act_bits > 8 ? npy::DType::UInt16 : npy::DType::UInt8;
}

void check_input(const std::string& path, const Layer& l, const std::vector<uint16_t>& x) {
  check_size(x.size(), {l.c_in, l.h, l.w}, path, "(c_in, h, w)");
  check_range(x, {l.c_in, l.h, l.w}, 0, (int64_t{1} << l.act_bits) - 1, path, "x",
              fmt::format(" (act_bits {})", l.act_bits));
}

}  // namespace

std::vector<uint16_t> load_input(const std::string& path, const Layer& l) {
  std::vector<uint16_t> x =
      npy::read_checked(path, {input_dtype(l)}, {z(l.c_in), z(l.h), z(l.w)}).values<uint16_t>();
  check_input(path, l, x);
  return x;
}

void save_input(const std::string& path, const Layer& l, const std::vector<uint16_t>& x) {
  check_input(path, l, x);
  npy::write(path, npy::make(input_dtype(l), {z(l.c_in), z(l.h), z(l.w)}, x));
}

}  // namespace escgen
