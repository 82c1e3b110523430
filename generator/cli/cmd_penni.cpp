// `escgen penni compress --weights W.npy ... --out DIR` and `escgen penni quantize --basis B.npy
// --coef C.npy ... --out DIR`: PENNI compression of one float convolution layer into a contract
// layer directory (plus x.npy, the first evaluation input), with a text report and, with
// --report FILE.json, the same report as JSON. The work is done by penni/compress.h; this file
// reads and checks the .npy inputs and writes the outputs.
#include <cmath>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "model/npy.h"
#include "penni/compress.h"
#include "util/error.h"

namespace escgen::cli {
namespace {

namespace fs = std::filesystem;
using npy::DType;

[[noreturn]] void fail(const std::string& where, std::string_view field, const std::string& what) {
  throw InputError(fmt::format("{}: {}: {}", where, field, what));
}

std::string shape_text(const std::vector<size_t>& shape) {
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  return fmt::format("({})", fmt::join(shape, ", "));
}

int dim(const std::string& path, const std::vector<size_t>& shape, size_t i) {
  if (shape[i] < 1 || shape[i] > 65535)
    fail(path, "shape",
         fmt::format("dimension {} of {} must be in [1, 65535]", i, shape_text(shape)));
  return static_cast<int>(shape[i]);
}

// A float32 array of `ndims` dimensions (any of them when ndims has several), finite values.
npy::Array read_float(const std::string& path, std::initializer_list<size_t> ndims,
                      const char* layout) {
  npy::Array a = npy::read_checked(path, {DType::Float32}, {});
  if (std::find(ndims.begin(), ndims.end(), a.shape.size()) == ndims.end())
    fail(path, "shape", fmt::format("must be {} (got {})", layout, shape_text(a.shape)));
  for (size_t i = 0; i < a.shape.size(); ++i) dim(path, a.shape, i);
  return a;
}

std::vector<double> finite_values(const std::string& path, const npy::Array& a) {
  std::vector<double> v = a.values<double>();
  for (size_t e = 0; e < v.size(); ++e)
    if (!std::isfinite(v[e]))
      fail(path, "value", fmt::format("element {} is {} (must be finite)", e, v[e]));
  return v;
}

std::vector<double> read_bias(const std::string& path, int c_out) {
  if (path.empty()) return {};
  const npy::Array a = npy::read_checked(path, {DType::Float32}, {static_cast<size_t>(c_out)});
  return finite_values(path, a);
}

std::optional<penni::Activations> read_calib(const std::string& path) {
  if (path.empty()) return std::nullopt;
  const npy::Array a = read_float(path, {3, 4}, "(C_in, H, W) or (N, C_in, H, W)");
  penni::Activations act;
  const size_t off = a.shape.size() - 3;
  act.n = off ? dim(path, a.shape, 0) : 1;
  act.c = dim(path, a.shape, off);
  act.h = dim(path, a.shape, off + 1);
  act.w = dim(path, a.shape, off + 2);
  act.data = finite_values(path, a);
  for (size_t e = 0; e < act.data.size(); ++e)
    if (act.data[e] < 0.0)
      fail(path, "value",
           fmt::format("element {} is {}: calibration inputs must be non-negative activations "
                       "(e.g. after ReLU)",
                       e, act.data[e]));
  return act;
}

// Options shared by both subcommands.
struct Common {
  std::string bias, calib, out, report, output = "requant_relu", alpha = "channel";
  penni::Options opt;
};

void add_common(CLI::App* cmd, Common& c) {
  cmd->add_option("--bias", c.bias, "bias, float32 (C_out,)");
  cmd->add_option("--calib", c.calib,
                  "calibration inputs, float32 (C_in, H, W) or (N, C_in, H, W), non-negative");
  cmd->add_option("--out", c.out, "output layer directory")->required();
  cmd->add_option("--report", c.report, "also write the report as JSON to this file");
  cmd->add_option("--stride", c.opt.stride, "convolution stride")->capture_default_str();
  cmd->add_option("--pad", c.opt.pad, "zero padding (default k/2)");
  cmd->add_option("--h", c.opt.h, "input height (required without --calib)");
  cmd->add_option("--w", c.opt.w, "input width (required without --calib)");
  cmd->add_option("--act-bits", c.opt.act_bits, "activation bits")->capture_default_str();
  cmd->add_option("--basis-bits", c.opt.basis_bits, "basis bits (signed)")->capture_default_str();
  cmd->add_option("--mult-bits", c.opt.mult_bits, "requantisation multiplier bits")
      ->capture_default_str();
  cmd->add_option("--output", c.output, "layer output: requant_relu or raw")
      ->check(CLI::IsMember({"requant_relu", "raw"}))
      ->capture_default_str();
  cmd->add_option("--alpha", c.alpha,
                  "ternary scale: one per output channel (channel) or one per layer (layer)")
      ->check(CLI::IsMember({"channel", "layer"}))
      ->capture_default_str();
  cmd->add_option("--input-percentile", c.opt.input_percentile,
                  "percentile of the positive calibration inputs mapped to the top code")
      ->capture_default_str();
  cmd->add_option("--output-percentile", c.opt.output_percentile,
                  "percentile of the float layer's positive outputs mapped to the top code")
      ->capture_default_str();
  cmd->add_option("--seed", c.opt.seed, "seed of the synthetic input used without --calib")
      ->capture_default_str();
}

// Fills the option fields that come from strings, names the files in messages.
penni::Options finish_options(Common& c, const std::string& command, const std::string& weights,
                              const std::string& basis) {
  penni::Options o = c.opt;
  o.output = c.output == "raw" ? OutputMode::Raw : OutputMode::RequantRelu;
  o.alpha = c.alpha == "layer" ? penni::AlphaMode::PerLayer : penni::AlphaMode::PerOutputChannel;
  o.names.command = command;
  o.names.weights = weights;
  o.names.basis = basis;
  o.names.bias = c.bias;
  o.names.calib = c.calib;
  o.names.out = c.out;
  return o;
}

void write_outputs(Context& ctx, const Common& c, const penni::Compressed& r, int mult_bits) {
  save_layer(c.out, r.layer, mult_bits);
  save_input((fs::path(c.out) / "x.npy").string(), r.layer, r.x);
  if (!c.report.empty()) {
    std::ofstream f(c.report);
    f << penni::report_json(r.report).dump(2) << "\n";
    if (!f) fail(c.report, "(file)", "cannot write");
  }
  ctx.out << penni::report_text(r.report);
  ctx.out << fmt::format(
      "  wrote {}: layer.json basis.npy coef.npy bias.npy scale.npy shift.npy "
      "x.npy{}\n",
      c.out, c.report.empty() ? "" : fmt::format("; report {}", c.report));
}

void add_compress(CLI::App* penni, Context& ctx) {
  auto c = std::make_shared<Common>();
  auto weights = std::make_shared<std::string>();
  auto d = std::make_shared<int>(0);
  auto energy = std::make_shared<double>(0.0);
  c->opt.prune_std = 1.0;
  auto* cmd = penni->add_subcommand("compress", "decompose, prune and quantise a dense layer");
  cmd->add_option("--weights", *weights, "dense weights, float32 (C_out, C_in, k, k)")->required();
  auto* d_opt = cmd->add_option("--d", *d, "bases to keep (default min(k*k, 5))");
  cmd->add_option("--energy", *energy,
                  "keep the fewest bases holding this fraction of the squared singular values")
      ->excludes(d_opt);
  cmd->add_option("--prune-std", c->opt.prune_std, "prune |c| < this * std(c)")
      ->capture_default_str();
  add_common(cmd, *c);
  cmd->callback([&ctx, cmd, c, weights, d, energy] {
    const npy::Array a = read_float(*weights, {4}, "(C_out, C_in, k, k)");
    if (a.shape[2] != a.shape[3])
      fail(*weights, "shape",
           fmt::format("kernels must be square k x k (got {})", shape_text(a.shape)));
    penni::DenseLayer dense;
    dense.c_out = static_cast<int>(a.shape[0]);
    dense.c_in = static_cast<int>(a.shape[1]);
    dense.k = static_cast<int>(a.shape[2]);
    dense.weights = finite_values(*weights, a);
    dense.bias = read_bias(c->bias, dense.c_out);
    const auto calib = read_calib(c->calib);
    penni::DChoice choice;
    if (cmd->count("--d")) choice.d = *d;
    if (cmd->count("--energy")) choice.energy = *energy;
    const penni::Options o = finish_options(*c, "penni compress", *weights, "");
    write_outputs(ctx, *c, penni::compress(dense, choice, calib, o), o.mult_bits);
  });
}

void add_quantize(CLI::App* penni, Context& ctx) {
  auto c = std::make_shared<Common>();
  auto basis = std::make_shared<std::string>();
  auto coef = std::make_shared<std::string>();
  c->opt.prune_std = 0.0;
  auto* cmd = penni->add_subcommand(
      "quantize", "prune (optionally) and quantise a decomposed layer (basis, coefficients)");
  cmd->add_option("--basis", *basis, "basis kernels, float32 (d, k, k)")->required();
  cmd->add_option("--coef", *coef, "coefficients, float32 (C_out, C_in, d)")->required();
  cmd->add_option("--prune-std", c->opt.prune_std, "prune |c| < this * std(c)")
      ->capture_default_str();
  add_common(cmd, *c);
  cmd->callback([&ctx, c, basis, coef] {
    const npy::Array b = read_float(*basis, {3}, "(d, k, k)");
    if (b.shape[1] != b.shape[2])
      fail(*basis, "shape",
           fmt::format("kernels must be square k x k (got {})", shape_text(b.shape)));
    const npy::Array cf = read_float(*coef, {3}, "(C_out, C_in, d)");
    if (cf.shape[2] != b.shape[0])
      fail(*coef, "shape",
           fmt::format("last dimension must be d = {} (the bases of {}) (got {})", b.shape[0],
                       *basis, shape_text(cf.shape)));
    const int d = static_cast<int>(b.shape[0]), k = static_cast<int>(b.shape[1]);
    const int c_out = static_cast<int>(cf.shape[0]), c_in = static_cast<int>(cf.shape[1]);
    if (d > k * k)
      fail(*basis, "shape", fmt::format("d = {} bases of {}x{} exceed k*k = {}", d, k, k, k * k));
    const std::vector<double> bv = finite_values(*basis, b), cv = finite_values(*coef, cf);
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::MatrixXd bm = Eigen::Map<const RowMajor>(bv.data(), d, k * k);
    const Eigen::MatrixXd cm =
        Eigen::Map<const RowMajor>(cv.data(), static_cast<Eigen::Index>(c_out) * c_in, d);
    const std::vector<double> bias = read_bias(c->bias, c_out);
    const auto calib = read_calib(c->calib);
    const penni::Options o = finish_options(*c, "penni quantize", *coef, *basis);
    write_outputs(ctx, *c, penni::quantize_decomposed(c_out, c_in, k, bm, cm, bias, calib, o),
                  o.mult_bits);
  });
}

}  // namespace

void add_penni(CLI::App& app, Context& ctx) {
  auto* penni = app.add_subcommand(
      "penni", "PENNI compression of a float convolution layer into a layer directory");
  penni->require_subcommand(1);
  add_compress(penni, ctx);
  add_quantize(penni, ctx);
}

}  // namespace escgen::cli
