// Requantisation multiplier and bias quantisation (see requant.h).
//
//   real = f * 2^e, f in [0.5, 1)  ->  S = mult_bits - e puts real * 2^S in [2^(mult_bits-1),
//   2^mult_bits); rounding may reach 2^mult_bits, then S - 1. S is capped at 62 (tiny reals lose
//   precision, and may become M = 0).
#include "penni/requant.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen::penni {

std::optional<Requant> requant_multiplier(double real, int mult_bits) {
  if (mult_bits < 1 || mult_bits > 31)
    throw InternalError(
        fmt::format("penni::requant_multiplier: mult_bits {} outside [1, 31]", mult_bits));
  if (!std::isfinite(real) || real < 0.0)
    throw InternalError(fmt::format("penni::requant_multiplier: multiplier {} not >= 0", real));
  if (real == 0.0) return Requant{0, 0};
  int e = 0;
  std::frexp(real, &e);
  const long long limit = 1LL << mult_bits;
  for (int s = std::min(62, mult_bits - e); s >= 0; --s) {
    const long long m = std::llround(std::ldexp(real, s));
    if (m < limit) return Requant{static_cast<int32_t>(m), s};
  }
  return std::nullopt;
}

double requant_value(const Requant& r) {
  return std::ldexp(static_cast<double>(r.m), -r.s);
}

std::optional<int32_t> quantize_bias(double bias, double acc_unit) {
  if (!(acc_unit > 0.0) || !std::isfinite(bias))
    throw InternalError(fmt::format("penni::quantize_bias: bias {} / unit {}", bias, acc_unit));
  const double q = std::round(bias / acc_unit);
  if (q < std::numeric_limits<int32_t>::min() || q > std::numeric_limits<int32_t>::max())
    return std::nullopt;
  return static_cast<int32_t>(q);
}

}  // namespace escgen::penni
