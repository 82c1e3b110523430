// Helpers for stream (valid/ready) testbenches: random valid gaps and ready stalls, traffic
// phases that vary them (including a never-stalled phase), and payloads of any width derived
// from a 64-bit token so a queue of tokens can check payloads wider than 64 bits.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "common/ports.h"

namespace escgen::tb {

inline bool chance(std::mt19937_64& rng, int percent) {
  return static_cast<int>(rng() % 100) < percent;
}

inline uint64_t low_mask(int bits) {
  return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
}

// Traffic of one phase: probability (percent) that a source offers an item in a cycle and that
// a sink is ready.
struct Traffic {
  int valid_pct;
  int ready_pct;
};

// Phases every stream test cycles through: balanced, sink-bound (fills buffers), source-bound
// (drains them), bursty, never stalled.
inline const std::vector<Traffic>& traffic_phases() {
  static const std::vector<Traffic> kPhases = {{70, 70},   {95, 25}, {25, 95}, {50, 50},
                                               {100, 100}, {90, 10}, {10, 90}, {100, 60}};
  return kPhases;
}

// 64-bit chunk k of the payload of a token (splitmix64 of token and chunk).
inline uint64_t token_chunk(uint64_t token, int k) {
  uint64_t z = token * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(k) * 0xD1B54A32D192ED03ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Writes the `bits`-wide payload of `token` at bit `lsb` of a port.
template <class T>
void set_payload(T& port, int lsb, int bits, uint64_t token) {
  for (int k = 0; k * 64 < bits; ++k) {
    const int w = bits - k * 64 < 64 ? bits - k * 64 : 64;
    set_field(port, lsb + k * 64, w, token_chunk(token, k) & low_mask(w));
  }
}

// True when the `bits`-wide field at `lsb` is the payload of `token`.
template <class T>
bool payload_is(const T& port, int lsb, int bits, uint64_t token) {
  for (int k = 0; k * 64 < bits; ++k) {
    const int w = bits - k * 64 < 64 ? bits - k * 64 : 64;
    if (get_field(port, lsb + k * 64, w) != (token_chunk(token, k) & low_mask(w))) return false;
  }
  return true;
}

}  // namespace escgen::tb
