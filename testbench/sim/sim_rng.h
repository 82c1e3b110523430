// A small seeded generator (SplitMix64) for the driver's valid gaps and ready back-pressure:
// the same seed gives the same stall pattern on every platform.
#pragma once

#include <cstdint>

namespace escgen::sim {

class SimRng {
 public:
  explicit SimRng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // True with probability p (p >= 1: always).
  bool chance(double p) {
    if (p >= 1.0) return true;
    return static_cast<double>(next() >> 11) * 0x1.0p-53 < p;
  }

 private:
  uint64_t s_;
};

}  // namespace escgen::sim
