// MAC unit submodules: tap-coordinate adder, Z read multiplexer, adder tree (see
// mac_unit_parts.h).
//
//   tap_add, k = 3: base (0, 2, 1) + offset (0, 1, 2) -> q = 1+2 = 3 >= 3: q = 0, carry;
//   p = 2+1+1 = 4 >= 3: p = 1, carry; j = 0+0+1 = 1  ->  (1, 1, 0), flat 9+3+0 = 12 = 7 + 5.
//   tree, 3 lanes of 8 bits: n0_0 = a0 + a1 (9 bits), n1_0 = n0_0 + a2 (10 bits) = sum.
#include "blocks/mac_unit_parts.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "blocks/regfile.h"
#include "netlist/expr.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {

using netlist::bit;
using netlist::Design;
using netlist::lane;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

std::string sext(const std::string& net, int from, int to) {
  if (to < from || from < 1 || (from == 1 && to > 1))
    throw InternalError(fmt::format("sext of {} from {} to {} bits", net, from, to));
  if (to == from) return net;
  return fmt::format("{{{{{}{{{}}}}}, {}}}", to - from, bit(net, from - 1), net);
}

std::string build_mac_tap_add(Design& design, int kb, int jb) {
  const std::string name = fmt::format("escgen_mac_tap_add_k{}_j{}", kb, jb);
  if (design.has(name)) return name;
  Module m(name, "tap coordinates (j, p, q) = base + offset, p and q wrapping at k");
  m.input("k", kb, "kernel size");
  m.input("bj", jb);
  m.input("bp", kb);
  m.input("bq", kb);
  m.input("oj", jb);
  m.input("op", kb);
  m.input("oq", kb);
  m.output("j", jb);
  m.output("p", kb);
  m.output("q", kb);
  const std::string k1 = zext("k", kb, kb + 1);
  m.wire("qs", kb + 1, "bq + oq < 2k");
  m.wire("cq", 1, "q wraps: carry into p");
  m.wire("ps", kb + 1, "bp + op + cq < 2k");
  m.wire("cp", 1, "p wraps: carry into j");
  m.assign("qs", fmt::format("{} + {}", zext("bq", kb, kb + 1), zext("oq", kb, kb + 1)));
  m.assign("cq", fmt::format("qs >= {}", k1));
  // The difference is < k: computing it on the low kb bits is exact.
  const std::string qlo = slice("qs", kb - 1, 0), plo = slice("ps", kb - 1, 0);
  m.assign("q", fmt::format("cq ? {} - k : {}", qlo, qlo));
  m.assign("ps", fmt::format("{} + {} + {}", zext("bp", kb, kb + 1), zext("op", kb, kb + 1),
                             zext("cq", 1, kb + 1)));
  m.assign("cp", fmt::format("ps >= {}", k1));
  m.assign("p", fmt::format("cp ? {} - k : {}", plo, plo));
  m.assign("j", fmt::format("bj + oj + {}", zext("cp", 1, jb)));
  design.add(std::move(m));
  return name;
}

std::string build_mac_reader(Design& design, int rows, int cols, int depth, int z_bits) {
  const std::string name =
      fmt::format("escgen_mac_reader_r{}_c{}_d{}_z{}", rows, cols, depth, z_bits);
  if (design.has(name)) return name;
  const int entries = rows * cols, pix = depth * z_bits;
  Module m(name,
           fmt::format("reads one Z value from a {} x {} x {} line buffer", rows, cols, depth));
  m.input("zbuf", entries * pix, "pixel (r, c) at entry r*cols + c");
  if (rows > 1) m.input("slot", clog2(static_cast<uint64_t>(rows)), "row slot");
  if (cols > 1) m.input("col", clog2(static_cast<uint64_t>(cols)), "column");
  if (depth > 1) m.input("j", clog2(static_cast<uint64_t>(depth)), "basis");
  m.input("valid", 1, "tap inside the layer (else z = 0)");
  m.output("z", z_bits);

  // Selected in the order the selects arrive: the basis j first (a register), then the column
  // (cx + q, an adder), the row slot last ((rslot + p) mod rows: an adder and a wrap), so the
  // slot's arithmetic overlaps the first two levels and only a rows-way select follows it.
  if (depth > 1) add_decoder(m, "j_oh", "j", depth);
  if (cols > 1) add_decoder(m, "col_oh", "col", cols);
  if (rows > 1) add_decoder(m, "slot_oh", "slot", rows);
  // One level: `net` selected from `values` by a one-hot, or the single value itself.
  const auto select = [&](const std::string& net, const std::vector<std::string>& values,
                          const std::string& oh) {
    if (values.size() == 1) return values[0];
    add_read_mux(m, net, values, z_bits, oh);
    return net;
  };
  std::vector<std::string> in_row;  // per row slot: the value of its selected column
  for (int r = 0; r < rows; ++r) {
    std::vector<std::string> in_col;  // per column of row r: the value of basis j
    for (int c = 0; c < cols; ++c) {
      std::vector<std::string> values;
      for (int j = 0; j < depth; ++j)
        values.push_back(lane("zbuf", (r * cols + c) * depth + j, z_bits));
      in_col.push_back(select(fmt::format("zj_r{}_c{}", r, c), values, "j_oh"));
    }
    in_row.push_back(select(fmt::format("zc_r{}", r), in_col, "col_oh"));
  }
  add_read_mux(m, "value", in_row, z_bits, rows > 1 ? "slot_oh" : "");
  m.assign("z", fmt::format("{{{}{{valid}}}} & value", z_bits));
  design.add(std::move(m));
  return name;
}

int mac_tree_bits(int n, int bits, int cap) {
  return std::min(bits + clog2(static_cast<uint64_t>(n)), cap);
}

std::string build_mac_tree(Design& design, int n, int bits, int cap) {
  if (n < 1 || bits < 2 || cap < bits)
    throw InternalError(fmt::format("mac_tree: n {} bits {} cap {}", n, bits, cap));
  const std::string name = fmt::format("escgen_mac_tree_n{}_b{}_c{}", n, bits, cap);
  if (design.has(name)) return name;
  const int out = mac_tree_bits(n, bits, cap);
  Module m(name, fmt::format("adder tree: sum of {} signed {}-bit lanes", n, bits));
  m.input("in", n * bits, "lane i at [i*bits +: bits]");
  m.output("sum", out, "signed");
  struct Node {
    std::string net;
    int width;
  };
  std::vector<Node> level;
  for (int i = 0; i < n; ++i) {
    const std::string leaf = fmt::format("leaf_{}", i);
    m.wire(leaf, bits);
    m.assign(leaf, lane("in", i, bits));
    level.push_back({leaf, bits});
  }
  for (int l = 0; level.size() > 1; ++l) {
    std::vector<Node> next;
    for (size_t i = 0; i + 1 < level.size(); i += 2) {
      const Node& a = level[i];
      const Node& b = level[i + 1];
      const int w = std::min(std::max(a.width, b.width) + 1, cap);
      const std::string net = fmt::format("n{}_{}", l, i / 2);
      m.wire(net, w);
      m.assign(net, fmt::format("{} + {}", sext(a.net, a.width, w), sext(b.net, b.width, w)));
      next.push_back({net, w});
    }
    if (level.size() % 2) next.push_back(level.back());
    level = std::move(next);
  }
  m.assign("sum", sext(level[0].net, level[0].width, out));
  design.add(std::move(m));
  return name;
}

}  // namespace escgen::blocks
