// Whole-beat access to Verilated ports of any width: scalar ports (CData/SData/IData/QData) and
// wide ports (VlWide<N>, or any array of 32-bit words with operator[]) look the same to the
// driver. Beats are arrays of 32-bit words, least significant first. No Verilator dependency, so
// the driver also runs against a plain C++ mock in unit tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace escgen::sim {

template <class Port>
constexpr size_t port_words() {
  if constexpr (std::is_integral_v<Port>)
    return sizeof(Port) > 4 ? 2 : 1;
  else
    return sizeof(Port) / sizeof(uint32_t);
}

// Port = beat (words beyond `n` are zero).
template <class Port>
void put_words(Port& port, const uint32_t* w, size_t n) {
  if constexpr (std::is_integral_v<Port>) {
    uint64_t v = n > 0 ? w[0] : 0;
    if (n > 1) v |= uint64_t{w[1]} << 32;
    port = static_cast<Port>(v);
  } else {
    for (size_t i = 0; i < port_words<Port>(); ++i) port[i] = i < n ? w[i] : 0;
  }
}

// beat = port (n words).
template <class Port>
void get_words(const Port& port, uint32_t* w, size_t n) {
  if constexpr (std::is_integral_v<Port>) {
    const uint64_t v = static_cast<uint64_t>(port);
    for (size_t i = 0; i < n; ++i)
      w[i] = i == 0 ? static_cast<uint32_t>(v) : i == 1 ? static_cast<uint32_t>(v >> 32) : 0;
  } else {
    for (size_t i = 0; i < n; ++i) w[i] = i < port_words<Port>() ? port[i] : 0;
  }
}

}  // namespace escgen::sim
