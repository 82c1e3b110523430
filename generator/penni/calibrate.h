// Activation scales for a compressed layer. With calibration data (non-negative float inputs, e.g.
// post-ReLU): the input scale maps a high percentile of the positive inputs (the maximum by
// default) to the top activation code, and the output scale maps the 99.9th percentile of the
// float layer's positive outputs to the top code. Without: inputs are taken to lie in [0, 1] (scale
// 1 / (2^act_bits - 1)) and the output scale is estimated from the weights (see
// estimate_output_top), with a synthetic input drawn from the same model to measure the error.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace escgen::penni {

// A batch of activations (n, c, h, w), C order.
struct Activations {
  int n = 0, c = 0, h = 0, w = 0;
  std::vector<double> data;
  size_t sample_size() const { return static_cast<size_t>(c) * h * w; }
  std::span<const double> sample(int i) const {
    return {data.data() + static_cast<size_t>(i) * sample_size(), sample_size()};
  }
};

// numpy.percentile (linear interpolation) of the values > 0; 0 when there are none.
// pct in (0, 100].
double positive_percentile(std::span<const double> values, double pct);

// Float value of one activation code such that `top_value` maps to 2^act_bits - 1; a top_value
// <= 0 gives 1 / (2^act_bits - 1) (the [0, 1] default).
double scale_for_top(double top_value, int act_bits);

// Codes min(round(x / scale), 2^act_bits - 1) (x >= 0; round half away from zero).
std::vector<uint16_t> quantize_activations(std::span<const double> x, double scale, int act_bits);

// The weight-based estimate of the largest pre-activation output, for inputs modelled as
// independent, zero with probability 1/2 and otherwise uniform on (0, 1] (mean 1/4, variance
// 5/48): max over output channels of mean + 3 standard deviations (padding ignored). When that is
// <= 0, max over channels of 3 standard deviations; 0 for an all-zero layer.
// weights (c_out, c_in*k*k) row-major, bias (c_out) or empty.
double estimate_output_top(std::span<const double> weights, std::span<const double> bias,
                           int c_out);

// A deterministic synthetic input from the model above: each activation zero with probability
// 1/2, else a code uniform in [1, 2^act_bits - 1] (escgen::Rng, identical on every platform).
std::vector<uint16_t> synthetic_input(size_t count, int act_bits, uint64_t seed);

}  // namespace escgen::penni
