// Seeded random PENNI layers and inputs, for tests, regressions and benchmarks. Deterministic for
// a seed on every platform: std::mt19937_64 (fully specified by the standard) with our own
// integer-based distributions (std::uniform_int_distribution differs between libraries).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/layer.h"

namespace escgen {

// Uniform integers and Bernoulli draws from std::mt19937_64, identical everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : g_(seed) {}
  uint64_t next() { return g_(); }
  uint64_t below(uint64_t n);               // uniform in [0, n), n >= 1 (rejection sampling)
  int64_t between(int64_t lo, int64_t hi);  // uniform in [lo, hi], lo <= hi
  bool chance(double p);                    // true with probability p in [0, 1]; 0 never, 1 always

 private:
  std::mt19937_64 g_;
};

struct RandomLayerSpec {
  int c_in = 8, c_out = 8, h = 8, w = 8, k = 3, stride = 1, pad = 1, d = 5;
  int act_bits = 8, basis_bits = 8, coef_bits = 2;
  double density = 0.5;  // probability that a coefficient C[o][i][j] is non-zero
  // Per-output-channel skew in [0, 1]: channel o's density is density * (1 + skew * u_o),
  // u_o uniform in [-1, 1] (clamped to [0, 1]); 0 (the default) draws nothing extra, so layers
  // of a seed are the same as without the option. For load-imbalance benchmarks.
  double density_skew = 0.0;
  double act_zero = 0.5;  // probability that an activation x[i][y][x] is zero
  OutputMode output = OutputMode::RequantRelu;
  int mult_bits = 16;  // bounds the requantisation multipliers
};

struct RandomLayer {
  Layer layer;
  std::vector<uint16_t> x;  // (c_in, h, w)
};

// A valid random layer and input. Bases uniform over their range; non-zero coefficients uniform
// over [-coef_max, coef_max] \ {0}; non-zero activations uniform over [1, 2^act_bits - 1].
// requant_relu: per output channel, bias, M and S chosen from the channel's actual accumulator
// range so that outputs spread over [0, 2^act_bits - 1] (some zero, some clamped); raw: a modest
// bias that keeps acc in int32, M and S random but valid. Throws InputError (file names relative
// to `dir`) when the spec is not a valid layer.
RandomLayer random_layer(const RandomLayerSpec& spec, uint64_t seed, const std::string& dir = "");

}  // namespace escgen
