// Access to bit fields of Verilated ports of any width: CData/SData/IData/QData scalars and
// VlWide<N> arrays look the same to a testbench (set_field / get_field by bit offset).
#pragma once

#include <cstdint>
#include <type_traits>

#include <verilated.h>

namespace escgen::tb {

template <class T>
void set_field(T& port, int lsb, int width, uint64_t value) {
  for (int i = 0; i < width; ++i) {
    const bool b = (value >> i) & 1u;
    const int pos = lsb + i;
    if constexpr (std::is_integral_v<T>) {
      const T m = static_cast<T>(T{1} << pos);
      port = b ? static_cast<T>(port | m) : static_cast<T>(port & ~m);
    } else {
      EData& word = port.at(static_cast<size_t>(pos / 32));
      const EData m = EData{1} << (pos % 32);
      word = b ? (word | m) : (word & ~m);
    }
  }
}

template <class T>
uint64_t get_field(const T& port, int lsb, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) {
    const int pos = lsb + i;
    uint64_t b;
    if constexpr (std::is_integral_v<T>)
      b = (static_cast<uint64_t>(port) >> pos) & 1u;
    else
      b = (port.at(static_cast<size_t>(pos / 32)) >> (pos % 32)) & 1u;
    v |= b << i;
  }
  return v;
}

// One rising clock edge with inputs already applied: clk low, eval, clk high, eval.
template <class Model>
void tick(Model& m) {
  m.clk = 0;
  m.eval();
  m.clk = 1;
  m.eval();
}

}  // namespace escgen::tb
