// Bit-gather compaction network generator and model (see bit_gather.h).
//
//   mask 0b1010, data [d0 d1 d2 d3]  ->  scan: distance of lane i = zeros below i = [0 1 1 2]
//   stage s=1 moves lanes whose distance bit 0 is set, stage s=2 those with bit 1:
//   [d1 d3 0 0], count 2, out_mask 0b0011.
#include "blocks/bit_gather.h"

#include <fmt/format.h>

#include "netlist/expr.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {
namespace {

using netlist::bit;
using netlist::cat;
using netlist::Design;
using netlist::lane;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

// Prefix scan of zero lanes: shift[i] = number of unselected lanes below lane i (the distance a
// selected lane i travels), count = selected lanes. Hillis-Steele: log2(N) levels of adders, each
// sum sized exactly for the largest value it can hold.
std::string build_scan(Design& design, int n) {
  const std::string name = fmt::format("escgen_bit_gather_scan_n{}", n);
  if (design.has(name)) return name;
  const int lbits = clog2(static_cast<uint64_t>(n));
  const int cbits = bits_for(static_cast<uint64_t>(n));
  Module m(name, fmt::format("prefix count of unselected lanes for a {}-lane bit-gather", n));
  m.input("mask", n, "selected lanes");
  m.output("shift", n * lbits, "per lane: unselected lanes below it (its travel distance)");
  m.output("count", cbits, "number of selected lanes");
  m.wire("zero", n, "unselected lanes");
  m.assign("zero", "~mask");

  struct Sum {
    std::string expr;
    int width;
    int max;
  };
  std::vector<Sum> cur(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) cur[static_cast<size_t>(i)] = {bit("zero", i), 1, 1};
  for (int dist = 1, level = 0; dist < n; dist *= 2, ++level) {
    std::vector<Sum> next = cur;
    for (int i = dist; i < n; ++i) {
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
  // Exclusive count for lane i is the inclusive count of lane i-1 (at most i <= n-1: lbits wide).
  std::vector<std::string> lanes;
  for (int i = n - 1; i >= 0; --i) {
    if (i == 0) {
      lanes.push_back(lit(lbits, 0));
    } else {
      const Sum& s = cur[static_cast<size_t>(i - 1)];
      lanes.push_back(zext(s.expr, s.width, lbits));
    }
  }
  m.assign("shift", cat(lanes));
  const Sum& total = cur[static_cast<size_t>(n - 1)];
  m.assign("count", fmt::format("{} - {}", lit(cbits, static_cast<uint64_t>(n)),
                                zext(total.expr, total.width, cbits)));
  design.add(std::move(m));
  return name;
}

// One butterfly stage: lane k takes lane k+s when that lane is valid and bit 0 of its remaining
// distance is set; otherwise lane k keeps its own element if it stays (bit 0 clear).
// `rbits` distance bits come in; rbits-1 go out (bit 0 is consumed here).
std::string build_stage(Design& design, int n, int data_bits, int s, int rbits) {
  const std::string name = fmt::format("escgen_bit_gather_stage_n{}_b{}_s{}", n, data_bits, s);
  if (design.has(name)) return name;
  Module m(name, fmt::format("bit-gather stage: moves lanes by {} where distance bit is set", s));
  m.input("in_valid", n, "lane holds a selected element");
  m.input("in_shift", n * rbits, "per lane: remaining distance bits, this stage's bit first");
  m.input("in_data", n * data_bits);
  m.output("out_valid", n);
  if (rbits > 1) m.output("out_shift", n * (rbits - 1));
  m.output("out_data", n * data_bits);
  m.wire("stay", n, "lane keeps its element");
  m.wire("move", n - s, "lane k takes the element of lane k+s");
  // move is a scalar when only one lane can move (n = 2): no bit select then.
  auto move = [&](int k) { return n - s == 1 ? std::string("move") : bit("move", k); };
  for (int k = 0; k < n; ++k) {
    m.assign(bit("stay", k), fmt::format("in_valid[{}] & ~in_shift[{}]", k, k * rbits));
    if (k + s < n)
      m.assign(move(k), fmt::format("in_valid[{}] & in_shift[{}]", k + s, (k + s) * rbits));
  }
  std::vector<std::string> valid, shift, data;
  for (int k = n - 1; k >= 0; --k) {
    if (k + s < n) {
      const int src = k + s;
      valid.push_back(fmt::format("{} | stay[{}]", move(k), k));
      if (rbits > 1)
        shift.push_back(fmt::format("{} ? {} : {}", move(k),
                                    slice("in_shift", src * rbits + rbits - 1, src * rbits + 1),
                                    slice("in_shift", k * rbits + rbits - 1, k * rbits + 1)));
      data.push_back(fmt::format("{} ? {} : {}", move(k), lane("in_data", src, data_bits),
                                 lane("in_data", k, data_bits)));
    } else {
      valid.push_back(bit("stay", k));
      if (rbits > 1) shift.push_back(slice("in_shift", k * rbits + rbits - 1, k * rbits + 1));
      data.push_back(lane("in_data", k, data_bits));
    }
  }
  // One assignment per lane keeps the text readable: lane k of each output.
  for (int k = 0; k < n; ++k) {
    const size_t idx = static_cast<size_t>(n - 1 - k);
    m.assign(bit("out_valid", k), valid[idx]);
    if (rbits > 1) m.assign(lane("out_shift", k, rbits - 1), shift[idx]);
    m.assign(lane("out_data", k, data_bits), data[idx]);
  }
  design.add(std::move(m));
  return name;
}

}  // namespace

std::string build_bit_gather(Design& design, const BitGatherParams& p) {
  if (p.width < 2 || !is_pow2(static_cast<uint64_t>(p.width)))
    throw InternalError(fmt::format("bit_gather: width {} is not a power of two >= 2", p.width));
  if (p.data_bits < 1) throw InternalError("bit_gather: data_bits must be >= 1");
  const std::string name = fmt::format("escgen_bit_gather_n{}_b{}{}{}", p.width, p.data_bits,
                                       p.with_mask ? "" : "_nm", p.clear_tail ? "" : "_nc");
  if (design.has(name)) return name;
  const int n = p.width, w = p.data_bits;
  const int lbits = clog2(static_cast<uint64_t>(n));
  const int cbits = bits_for(static_cast<uint64_t>(n));

  const std::string scan = build_scan(design, n);
  std::vector<std::string> stages;
  for (int b = 0; b < lbits; ++b) stages.push_back(build_stage(design, n, w, 1 << b, lbits - b));

  Module m(name, fmt::format("bit-gather: compacts the selected lanes of {} x {} bits to the head",
                             n, w));
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("in_valid", 1);
  m.input("in_mask", n, "lanes to keep");
  m.input("in_data", n * w);
  m.output("out_valid", 1);
  m.output("out_count", cbits, "number of kept lanes");
  if (p.with_mask) m.output("out_mask", n, "first out_count lanes set");
  m.output("out_data", n * w,
           p.clear_tail ? "kept lanes in order, then zeros"
                        : "kept lanes in order, then zeros or copies of kept lanes (all zero when "
                          "none is kept)");

  m.wire("shift0", n * lbits, "travel distance per lane");
  m.wire("count", cbits);
  m.instance(scan, "u_scan", {{"mask", "in_mask"}, {"shift", "shift0"}, {"count", "count"}});
  // Without clear_tail the unselected lanes are zeroed on the way in (off the scan's path): a
  // lane no element reaches keeps its own input, so with nothing selected every lane is zero.
  if (!p.clear_tail) {
    m.wire("data0", n * w, "selected lanes, zero elsewhere");
    for (int k = 0; k < n; ++k)
      m.assign(lane("data0", k, w),
               fmt::format("{} & {{{}{{{}}}}}", lane("in_data", k, w), w, bit("in_mask", k)));
  }
  // The last stage's lane flags are used only by the tail clearing and the mask output.
  const bool last_valid_used = p.clear_tail || p.with_mask;
  const std::string v_last = fmt::format("valid{}{}", lbits, last_valid_used ? "" : "_unused");
  for (int b = 0; b < lbits; ++b) {
    const int rbits = lbits - b;
    std::string v_in = b == 0 ? "in_mask" : fmt::format("valid{}", b);
    std::string s_in = fmt::format("shift{}", b);
    std::string d_in = b == 0 && p.clear_tail ? "in_data" : fmt::format("data{}", b);
    std::string v_out = b + 1 == lbits ? v_last : fmt::format("valid{}", b + 1);
    std::string d_out = fmt::format("data{}", b + 1);
    m.wire(v_out, n);
    m.wire(d_out, n * w);
    std::vector<std::pair<std::string, std::string>> conns = {
        {"in_valid", v_in}, {"in_shift", s_in}, {"in_data", d_in}, {"out_valid", v_out}};
    if (rbits > 1) {
      std::string s_out = fmt::format("shift{}", b + 1);
      m.wire(s_out, n * (rbits - 1));
      conns.emplace_back("out_shift", s_out);
    }
    conns.emplace_back("out_data", d_out);
    m.instance(stages[static_cast<size_t>(b)], fmt::format("u_stage{}", b), std::move(conns));
  }
  const std::string d_last = fmt::format("data{}", lbits);
  std::string gathered = d_last;
  if (p.clear_tail) {
    gathered = "gathered";
    m.wire(gathered, n * w, "final lanes, zero where no element arrived");
    for (int k = 0; k < n; ++k)
      m.assign(lane(gathered, k, w),
               fmt::format("{} & {{{}{{{}}}}}", lane(d_last, k, w), w, bit(v_last, k)));
  }

  m.reg("valid_q", 1, "in_valid", "", lit(1, 0));
  m.reg("count_q", cbits, "count");
  if (p.with_mask) m.reg("mask_q", n, v_last);
  m.reg("data_q", n * w, gathered);
  m.assign("out_valid", "valid_q");
  m.assign("out_count", "count_q");
  if (p.with_mask) m.assign("out_mask", "mask_q");
  m.assign("out_data", "data_q");
  design.add(std::move(m));
  return name;
}

BitGatherResult bit_gather_model(std::span<const uint8_t> mask, std::span<const uint64_t> data) {
  if (mask.size() != data.size()) throw InternalError("bit_gather_model: mask/data size differ");
  BitGatherResult r;
  r.data.assign(data.size(), 0);
  for (size_t i = 0; i < mask.size(); ++i)
    if (mask[i]) r.data[static_cast<size_t>(r.count++)] = data[i];
  return r;
}

}  // namespace escgen::blocks
