// The PENNI compression pipeline (see compress.h):
//
//   W (c_out*c_in x k*k) --SVD--> basis (d x k*k), coef (c_out*c_in x d)     [compress only]
//   coef --prune |c| < t*std--> coef' --TWN--> ternary codes, alpha per output channel
//   basis --max-abs--> basis_bits codes, one scale
//   input scale s_x, output scale s_y (calibration or defaults); accumulator unit of channel o
//   u_o = s_x * s_basis * alpha_o; M_o / 2^S_o ~ u_o / s_y; bias_o / u_o -> int32
//   report: weight errors, float and golden-model output errors, sparsity, work, shrinkable
#include "penni/compress.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "model/golden.h"
#include "penni/decompose.h"
#include "penni/prune.h"
#include "penni/requant.h"
#include "util/error.h"

namespace escgen::penni {
namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

[[noreturn]] void fail(const std::string& where, std::string_view field, const std::string& what) {
  throw InputError(fmt::format("{}: {}: {}", where, field, what));
}

void check_options(const Options& o, int k) {
  const std::string& c = o.names.command;
  const auto in = [&](std::string_view flag, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi))
      fail(c, flag, fmt::format("must be in [{}, {}] (got {})", lo, hi, v));
  };
  in("--act-bits", o.act_bits, 1, 16);
  in("--basis-bits", o.basis_bits, 2, 16);
  in("--mult-bits", o.mult_bits, 1, 31);
  in("--stride", o.stride, 1, 64);
  if (o.pad != -1) in("--pad", o.pad, 0, k - 1);
  if (!(o.prune_std >= 0.0 && std::isfinite(o.prune_std)))
    fail(c, "--prune-std", fmt::format("must be a finite number >= 0 (got {})", o.prune_std));
  if (!(o.delta_factor >= 0.0 && std::isfinite(o.delta_factor)))
    fail(c, "delta_factor", fmt::format("must be a finite number >= 0 (got {})", o.delta_factor));
  if (!(o.input_percentile > 0.0 && o.input_percentile <= 100.0))
    fail(c, "--input-percentile", fmt::format("must be in (0, 100] (got {})", o.input_percentile));
  if (!(o.output_percentile > 0.0 && o.output_percentile <= 100.0))
    fail(c, "--output-percentile",
         fmt::format("must be in (0, 100] (got {})", o.output_percentile));
}

ConvShape resolve_shape(int c_out, int c_in, int k, const std::optional<Activations>& calib,
                        const Options& o) {
  ConvShape s{c_out, c_in, k, o.h, o.w, o.stride, o.pad < 0 ? k / 2 : o.pad};
  if (calib) {
    if (calib->c != c_in)
      fail(o.names.calib, "shape",
           fmt::format("{} channels, but {} has C_in = {}", calib->c, o.names.weights, c_in));
    if (o.h != 0 && o.h != calib->h)
      fail(o.names.calib, "shape", fmt::format("height {} differs from --h {}", calib->h, o.h));
    if (o.w != 0 && o.w != calib->w)
      fail(o.names.calib, "shape", fmt::format("width {} differs from --w {}", calib->w, o.w));
    s.h = calib->h;
    s.w = calib->w;
  } else {
    if (o.h < 1) fail(o.names.command, "--h", "required without --calib (input height >= 1)");
    if (o.w < 1) fail(o.names.command, "--w", "required without --calib (input width >= 1)");
  }
  if (s.h_out() < 1 || s.w_out() < 1)
    fail(o.names.command, "--h/--w",
         fmt::format("input {} x {} with k = {}, pad = {}, stride = {} has no output pixel", s.h,
                     s.w, k, s.pad, s.stride));
  return s;
}

double rel_rms(double diff2, double ref2) {
  if (ref2 == 0.0) return diff2 == 0.0 ? 0.0 : INFINITY;
  return std::sqrt(diff2 / ref2);
}

std::span<const double> flat(const RowMajor& m) {
  return {m.data(), static_cast<size_t>(m.size())};
}

// The float layer (kernels, bias) and its decomposition, before pruning.
struct Decomposed {
  ConvShape s;
  RowMajor kernels;          // (c_out*c_in) x k*k
  std::vector<double> bias;  // c_out
  Eigen::MatrixXd basis;     // d x k*k
  Eigen::MatrixXd coef;      // (c_out*c_in) x d
};

// The largest activation code, 2^act_bits - 1.
double top_code(const Options& o) {
  return static_cast<double>((1 << o.act_bits) - 1);
}

// The report's description of the run: shape, d, bit widths, modes, decomposition error.
void describe_run(const Decomposed& f, const Options& o, bool relu, Report& r) {
  r.shape = f.s;
  r.d = static_cast<int>(f.basis.rows());
  r.act_bits = o.act_bits;
  r.basis_bits = o.basis_bits;
  r.mult_bits = o.mult_bits;
  r.output = relu ? "requant_relu" : "raw";
  r.alpha_mode = o.alpha == AlphaMode::PerLayer ? "layer" : "channel";
  r.weight_error_decomposed = relative_error(f.kernels, f.coef * f.basis);
}

// The weights after pruning (float) and quantisation (codes).
struct QuantizedWeights {
  RowMajor pruned_kernels;  // pruned coef * basis
  BasisQuant bq;
  TernaryQuant tq;
};

// Prunes the coefficients, quantises basis and coefficients, and reports their errors.
QuantizedWeights prune_and_quantize(const Decomposed& f, const Options& o, Report& r) {
  const auto d = f.basis.rows();
  const auto n = f.coef.rows();
  Eigen::MatrixXd coef = f.coef;
  const PruneResult pr = prune_by_std(coef, o.prune_std);
  r.prune_std = o.prune_std;
  r.prune_threshold = pr.threshold;
  r.pruned = pr.pruned;
  r.coef_total = static_cast<uint64_t>(coef.size());
  r.coef_nonzero_pruned = static_cast<uint64_t>((coef.array() != 0.0).count());
  QuantizedWeights w;
  w.pruned_kernels = coef * f.basis;
  r.weight_error_pruned = relative_error(f.kernels, w.pruned_kernels);
  w.bq = quantize_basis(f.basis, o.basis_bits);
  w.tq = ternarize(coef, f.s.c_out, o.alpha, o.delta_factor);
  r.weight_error_quantized = relative_error(
      f.kernels, dequantize_coef(w.tq, n, d) * dequantize_basis(w.bq, d, f.basis.cols()));
  r.basis_scale = w.bq.scale;
  r.ternary_delta = w.tq.delta;
  r.alpha_min = *std::min_element(w.tq.alpha.begin(), w.tq.alpha.end());
  r.alpha_max = *std::max_element(w.tq.alpha.begin(), w.tq.alpha.end());
  return w;
}

// The evaluation inputs: float samples and their activation codes, with the input scale.
struct EvalInputs {
  double sx = 0.0;                             // input scale s_x
  std::vector<std::vector<uint16_t>> codes;    // per sample
  std::vector<std::vector<double>> synthetic;  // the float synthetic input (no calibration)
  std::vector<std::span<const double>> xf;     // per sample: into calib or synthetic
};

// Calibration samples (s_x from their percentile), else one synthetic input with s_x = 1/top.
EvalInputs eval_inputs(const ConvShape& s, const std::optional<Activations>& calib,
                       const Options& o, Report& r) {
  r.calibrated = calib.has_value();
  EvalInputs in;
  in.sx = 1.0 / top_code(o);
  if (calib) {
    in.sx = scale_for_top(positive_percentile(calib->data, o.input_percentile), o.act_bits);
    for (int i = 0; i < calib->n; ++i) {
      in.xf.push_back(calib->sample(i));
      in.codes.push_back(quantize_activations(in.xf.back(), in.sx, o.act_bits));
    }
  } else {
    in.codes.push_back(
        synthetic_input(static_cast<size_t>(s.c_in) * s.h * s.w, o.act_bits, o.seed));
    in.synthetic.emplace_back(in.codes[0].begin(), in.codes[0].end());
    for (double& v : in.synthetic[0]) v *= in.sx;
    in.xf.push_back(in.synthetic[0]);
  }
  r.samples = static_cast<int>(in.xf.size());
  r.input_scale = in.sx;
  return in;
}

// The float layer's outputs of every sample, concatenated, and their sum of squares.
struct FloatOutputs {
  std::vector<double> ref;
  double ref2 = 0.0;
};

// Float outputs of the layer and of its pruned decomposition; reports their relative error.
FloatOutputs float_outputs(const Decomposed& f, const QuantizedWeights& w, const EvalInputs& in,
                           bool relu, Report& r) {
  FloatOutputs out;
  double diff2 = 0.0;
  for (const auto& x : in.xf) {
    const std::vector<double> yf = conv2d(f.s, flat(f.kernels), f.bias, x, relu);
    const std::vector<double> yp = conv2d(f.s, flat(w.pruned_kernels), f.bias, x, relu);
    for (size_t e = 0; e < yf.size(); ++e) {
      diff2 += (yp[e] - yf[e]) * (yp[e] - yf[e]);
      out.ref2 += yf[e] * yf[e];
    }
    out.ref.insert(out.ref.end(), yf.begin(), yf.end());
  }
  r.output_error_float = rel_rms(diff2, out.ref2);
  return out;
}

// Output scale s_y: calibrated percentile, else (or when no output is positive) the weight-based
// estimate for inputs in [0, s_x * top_code].
double output_scale(const Decomposed& f, const std::optional<Activations>& calib,
                    const std::vector<double>& ref, double sx, const Options& o, Report& r) {
  double out_top = calib ? positive_percentile(ref, o.output_percentile) : 0.0;
  if (out_top <= 0.0)
    out_top = estimate_output_top(flat(f.kernels), f.bias, f.s.c_out) * sx * top_code(o);
  const double sy = scale_for_top(out_top, o.act_bits);
  r.output_scale = sy;
  return sy;
}

// The integer layer's shape, modes and weight codes (no requantisation yet).
Layer integer_layer(const ConvShape& s, const QuantizedWeights& w, int d, const Options& o) {
  Layer l;
  l.c_in = s.c_in, l.c_out = s.c_out, l.h = s.h, l.w = s.w, l.k = s.k;
  l.stride = s.stride, l.pad = s.pad, l.d = d;
  l.act_bits = o.act_bits, l.basis_bits = o.basis_bits, l.coef_bits = 2;
  l.output = o.output;
  l.basis = w.bq.q;
  l.coef = w.tq.q;
  return l;
}

// Per output channel: accumulator unit u_o, requantisation (M_o, S_o) of u_o / s_y and the
// int32 bias, appended to l; reports their ranges. Returns the units.
std::vector<double> requantize_channels(Layer& l, const Decomposed& f, const QuantizedWeights& w,
                                        double sx, double sy,
                                        const std::optional<Activations>& calib, const Options& o,
                                        Report& r) {
  std::vector<double> unit(static_cast<size_t>(f.s.c_out));
  r.m_min = INT32_MAX, r.s_min = 62;
  for (size_t c = 0; c < unit.size(); ++c) {
    unit[c] = sx * w.bq.scale * w.tq.alpha[c];
    const double m = unit[c] / sy;
    const auto rq = requant_multiplier(m, o.mult_bits);
    if (!rq)
      fail(calib ? o.names.calib : o.names.weights, "output scale",
           fmt::format("output channel {} needs a requantisation multiplier {:.6g} >= 2^{} (one "
                       "accumulator step exceeds 2^{} output codes)",
                       c, m, o.mult_bits, o.mult_bits));
    const auto b = quantize_bias(f.bias[c], unit[c]);
    if (!b)
      fail(o.names.bias, "value",
           fmt::format("[{}] = {:.6g} is {:.6g} accumulator units of {:.6g}, outside int32", c,
                       f.bias[c], f.bias[c] / unit[c], unit[c]));
    l.scale.push_back(rq->m);
    l.shift.push_back(rq->s);
    l.bias.push_back(*b);
    if (m > 0.0)
      r.requant_worst_rel_error =
          std::max(r.requant_worst_rel_error, std::abs(requant_value(*rq) - m) / m);
    r.m_min = std::min(r.m_min, rq->m), r.m_max = std::max(r.m_max, rq->m);
    r.s_min = std::min(r.s_min, rq->s), r.s_max = std::max(r.s_max, rq->s);
  }
  return unit;
}

// Relative RMS error of the integer layer's (golden model) dequantised outputs against the float
// layer's: requantised codes scale by s_y, raw accumulators by their channel's unit.
double quantized_output_error(const Layer& l, const ConvShape& s, const EvalInputs& in,
                              const FloatOutputs& ref, bool relu, double sy,
                              const std::vector<double>& unit) {
  const size_t plane = static_cast<size_t>(s.h_out()) * s.w_out();
  double diff2 = 0.0;
  for (size_t i = 0; i < in.codes.size(); ++i) {
    const std::vector<int64_t> y = golden_output(l, in.codes[i]);
    const double* yf = ref.ref.data() + i * y.size();
    for (size_t e = 0; e < y.size(); ++e) {
      const double deq = static_cast<double>(y[e]) * (relu ? sy : unit[e / plane]);
      diff2 += (deq - yf[e]) * (deq - yf[e]);
    }
  }
  return rel_rms(diff2, ref.ref2);
}

// The stages of both commands after the decomposition: pruning and quantisation, evaluation
// inputs and scales, the integer layer, and the report.
Compressed finish(const Decomposed& f, const std::optional<Activations>& calib, const Options& o,
                  Report r) {
  const bool relu = o.output == OutputMode::RequantRelu;
  describe_run(f, o, relu, r);
  const QuantizedWeights w = prune_and_quantize(f, o, r);
  EvalInputs in = eval_inputs(f.s, calib, o, r);
  const FloatOutputs ref = float_outputs(f, w, in, relu, r);
  const double sy = output_scale(f, calib, ref.ref, in.sx, o, r);
  Layer l = integer_layer(f.s, w, static_cast<int>(f.basis.rows()), o);
  const std::vector<double> unit = requantize_channels(l, f, w, in.sx, sy, calib, o, r);
  validate_layer(l, o.names.out, o.mult_bits);
  r.output_error_quantized = quantized_output_error(l, f.s, in, ref, relu, sy, unit);
  r.work = work_counts(l);
  r.shrink = shrinkable(l);
  return Compressed{std::move(l), std::move(in.codes[0]), std::move(r)};
}

std::vector<double> bias_or_zero(const std::vector<double>& bias, int c_out) {
  if (bias.empty()) return std::vector<double>(static_cast<size_t>(c_out), 0.0);
  if (bias.size() != static_cast<size_t>(c_out))
    throw InternalError(fmt::format("penni: {} bias values for c_out = {}", bias.size(), c_out));
  return bias;
}

void check_calib(const std::optional<Activations>& calib) {
  if (calib && (calib->n < 1 || calib->data.size() != calib->n * calib->sample_size()))
    throw InternalError("penni: calibration data does not match its shape");
}

}  // namespace

Compressed compress(const DenseLayer& dense, const DChoice& choice,
                    const std::optional<Activations>& calib, const Options& opt) {
  const int kk = dense.k * dense.k;
  const Eigen::Index n = static_cast<Eigen::Index>(dense.c_out) * dense.c_in;
  if (dense.c_out < 1 || dense.c_in < 1 || dense.k < 1 ||
      dense.weights.size() != static_cast<size_t>(n * kk))
    throw InternalError("penni::compress: weights do not match their shape");
  check_calib(calib);
  check_options(opt, dense.k);
  Decomposed f;
  f.s = resolve_shape(dense.c_out, dense.c_in, dense.k, calib, opt);
  f.kernels = Eigen::Map<const RowMajor>(dense.weights.data(), n, kk);
  f.bias = bias_or_zero(dense.bias, dense.c_out);

  const Decomposition full = decompose(f.kernels, kk);
  Report r;
  r.command = "compress";
  int d = choice.d.value_or(std::min(kk, 5));
  if (choice.energy) {
    const double e = *choice.energy;
    if (!(e > 0.0 && e <= 1.0))
      fail(opt.names.command, "--energy", fmt::format("must be in (0, 1] (got {})", e));
    d = d_for_energy(full.singular_values, e);
    r.energy_target = e;
  } else if (d < 1 || d > kk) {
    fail(opt.names.command, "--d",
         fmt::format("must be in [1, k*k = {}] for the {}x{} kernels of {} (got {})", kk, dense.k,
                     dense.k, opt.names.weights, d));
  }
  f.basis = full.basis.topRows(d);
  f.coef = full.coef.leftCols(d);
  r.singular_values.assign(full.singular_values.begin(), full.singular_values.end());
  r.energy_kept = energy_kept(full.singular_values, d);
  return finish(f, calib, opt, std::move(r));
}

Compressed quantize_decomposed(int c_out, int c_in, int k, const Eigen::MatrixXd& basis,
                               const Eigen::MatrixXd& coef, const std::vector<double>& bias,
                               const std::optional<Activations>& calib, const Options& opt) {
  const Eigen::Index kk = static_cast<Eigen::Index>(k) * k;
  if (c_out < 1 || c_in < 1 || k < 1 || basis.cols() != kk || basis.rows() < 1 ||
      coef.rows() != static_cast<Eigen::Index>(c_out) * c_in || coef.cols() != basis.rows())
    throw InternalError("penni::quantize_decomposed: basis and coefficients do not match");
  if (basis.rows() > kk)
    fail(opt.names.basis, "shape",
         fmt::format("d = {} bases of {}x{} exceed k*k = {}", basis.rows(), k, k, kk));
  check_calib(calib);
  check_options(opt, k);
  Decomposed f;
  f.s = resolve_shape(c_out, c_in, k, calib, opt);
  f.kernels = coef * basis;
  f.bias = bias_or_zero(bias, c_out);
  f.basis = basis;
  f.coef = coef;
  Report r;
  r.command = "quantize";
  return finish(f, calib, opt, std::move(r));
}

}  // namespace escgen::penni
