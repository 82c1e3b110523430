// Activation scales from calibration data or defaults (see calibrate.h).
#include "penni/calibrate.h"

#include <algorithm>
#include <cmath>

#include "model/random_layer.h"

namespace escgen::penni {

double positive_percentile(std::span<const double> values, double pct) {
  std::vector<double> v;
  for (double x : values)
    if (x > 0.0) v.push_back(x);
  if (v.empty()) return 0.0;
  const double pos = pct / 100.0 * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
  const double a = v[lo];
  if (lo + 1 >= v.size()) return a;
  const double b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
  return a + (pos - static_cast<double>(lo)) * (b - a);
}

double scale_for_top(double top_value, int act_bits) {
  const double top_code = static_cast<double>((1 << act_bits) - 1);
  return top_value > 0.0 ? top_value / top_code : 1.0 / top_code;
}

std::vector<uint16_t> quantize_activations(std::span<const double> x, double scale, int act_bits) {
  const double top_code = static_cast<double>((1 << act_bits) - 1);
  std::vector<uint16_t> q;
  q.reserve(x.size());
  for (double v : x)
    q.push_back(static_cast<uint16_t>(std::clamp(std::round(v / scale), 0.0, top_code)));
  return q;
}

double estimate_output_top(std::span<const double> weights, std::span<const double> bias,
                           int c_out) {
  constexpr double kMean = 0.25, kVar = 5.0 / 48.0;
  const size_t per_out = c_out > 0 ? weights.size() / static_cast<size_t>(c_out) : 0;
  double best = -INFINITY, best_spread = 0.0;
  for (size_t o = 0; o < static_cast<size_t>(c_out); ++o) {
    double sum = 0.0, sq = 0.0;
    for (size_t e = 0; e < per_out; ++e) {
      const double wv = weights[o * per_out + e];
      sum += wv;
      sq += wv * wv;
    }
    const double spread = 3.0 * std::sqrt(kVar * sq);
    const double mean = kMean * sum + (bias.empty() ? 0.0 : bias[o]);
    best = std::max(best, mean + spread);
    best_spread = std::max(best_spread, spread);
  }
  return best > 0.0 ? best : best_spread;
}

std::vector<uint16_t> synthetic_input(size_t count, int act_bits, uint64_t seed) {
  Rng rng(seed);
  const int64_t top = (int64_t{1} << act_bits) - 1;
  std::vector<uint16_t> x(count, 0);
  for (uint16_t& v : x)
    if (!rng.chance(0.5)) v = static_cast<uint16_t>(rng.between(1, top));
  return x;
}

}  // namespace escgen::penni
