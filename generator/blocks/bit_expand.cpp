// Bit-expand network generator (see bit_expand.h).
//
//   The bit-gather moves selected lane i down by dist(i) = unselected lanes below i, stride 1
//   first, then 2, 4, ...: at stage s lane k takes lane k+s when that lane holds an element whose
//   remaining distance has the stride's bit set (move_s[k]). Running the same control on the
//   mask and undoing the stages in reverse order (s = width/2 first), lane k+s takes lane k
//   wherever move_s[k] is set, brings every packed element back to its lane:
//   mask 0b1010, packed [p0 p1 0 0]: dist = [0 1 1 2]; move_1 = [1 0 0], move_2 = [0 1];
//   undo s=2: [p0 p1 0 p1]; undo s=1: [p0 p0 0 p1]; AND mask: [0 p0 0 p1].
#include "blocks/bit_expand.h"

#include <vector>

#include <fmt/format.h>

#include "netlist/expr.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {
namespace {

using netlist::bit;
using netlist::Design;
using netlist::lane;
using netlist::Module;
using netlist::slice;
using netlist::zext;

std::string move_port(int s) {
  return fmt::format("move_s{}", s);
}

// The bit-gather's control without its data: a Hillis-Steele prefix count of unselected lanes
// (each sum sized for its largest value) gives every lane its distance; then, stage by stage,
// which lanes move (move_s[k]: the element at lane k+s moves to lane k) and where the elements
// and their remaining distance bits are afterwards.
// Only what is used is built: an element at lane k before the stride-2^b stage still has to
// travel at most k, so lane k carries only the distance bits b .. floor(log2 k) (none below
// lane 2^b), and the last lane's total count is never needed.
std::string build_control(Design& design, int n) {
  const std::string name = fmt::format("escgen_bit_expand_ctrl_n{}", n);
  if (design.has(name)) return name;
  Module m(name, fmt::format("bit-gather control of a {}-lane mask, for the expansion", n));
  m.input("mask", n, "selected lanes");
  for (int s = 1; s < n; s *= 2)
    m.output(move_port(s), n - s, fmt::format("lane k+{} moves to lane k in the gather", s));

  // Prefix count of unselected lanes 0..i (inclusive) for i <= n-2.
  struct Sum {
    std::string expr;
    int width;
    int max;
  };
  m.wire("zero", n - 1, "unselected lanes (the top lane's is never counted)");
  m.assign("zero", "~" + slice("mask", n - 2, 0));
  std::vector<Sum> cur(static_cast<size_t>(n - 1));
  for (int i = 0; i < n - 1; ++i)
    cur[static_cast<size_t>(i)] = {n == 2 ? std::string("zero") : bit("zero", i), 1, 1};
  for (int dist = 1, level = 0; dist < n - 1; dist *= 2, ++level) {
    std::vector<Sum> next = cur;
    for (int i = dist; i < n - 1; ++i) {
      const Sum& a = cur[static_cast<size_t>(i)];
      const Sum& b = cur[static_cast<size_t>(i - dist)];
      const int max = a.max + b.max;
      const int w = bits_for(static_cast<uint64_t>(max));
      const std::string net = fmt::format("sum_l{}_{}", level, i);
      m.wire(net, w);
      m.assign(net, fmt::format("{} + {}", zext(a.expr, a.width, w), zext(b.expr, b.width, w)));
      next[static_cast<size_t>(i)] = {net, w, max};
    }
    cur = std::move(next);
  }

  // State before each stage, per lane: element present (valid) and remaining distance bits
  // (dist, dw bits: a net name, or a single bit). Lane k's distance is the count of lane k-1.
  std::vector<std::string> valid(static_cast<size_t>(n)), dist(static_cast<size_t>(n));
  std::vector<int> dw(static_cast<size_t>(n), 0);
  for (int k = 1; k < n; ++k) {
    const auto uk = static_cast<size_t>(k);
    valid[uk] = bit("mask", k);
    dist[uk] = cur[uk - 1].expr;
    dw[uk] = cur[uk - 1].width;
  }
  auto dbit = [&](int k, int j) {
    const auto uk = static_cast<size_t>(k);
    return dw[uk] == 1 ? dist[uk] : bit(dist[uk], j);
  };
  for (int b = 0, s = 1; s < n; ++b, s *= 2) {
    const std::string mv = move_port(s);
    auto move = [&](int k) { return n - s == 1 ? mv : bit(mv, k); };
    for (int k = 0; k + s < n; ++k)
      m.assign(move(k), fmt::format("{} & {}", valid[static_cast<size_t>(k + s)], dbit(k + s, 0)));
    if (2 * s == n) break;  // no stage follows the last one
    std::vector<std::string> nvalid(static_cast<size_t>(n)), ndist(static_cast<size_t>(n));
    std::vector<int> ndw(static_cast<size_t>(n), 0);
    for (int k = 2 * s; k < n; ++k) {
      const auto uk = static_cast<size_t>(k);
      const std::string v = fmt::format("valid_b{}_l{}", b + 1, k);
      const std::string d = fmt::format("dist_b{}_l{}", b + 1, k);
      const int w = dw[uk] - 1;
      const std::string stay = fmt::format("{} & ~{}", valid[uk], dbit(k, 0));
      const std::string own = slice(dist[uk], dw[uk] - 1, 1);
      m.wire(v, 1);
      m.wire(d, w);
      if (k + s < n) {
        m.assign(v, fmt::format("{} | ({})", move(k), stay));
        m.assign(d, fmt::format("{} ? {} : {}", move(k),
                                slice(dist[uk + static_cast<size_t>(s)], w, 1), own));
      } else {
        m.assign(v, stay);
        m.assign(d, own);
      }
      nvalid[uk] = v;
      ndist[uk] = d;
      ndw[uk] = w;
    }
    valid = std::move(nvalid);
    dist = std::move(ndist);
    dw = std::move(ndw);
  }
  design.add(std::move(m));
  return name;
}

// One stage undone: lane j takes lane j-s where move_s[j-s] is set, else keeps its own value.
std::string build_stage(Design& design, int n, int w, int s) {
  const std::string name = fmt::format("escgen_bit_expand_stage_n{}_b{}_s{}", n, w, s);
  if (design.has(name)) return name;
  Module m(name,
           fmt::format("bit-expand stage: moves lanes up by {} where the gather moved down", s));
  m.input("move", n - s, "lane k goes to lane k+s");
  m.input("in_data", n * w);
  m.output("out_data", n * w);
  auto move = [&](int k) { return n - s == 1 ? std::string("move") : bit("move", k); };
  for (int j = 0; j < n; ++j)
    m.assign(lane("out_data", j, w),
             j < s ? lane("in_data", j, w)
                   : fmt::format("{} ? {} : {}", move(j - s), lane("in_data", j - s, w),
                                 lane("in_data", j, w)));
  design.add(std::move(m));
  return name;
}

}  // namespace

std::string build_bit_expand(Design& design, const BitExpandParams& p) {
  if (p.width < 2 || !is_pow2(static_cast<uint64_t>(p.width)))
    throw InternalError(fmt::format("bit_expand: width {} is not a power of two >= 2", p.width));
  if (p.data_bits < 1) throw InternalError("bit_expand: data_bits must be >= 1");
  const std::string name = fmt::format("escgen_bit_expand_n{}_b{}", p.width, p.data_bits);
  if (design.has(name)) return name;
  const int n = p.width, w = p.data_bits;
  const std::string ctrl = build_control(design, n);
  std::vector<int> strides;
  for (int s = n / 2; s >= 1; s /= 2) strides.push_back(s);
  for (int s : strides) build_stage(design, n, w, s);

  Module m(name,
           fmt::format("bit-expand: packed values of {} x {} bits back to their lanes", n, w));
  m.input("mask", n, "lanes that receive a packed value");
  m.input("in_data", n * w, "packed values at the head");
  m.output("out_data", n * w, "expanded; zero where mask is clear");
  std::vector<std::pair<std::string, std::string>> ctrl_conns = {{"mask", "mask"}};
  for (int s = 1; s < n; s *= 2) {
    m.wire(move_port(s), n - s);
    ctrl_conns.emplace_back(move_port(s), move_port(s));
  }
  m.instance(ctrl, "u_ctrl", std::move(ctrl_conns));
  std::string cur = "in_data";
  for (int s : strides) {
    const std::string next = fmt::format("data_s{}", s);
    m.wire(next, n * w, fmt::format("after undoing the stride-{} stage", s));
    m.instance(fmt::format("escgen_bit_expand_stage_n{}_b{}_s{}", n, w, s),
               fmt::format("u_stage_s{}", s),
               {{"move", move_port(s)}, {"in_data", cur}, {"out_data", next}});
    cur = next;
  }
  for (int k = 0; k < n; ++k)
    m.assign(lane("out_data", k, w),
             fmt::format("{} & {{{}{{{}}}}}", lane(cur, k, w), w, bit("mask", k)));
  design.add(std::move(m));
  return name;
}

}  // namespace escgen::blocks
