// Register-file building helpers (see regfile.h).
//
//   n = 3: wrap_increment("p", 3) = "(p == 2'd2) ? 2'd0 : p + 2'd1"
//          add_decoder(m, "sel", "p", 3): sel[0] = p == 2'd0, sel[1] = p == 2'd1, sel[2] = p ==
//          2'd2 add_read_mux(m, "q", {e0, e1, e2}, 8, "sel") = ({8{sel[0]}} & e0) | ... |
//          ({8{sel[2]}} & e2)
#include "blocks/regfile.h"

#include <fmt/format.h>

#include "netlist/expr.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {

using netlist::bit;
using netlist::lit;

int pointer_bits(int n) {
  return clog2(static_cast<uint64_t>(n));
}

std::string wrap_increment(const std::string& ptr, int n) {
  const int pb = pointer_bits(n);
  if (pb < 1) throw InternalError(fmt::format("wrap_increment: {} entries need no pointer", n));
  return fmt::format("({} == {}) ? {} : {} + {}", ptr, lit(pb, static_cast<uint64_t>(n - 1)),
                     lit(pb, 0), ptr, lit(pb, 1));
}

void add_decoder(netlist::Module& m, const std::string& name, const std::string& ptr, int n) {
  if (n < 2) throw InternalError(fmt::format("add_decoder: {} entries need no decoder", n));
  m.wire(name, n, "one-hot decode of " + ptr);
  const int pb = pointer_bits(n);
  for (int i = 0; i < n; ++i)
    m.assign(bit(name, i), fmt::format("{} == {}", ptr, lit(pb, static_cast<uint64_t>(i))));
}

std::vector<std::string> add_entries(netlist::Module& m, const std::string& prefix, int n,
                                     int width, const std::string& write, const std::string& sel,
                                     const std::string& data) {
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) {
    const std::string name = fmt::format("{}_{}", prefix, i);
    const std::string en = n == 1 ? write : fmt::format("{} & {}", write, bit(sel, i));
    m.reg(name, width, data, en, {}, fmt::format("entry {}", i));
    names.push_back(name);
  }
  return names;
}

void add_read_mux(netlist::Module& m, const std::string& name,
                  const std::vector<std::string>& entries, int width, const std::string& sel) {
  m.wire(name, width);
  if (entries.size() == 1) {
    m.assign(name, entries[0]);
    return;
  }
  std::string expr;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i) expr += " | ";
    expr += fmt::format("({{{}{{{}}}}} & {})", width, bit(sel, static_cast<int>(i)), entries[i]);
  }
  m.assign(name, expr);
}

}  // namespace escgen::blocks
