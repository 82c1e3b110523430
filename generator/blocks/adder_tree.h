// CA adder tree + accumulator: sums `lanes` signed inputs in a balanced tree of two-input
// adders, each sized exactly for the range of values it can produce (bounds computed here, no
// overflow and no spare bit), with `stages` pipeline register levels placed evenly along the
// tree and the accumulator. The accumulator adds one tree sum per input item and, on an item
// flagged `last`, emits the group's total (one pixel's target over all its chunks) and starts
// the next group. Valid/ready in and out; a pipeline that stalls stage by stage (bubbles are
// squeezed out), so a waiting result blocks only when the next `last` item reaches it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "netlist/netlist.h"

namespace escgen::blocks {

struct AdderTreeParams {
  int lanes = 8;      // inputs, >= 1 (not necessarily a power of two), <= 4096
  int in_bits = 9;    // signed input width, 1 .. 32
  int stages = 1;     // pipeline register levels inside the tree, 0 .. clog2(lanes) + 1
  int acc_bits = 24;  // signed accumulator width, >= the tree sum's width, <= 64
};

// Ports: clk, rst_n; in_valid, in_ready, in_last, in_data[lanes*in_bits] (lane i at
// [i*in_bits +: in_bits], two's complement); out_valid, out_ready, out_sum[acc_bits] (the sum of
// every lane of every item of the group, two's complement modulo 2^acc_bits).
// Latency: stages + 1 clocks from the transfer of a `last` item to out_valid (no stall).
// in_ready depends combinationally on out_ready (and, with stages = 0, on in_last): stage k
// accepts when it is empty or its item moves on.
std::string build_adder_tree(netlist::Design& design, const AdderTreeParams& p);

// The tree's shape and bounds, as the generator builds it. levels[0] are the inputs; node i of
// level l+1 adds nodes a and b of level l (b = -1: node a passes through unchanged). Every width
// is the smallest two's-complement width holding [min, max]. cuts: the pipeline register levels,
// ascending; cut c registers the nodes of level c (c = 0: the inputs).
struct AdderTreeNode {
  int64_t min = 0, max = 0;
  int width = 0;
  int a = -1, b = -1;
};
struct AdderTreePlan {
  std::vector<std::vector<AdderTreeNode>> levels;
  std::vector<int> cuts;
  int sum_bits = 0;  // width of the tree's output
};
AdderTreePlan plan_adder_tree(const AdderTreeParams& p);  // throws InternalError on bad params

// Smallest two's-complement width holding every value in [min, max] (min <= 0 <= max).
int signed_width(int64_t min, int64_t max);

// The C++ reference: the exact sum of one item's lanes, and the groups' totals in order (one per
// item with last set; items after the last `last` form no total).
int64_t adder_tree_sum(std::span<const int64_t> lanes);
struct AdderTreeItem {
  std::vector<int64_t> lanes;
  bool last = false;
};
std::vector<int64_t> accumulate_groups(std::span<const AdderTreeItem> items);

}  // namespace escgen::blocks
