// Verilog expression text helpers (see expr.h).
#include "netlist/expr.h"

#include <algorithm>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen::netlist {

std::string bit(const std::string& name, int index) {
  return fmt::format("{}[{}]", name, index);
}

std::string slice(const std::string& name, int msb, int lsb) {
  if (msb == lsb) return bit(name, msb);
  return fmt::format("{}[{}:{}]", name, msb, lsb);
}

std::string lane(const std::string& name, int index, int width) {
  return slice(name, (index + 1) * width - 1, index * width);
}

std::string cat(const std::vector<std::string>& parts) {
  if (parts.size() == 1) return parts[0];
  return fmt::format("{{{}}}", fmt::join(parts, ", "));
}

std::string lit(int width, uint64_t value) {
  if (width < 1 || (width < 64 && (value >> width) != 0))
    throw InternalError(fmt::format("literal {} does not fit {} bits", value, width));
  return width == 1 ? fmt::format("1'b{}", value) : fmt::format("{}'d{}", width, value);
}

std::string hex(int width, uint64_t value) {
  if (width == 1) return lit(width, value);
  lit(width, value);  // range check
  std::string digits = fmt::format("{:0{}x}", value, (width + 3) / 4);
  for (size_t i = digits.size() > 4 ? digits.size() - 4 : 0; i > 0; i -= std::min<size_t>(i, 4))
    digits.insert(i, "_");
  return fmt::format("{}'h{}", width, digits);
}

std::string zext(const std::string& expr, int from, int to) {
  if (to < from) throw InternalError(fmt::format("zext of {} from {} to {} bits", expr, from, to));
  if (to == from) return expr;
  return fmt::format("{{{}, {}}}", lit(to - from, 0), expr);
}

std::string resize(const std::string& name, int from, int to) {
  return to >= from ? zext(name, from, to) : slice(name, to - 1, 0);
}

std::string mux(const std::string& sel, const std::string& a1, const std::string& a0) {
  return fmt::format("{} ? {} : {}", sel, a1, a0);
}

std::string zext_sum(const std::vector<std::pair<std::string, int>>& terms, int w) {
  if (terms.empty()) return lit(w, 0);
  std::string s;
  for (const auto& [expr, from] : terms) s += (s.empty() ? "" : " + ") + zext(expr, from, w);
  return s;
}

std::string bit_sum(const std::vector<std::string>& bits, int w) {
  std::vector<std::pair<std::string, int>> terms;
  for (const std::string& b : bits) terms.emplace_back(b, 1);
  return zext_sum(terms, w);
}

}  // namespace escgen::netlist
