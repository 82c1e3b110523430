// Carry-save reduction and partial products (see arith.h).
#include "netlist/arith.h"

#include <fmt/format.h>

#include "netlist/expr.h"

namespace escgen::netlist {

std::vector<std::string> carry_save_reduce(Module& m, const std::string& prefix,
                                           std::vector<std::string> rows, int width) {
  for (int level = 0; rows.size() > 2; ++level) {
    std::vector<std::string> next;
    size_t i = 0;
    int n = 0;
    for (; i + 3 <= rows.size(); i += 3, ++n) {
      const std::string &a = rows[i], &b = rows[i + 1], &c = rows[i + 2];
      const std::string s = fmt::format("{}_l{}_s{}", prefix, level, n);
      const std::string k = fmt::format("{}_l{}_c{}", prefix, level, n);
      m.wire(s, width);
      m.assign(s, fmt::format("{} ^ {} ^ {}", a, b, c));
      m.wire(k, width);
      if (width == 1) {
        m.assign(k, lit(1, 0));  // the carry leaves the width
      } else {
        const auto lo = [&](const std::string& x) { return slice(x, width - 2, 0); };
        m.assign(k,
                 cat({fmt::format("({0} & {1}) | ({0} & {2}) | ({1} & {2})", lo(a), lo(b), lo(c)),
                      lit(1, 0)}));
      }
      next.push_back(s);
      next.push_back(k);
    }
    for (; i < rows.size(); ++i) next.push_back(rows[i]);  // 0-2 rows pass to the next level
    rows = std::move(next);
  }
  return rows;
}

std::vector<std::string> partial_products(Module& m, const std::string& prefix,
                                          const std::string& a, const std::string& b, int b_bits,
                                          int width) {
  std::vector<std::string> rows;
  for (int i = 0; i < b_bits && i < width; ++i) {
    const std::string pp = fmt::format("{}_pp{}", prefix, i);
    const std::string sel = b_bits == 1 ? b : bit(b, i);
    const std::string shifted =
        i == 0 ? a : cat({slice(a, width - 1 - i, 0), fmt::format("{}'b0", i)});
    m.wire(pp, width);
    m.assign(pp, fmt::format("{{{}{{{}}}}} & {}", width, sel, shifted));
    rows.push_back(pp);
  }
  return rows;
}

}  // namespace escgen::netlist
