// Adder tree + accumulator testbench: the generated block (Verilated, the 5 shapes of lanes,
// in_bits, pipeline stages and acc_bits testbench/CMakeLists.txt declares) against
// blocks::accumulate_groups (exact integer sums). Stimuli: groups whose every item has all lanes at
// the minimum (the longest group whose total still fits acc_bits, reaching -2^(acc_bits-1) where
// the widths allow) or at the maximum, alternating extremes, then random signed lanes with random
// `last` patterns (every item last, short and long groups); random valid gaps and random ready
// stalls. A never-stalled run checks the latency (stages + 1) and one item per clock.
#define BOOST_TEST_MODULE escgen adder tree testbench
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

#include "blocks/adder_tree.h"
#include "common/ports.h"
#include "common/stream_check.h"
#include "tb_adder_tree_shapes.h"

namespace {

using escgen::blocks::AdderTreeItem;
using escgen::blocks::AdderTreeParams;
using escgen::tb::Fields;
using escgen::tb::Flow;
using escgen::tb::get_field;
using escgen::tb::percent;
using escgen::tb::set_field;
using escgen::tb::StreamHooks;
using escgen::tb::StreamStats;

const Flow kFlows[] = {{100, 100}, {70, 70}, {95, 20}, {20, 95}, {50, 50}, {100, 60}};

uint64_t low_bits(int64_t v, int bits) {
  return bits >= 64 ? static_cast<uint64_t>(v)
                    : static_cast<uint64_t>(v) & ((uint64_t{1} << bits) - 1);
}

int64_t sign_extend(uint64_t v, int bits) {
  const uint64_t m = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ m) - m);
}

std::vector<AdderTreeItem> make_items(const AdderTreeParams& s, int random, std::mt19937_64& rng) {
  const int64_t half = int64_t{1} << (s.in_bits - 1);
  const int64_t lo = -half, hi = half - 1;
  // Longest group of all-minimum items whose total fits acc_bits (capped to keep runs short).
  const int64_t longest =
      std::min<int64_t>(((int64_t{1} << (s.acc_bits - 1)) / (half * s.lanes)), 400);
  const auto lanes = static_cast<size_t>(s.lanes);
  std::vector<AdderTreeItem> items;
  auto group = [&](int64_t len, auto value) {
    for (int64_t k = 0; k < len; ++k) {
      AdderTreeItem it;
      for (size_t i = 0; i < lanes; ++i) it.lanes.push_back(value(k, i));
      it.last = k == len - 1;
      items.push_back(it);
    }
  };
  group(1, [&](int64_t, size_t) { return lo; });
  group(1, [&](int64_t, size_t) { return hi; });
  group(longest, [&](int64_t, size_t) { return lo; });
  group(longest, [&](int64_t, size_t) { return hi; });
  group(7, [&](int64_t k, size_t i) { return (k + static_cast<int64_t>(i)) % 2 ? lo : hi; });
  group(3, [&](int64_t, size_t) { return int64_t{0}; });
  // Random lanes (a quarter of them at an extreme) in phases of different group lengths.
  const int last_pct[] = {100, 50, 20, 5};
  for (int k = 0; k < random; ++k) {
    AdderTreeItem it;
    for (size_t i = 0; i < lanes; ++i) {
      const uint64_t r = rng();
      it.lanes.push_back(r % 8 == 0   ? lo
                         : r % 8 == 1 ? hi
                                      : lo + static_cast<int64_t>((r >> 3) % (hi - lo + 1)));
    }
    it.last = percent(rng, last_pct[(k * 4 / random) % 4]);
    items.push_back(it);
  }
  items.back().last = true;
  return items;
}

template <class Dut>
void drive(Dut& d, const AdderTreeParams& s, const AdderTreeItem& it) {
  for (int i = 0; i < s.lanes; ++i)
    set_field(d.in_data, i * s.in_bits, s.in_bits,
              low_bits(it.lanes[static_cast<size_t>(i)], s.in_bits));
  d.in_last = it.last;
}

template <class Shape>
void adder_vs_model(int random) {
  using Dut = typename Shape::Model;
  const AdderTreeParams& s = Shape::params;
  std::mt19937_64 rng(static_cast<uint64_t>(s.lanes * 7001 + s.in_bits * 31 + s.stages));
  VerilatedContext ctx;
  auto dut = std::make_unique<Dut>(&ctx);
  escgen::tb::reset(*dut);
  BOOST_TEST_REQUIRE(static_cast<int>(dut->out_valid) == 0);
  const auto items = make_items(s, random, rng);
  std::vector<Fields> expected;
  for (int64_t total : escgen::blocks::accumulate_groups(items)) {
    // The model's exact total must fit the accumulator for the comparison to be exact.
    BOOST_TEST_REQUIRE(sign_extend(low_bits(total, s.acc_bits), s.acc_bits) == total);
    expected.push_back({low_bits(total, s.acc_bits)});
  }
  StreamHooks<Dut> hooks{[&](Dut& d, size_t i) { drive(d, s, items[i]); },
                         [&](Dut& d, std::mt19937_64& r) {
                           for (int i = 0; i < s.lanes; ++i)
                             set_field(d.in_data, i * s.in_bits, s.in_bits, r());
                           d.in_last = static_cast<uint8_t>(r() & 1u);
                         },
                         [&](const Dut& d) { return Fields{get_field(d.out_sum, 0, s.acc_bits)}; }};
  StreamStats stats;
  for (const Flow& f : kFlows)
    BOOST_TEST_REQUIRE(escgen::tb::run_stream(*dut, hooks, items.size(), expected, f, rng, &stats));
  BOOST_TEST_MESSAGE("adder_tree lanes=" << s.lanes << " in_bits=" << s.in_bits
                                         << " stages=" << s.stages << ": " << stats.in_transfers
                                         << " items, " << stats.out_transfers
                                         << " totals checked in " << stats.cycles << " cycles");
  BOOST_TEST(stats.out_transfers == static_cast<long>(std::size(kFlows) * expected.size()));
  dut->final();
}

// Never stalled: one item per clock, every item `last`, each total exactly stages + 1 clocks
// after its item's transfer.
template <class Shape>
void latency() {
  using Dut = typename Shape::Model;
  const AdderTreeParams& s = Shape::params;
  std::mt19937_64 rng(11);
  VerilatedContext ctx;
  auto dut = std::make_unique<Dut>(&ctx);
  escgen::tb::reset(*dut);
  std::vector<AdderTreeItem> items = make_items(s, 200, rng);
  for (auto& it : items) it.last = true;
  const auto totals = escgen::blocks::accumulate_groups(items);
  size_t next_out = 0;
  dut->out_ready = 1;
  dut->in_valid = 1;
  for (long cyc = 0; next_out < totals.size(); ++cyc) {
    BOOST_TEST_REQUIRE(cyc < static_cast<long>(items.size()) + 20);
    const bool feeding = cyc < static_cast<long>(items.size());
    dut->in_valid = feeding;
    if (feeding) drive(*dut, s, items[static_cast<size_t>(cyc)]);
    dut->clk = 0;
    dut->eval();
    if (feeding) BOOST_TEST_REQUIRE(static_cast<int>(dut->in_ready) == 1);
    // The total of item i is valid in cycle i + stages + 1, and in no other cycle.
    const long item = cyc - (s.stages + 1);
    const bool want_valid = item >= 0 && item < static_cast<long>(items.size());
    BOOST_TEST_REQUIRE(static_cast<bool>(dut->out_valid) == want_valid);
    if (want_valid) {
      BOOST_TEST_REQUIRE(get_field(dut->out_sum, 0, s.acc_bits) ==
                         low_bits(totals[next_out], s.acc_bits));
      ++next_out;
    }
    dut->clk = 1;
    dut->eval();
  }
  BOOST_TEST_MESSAGE("adder_tree lanes=" << s.lanes << " stages=" << s.stages << ": latency "
                                         << s.stages + 1 << ", " << next_out
                                         << " items at one per clock");
  dut->final();
}

}  // namespace

namespace shapes = escgen::tb::shapes;

BOOST_AUTO_TEST_SUITE(adder_tree)

BOOST_AUTO_TEST_CASE(lanes_4_combinational) {
  adder_vs_model<shapes::at_l4_b9_s0_a16>(5000);
}
BOOST_AUTO_TEST_CASE(lanes_8_one_stage) {
  adder_vs_model<shapes::at_l8_b9_s1_a24>(5000);
}
BOOST_AUTO_TEST_CASE(lanes_6_all_stages) {
  adder_vs_model<shapes::at_l6_b9_s4_a20>(5000);
}
BOOST_AUTO_TEST_CASE(lanes_32_three_stages) {
  adder_vs_model<shapes::at_l32_b9_s3_a24>(5000);
}
BOOST_AUTO_TEST_CASE(lanes_5_wide_acc) {
  adder_vs_model<shapes::at_l5_b16_s2_a40>(5000);
}
BOOST_AUTO_TEST_CASE(latency_all_shapes) {
  latency<shapes::at_l4_b9_s0_a16>();
  latency<shapes::at_l8_b9_s1_a24>();
  latency<shapes::at_l6_b9_s4_a20>();
  latency<shapes::at_l32_b9_s3_a24>();
  latency<shapes::at_l5_b16_s2_a40>();
}

BOOST_AUTO_TEST_SUITE_END()
