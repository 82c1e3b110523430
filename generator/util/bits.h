// Small integer helpers used to derive widths: ceil(log2), bits to hold a value, power-of-two test.
#pragma once

#include <cstdint>

namespace escgen {

// Smallest b with 2^b >= n (clog2(1) = 0).
constexpr int clog2(uint64_t n) {
  int b = 0;
  while ((uint64_t{1} << b) < n) ++b;
  return b;
}

// Bits needed to hold every unsigned value in [0, max_value] (at least 1).
constexpr int bits_for(uint64_t max_value) {
  int b = 1;
  while (b < 64 && (max_value >> b) != 0) ++b;
  return b;
}

// Bits of a two's-complement number holding every value in [-max_abs, max_abs].
constexpr int signed_bits_for(uint64_t max_abs) { return bits_for(max_abs) + 1; }

constexpr bool is_pow2(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

}  // namespace escgen
