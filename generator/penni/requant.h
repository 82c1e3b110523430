// Folding float scales into the contract's integer requantisation: a real multiplier m >= 0 as
// M / 2^S with 0 <= M < 2^mult_bits and 0 <= S <= 62, S as large as possible (most precise M);
// and a float bias in accumulator units as int32.
#pragma once

#include <cstdint>
#include <optional>

namespace escgen::penni {

struct Requant {
  int32_t m = 0;  // multiplier M
  int s = 0;      // right shift S
};

// M = round(real * 2^S) with the largest S in [0, 62] that keeps M < 2^mult_bits (1..31). Then
// |M / 2^S - real| <= 2^-S / 2, i.e. a relative error <= 2^-mult_bits whenever S < 62. nullopt when
// even S = 0 gives M >= 2^mult_bits (real too large). real must be finite and >= 0.
std::optional<Requant> requant_multiplier(double real, int mult_bits);

// M / 2^S as a double.
double requant_value(const Requant& r);

// round(bias / acc_unit) (half away from zero) if it fits int32, else nullopt. acc_unit > 0.
std::optional<int32_t> quantize_bias(double bias, double acc_unit);

}  // namespace escgen::penni
