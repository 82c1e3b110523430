// Seeded random layers (see random_layer.h).
#include "model/random_layer.h"

#include <algorithm>

#include <fmt/format.h>

#include "model/golden.h"
#include "util/error.h"

namespace escgen {

uint64_t Rng::below(uint64_t n) {
  if (n == 0) throw InternalError("Rng::below(0)");
  const uint64_t reject_under = (0 - n) % n;  // 2^64 mod n: values below it would bias the result
  uint64_t r = next();
  while (r < reject_under) r = next();
  return r % n;
}

int64_t Rng::between(int64_t lo, int64_t hi) {
  if (lo > hi) throw InternalError(fmt::format("Rng::between({}, {})", lo, hi));
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  const uint64_t r = span == UINT64_MAX ? next() : below(span + 1);
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + r);
}

bool Rng::chance(double p) {
  if (!(p >= 0.0 && p <= 1.0)) throw InternalError(fmt::format("Rng::chance({})", p));
  // 53 random bits against p * 2^53 (exact for a double p): p = 0 never, p = 1 always.
  return (next() >> 11) < static_cast<uint64_t>(p * 9007199254740992.0);
}

RandomLayer random_layer(const RandomLayerSpec& spec, uint64_t seed, const std::string& dir) {
  for (auto [name, value] :
       {std::pair{"density", spec.density}, std::pair{"act_zero", spec.act_zero},
        std::pair{"density_skew", spec.density_skew}})
    if (!(value >= 0.0 && value <= 1.0))
      throw InputError(fmt::format("random layer: {}: must be in [0, 1] (got {})", name, value));
  RandomLayer r;
  Layer& l = r.layer;
  l.c_in = spec.c_in, l.c_out = spec.c_out, l.h = spec.h, l.w = spec.w, l.k = spec.k;
  l.stride = spec.stride, l.pad = spec.pad, l.d = spec.d;
  l.act_bits = spec.act_bits, l.basis_bits = spec.basis_bits, l.coef_bits = spec.coef_bits;
  l.output = spec.output;
  // Placeholder tensors of the right sizes so that the fields are checked first.
  const auto n = [](std::initializer_list<int> dims) {
    size_t p = 1;
    for (int d : dims) p *= static_cast<size_t>(std::max(d, 0));
    return p;
  };
  {
    Layer fields = l;
    fields.basis.assign(n({l.d, l.k, l.k}), 0);
    fields.coef.assign(n({l.c_out, l.c_in, l.d}), 0);
    fields.bias.assign(n({l.c_out}), 0);
    fields.scale = fields.shift = fields.bias;
    validate_layer(fields, dir, spec.mult_bits);
  }

  Rng rng(seed);
  const int64_t basis_half = int64_t{1} << (l.basis_bits - 1);
  const int64_t coef_max = (int64_t{1} << (l.coef_bits - 1)) - 1;
  const int64_t act_max = (int64_t{1} << l.act_bits) - 1;
  const int64_t mult_max = (int64_t{1} << spec.mult_bits) - 1;
  l.basis.resize(n({l.d, l.k, l.k}));
  for (int32_t& b : l.basis) b = static_cast<int32_t>(rng.between(-basis_half, basis_half - 1));
  l.coef.resize(n({l.c_out, l.c_in, l.d}));
  // Per-channel densities, drawn from a second generator: with skew 0 nothing extra is drawn
  // and the layer is exactly the one of the same seed without the option.
  std::vector<double> density(static_cast<size_t>(std::max(l.c_out, 0)), spec.density);
  if (spec.density_skew > 0.0) {
    Rng skew_rng(seed ^ 0x5eed5c3e7ULL);
    for (double& p : density) {
      const double u = static_cast<double>(skew_rng.below(2000001)) / 1000000.0 - 1.0;
      p = std::clamp(spec.density * (1.0 + spec.density_skew * u), 0.0, 1.0);
    }
  }
  const size_t per_channel = n({l.c_in, l.d});
  for (size_t idx = 0; idx < l.coef.size(); ++idx) {
    int8_t& c = l.coef[idx];
    c = 0;
    if (rng.chance(density[idx / per_channel])) {
      const int64_t mag = rng.between(1, coef_max);
      c = static_cast<int8_t>(rng.next() & 1 ? -mag : mag);
    }
  }
  r.x.resize(n({l.c_in, l.h, l.w}));
  for (uint16_t& v : r.x)
    v = static_cast<uint16_t>(rng.chance(spec.act_zero) ? 0 : rng.between(1, act_max));

  // Per output channel, the largest |acc - bias| this input actually produces.
  l.bias.assign(n({l.c_out}), 0);
  l.scale.assign(n({l.c_out}), 0);
  l.shift.assign(n({l.c_out}), 0);
  const std::vector<int64_t> acc = golden_accumulators(l, r.x);
  const size_t plane = static_cast<size_t>(l.h_out()) * static_cast<size_t>(l.w_out());
  for (size_t o = 0; o < static_cast<size_t>(l.c_out); ++o) {
    int64_t max_abs = 0;
    for (size_t e = o * plane; e < (o + 1) * plane; ++e)
      max_abs = std::max(max_abs, std::abs(acc[e]));
    if (l.output == OutputMode::Raw) {
      const int64_t room = std::min<int64_t>(int64_t{1} << 24, INT32_MAX - max_abs);
      l.bias[o] = static_cast<int32_t>(rng.between(-room, room));
      l.scale[o] = static_cast<int32_t>(rng.between(0, mult_max));
      l.shift[o] = static_cast<int32_t>(rng.between(0, 62));
      continue;
    }
    // Bias moves the ReLU threshold; M in the upper half of its range; S the smallest shift that
    // maps the channel's largest |acc| to at most twice the output maximum.
    const int64_t bias_range = std::max(max_abs / 4, act_max);
    l.bias[o] = static_cast<int32_t>(rng.between(-bias_range, bias_range));
    l.scale[o] = static_cast<int32_t>(rng.between((mult_max + 1) / 2, mult_max));
    const uint64_t top =
        static_cast<uint64_t>(max_abs + bias_range) * static_cast<uint64_t>(l.scale[o]);
    int s = 0;
    while (s < 62 && (top >> s) > static_cast<uint64_t>(2 * act_max)) ++s;
    l.shift[o] = s;
  }
  validate_layer(l, dir, spec.mult_bits);
  return r;
}

}  // namespace escgen
