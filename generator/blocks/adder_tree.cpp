// CA adder tree + accumulator generator and model (see adder_tree.h).
//
//   lanes 5, in_bits 8 ([-128, 127]):
//     level 1: a0+a1, a2+a3 in [-256, 254] (9 bits); a4 passes through (8 bits)
//     level 2: (a0+a1)+(a2+a3) in [-512, 508] (10 bits); a4 passes
//     level 3: + a4 in [-640, 635] (11 bits) = the tree sum
//   stages S: registers after levels floor(k (L+1) / (S+1)), k = 1..S, with L = 3 adder levels;
//   the accumulator (adder L+1) and its output register close the pipeline: latency S + 1.
//
//   Stall rule, per register level k (and the accumulator): it loads when it is empty or its item
//   moves on (ready_k = ~valid_k | ready_{k+1}); the accumulator takes an item unless the item
//   ends a group while the previous result still waits at the output.
#include "blocks/adder_tree.h"

#include <limits>

#include <fmt/format.h>

#include "netlist/expr.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {
namespace {

using netlist::bit;
using netlist::lane;
using netlist::lit;
using netlist::Module;

// Sign-extends the net `name` (width `from`) to `to` bits.
std::string sext(const std::string& name, int from, int to) {
  if (to < from) throw InternalError(fmt::format("sext of {} from {} to {} bits", name, from, to));
  if (to == from) return name;
  const std::string msb = from == 1 ? name : bit(name, from - 1);
  return fmt::format("{{{{{}{{{}}}}}, {}}}", to - from, msb, name);
}

}  // namespace

int signed_width(int64_t min, int64_t max) {
  if (min > 0 || max < 0) throw InternalError("signed_width: range must contain 0");
  int w = 1;  // [-1, 0]
  while (w < 64 && (min < -(int64_t{1} << (w - 1)) || max > (int64_t{1} << (w - 1)) - 1)) ++w;
  return w;
}

AdderTreePlan plan_adder_tree(const AdderTreeParams& p) {
  if (p.lanes < 1 || p.lanes > 4096)
    throw InternalError(fmt::format("adder_tree: lanes {} not in 1 .. 4096", p.lanes));
  if (p.in_bits < 1 || p.in_bits > 32)
    throw InternalError(fmt::format("adder_tree: in_bits {} not in 1 .. 32", p.in_bits));
  const int levels = clog2(static_cast<uint64_t>(p.lanes));
  if (p.stages < 0 || p.stages > levels + 1)
    throw InternalError(fmt::format("adder_tree: stages {} not in 0 .. {} (clog2(lanes) + 1)",
                                    p.stages, levels + 1));
  AdderTreePlan plan;
  const int64_t half = int64_t{1} << (p.in_bits - 1);
  plan.levels.emplace_back(static_cast<size_t>(p.lanes),
                           AdderTreeNode{.min = -half, .max = half - 1, .width = p.in_bits});
  while (plan.levels.back().size() > 1) {
    const auto& cur = plan.levels.back();
    std::vector<AdderTreeNode> next;
    for (size_t i = 0; i < cur.size(); i += 2) {
      if (i + 1 == cur.size()) {
        next.push_back({cur[i].min, cur[i].max, cur[i].width, static_cast<int>(i), -1});
        continue;
      }
      const int64_t mn = cur[i].min + cur[i + 1].min, mx = cur[i].max + cur[i + 1].max;
      next.push_back({mn, mx, signed_width(mn, mx), static_cast<int>(i), static_cast<int>(i + 1)});
    }
    plan.levels.push_back(std::move(next));
  }
  for (int k = 1; k <= p.stages; ++k) plan.cuts.push_back(k * (levels + 1) / (p.stages + 1));
  plan.sum_bits = plan.levels.back()[0].width;
  return plan;
}

std::string build_adder_tree(netlist::Design& design, const AdderTreeParams& p) {
  const AdderTreePlan plan = plan_adder_tree(p);
  if (p.acc_bits < plan.sum_bits || p.acc_bits > 64)
    throw InternalError(fmt::format("adder_tree: acc_bits {} not in {} (the tree sum) .. 64",
                                    p.acc_bits, plan.sum_bits));
  const std::string name =
      fmt::format("escgen_adder_tree_l{}_b{}_s{}_a{}", p.lanes, p.in_bits, p.stages, p.acc_bits);
  if (design.has(name)) return name;
  const int n = p.lanes, w = p.in_bits, S = p.stages, A = p.acc_bits;
  const int levels = static_cast<int>(plan.levels.size()) - 1;

  Module m(name, fmt::format("adder tree of {} x {}-bit signed lanes, {} pipeline levels, {}-bit "
                             "accumulator",
                             n, w, S, A));
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("in_valid", 1);
  m.output("in_ready", 1);
  m.input("in_last", 1, "the item ends a group");
  m.input("in_data", n * w, "signed lanes, lane i at [i*in_bits +: in_bits]");
  m.output("out_valid", 1);
  m.input("out_ready", 1);
  m.output("out_sum", A, "the group's total");

  // Ready of each register level, from the accumulator backwards: level k loads when it is empty
  // or its item moves on. ready_{S+1} is the accumulator's.
  for (int k = 1; k <= S + 1; ++k) m.wire(fmt::format("ready{}", k), 1);
  for (int k = 1; k <= S; ++k)
    m.assign(fmt::format("ready{}", k), fmt::format("~valid{} | ready{}", k, k + 1));
  m.assign("in_ready", "ready1");

  // Nets currently carrying each node of the frontier level, and the item's valid / last.
  std::vector<std::string> cur;
  for (int i = 0; i < n; ++i) {
    const std::string x = fmt::format("x{}", i);
    m.wire(x, w);
    m.assign(x, n * w == 1 ? std::string("in_data") : lane("in_data", i, w));
    cur.push_back(x);
  }
  std::string valid = "in_valid", last = "in_last";
  size_t next_cut = 0;
  int stage = 0;
  for (int l = 0; l <= levels; ++l) {
    const auto& nodes = plan.levels[static_cast<size_t>(l)];
    if (l > 0) {
      std::vector<std::string> sums;
      for (size_t i = 0; i < nodes.size(); ++i) {
        const AdderTreeNode& nd = nodes[i];
        const auto& prev = plan.levels[static_cast<size_t>(l - 1)];
        if (nd.b < 0) {
          sums.push_back(cur[static_cast<size_t>(nd.a)]);
          continue;
        }
        const std::string s = fmt::format("t{}_{}", l, i);
        m.wire(s, nd.width, fmt::format("[{}, {}]", nd.min, nd.max));
        m.assign(s, fmt::format("{} + {}",
                                sext(cur[static_cast<size_t>(nd.a)],
                                     prev[static_cast<size_t>(nd.a)].width, nd.width),
                                sext(cur[static_cast<size_t>(nd.b)],
                                     prev[static_cast<size_t>(nd.b)].width, nd.width)));
        sums.push_back(s);
      }
      cur = std::move(sums);
    }
    if (next_cut < plan.cuts.size() && plan.cuts[next_cut] == l) {
      ++next_cut;
      ++stage;
      const std::string en = fmt::format("ready{}", stage);
      for (size_t i = 0; i < nodes.size(); ++i) {
        const std::string r = fmt::format("r{}_{}", l, i);
        m.reg(r, nodes[i].width, cur[i], en);
        cur[i] = r;
      }
      m.reg(fmt::format("last{}", stage), 1, last, en);
      m.reg(fmt::format("valid{}", stage), 1, valid, en, lit(1, 0));
      valid = fmt::format("valid{}", stage);
      last = fmt::format("last{}", stage);
    }
  }

  // Accumulator: total = (first item of the group ? 0 : acc) + sum.
  const std::string acc_ready = fmt::format("ready{}", S + 1);
  m.assign(acc_ready, fmt::format("~{} | ~out_valid_q | out_ready", last));
  m.wire("acc_take", 1, "the accumulator takes the tree's item");
  m.wire("emit", 1, "the item ends its group: the total goes to the output");
  m.wire("total", A, "the group's sum including this item");
  m.assign("acc_take", fmt::format("{} & {}", valid, acc_ready));
  m.assign("emit", fmt::format("acc_take & {}", last));
  m.assign("total",
           fmt::format("(acc & {{{}{{~first}}}}) + {}", A, sext(cur[0], plan.sum_bits, A)));
  m.reg("first", 1, last, "acc_take", lit(1, 1), "the next item starts a group");
  m.reg("acc", A, "total", "acc_take", {}, "running sum of the group");
  m.reg("out_valid_q", 1, "emit | (out_valid_q & ~out_ready)", "", lit(1, 0));
  m.reg("out_sum_q", A, "total", "emit");
  m.assign("out_valid", "out_valid_q");
  m.assign("out_sum", "out_sum_q");
  design.add(std::move(m));
  return name;
}

int64_t adder_tree_sum(std::span<const int64_t> lanes) {
  int64_t s = 0;
  for (int64_t x : lanes) s += x;
  return s;
}

std::vector<int64_t> accumulate_groups(std::span<const AdderTreeItem> items) {
  std::vector<int64_t> totals;
  int64_t acc = 0;
  for (const AdderTreeItem& it : items) {
    acc += adder_tree_sum(it.lanes);
    if (it.last) {
      totals.push_back(acc);
      acc = 0;
    }
  }
  return totals;
}

}  // namespace escgen::blocks
