// Adder tree plan (exact operand ranges and widths, register placement), the accumulation model
// and generator checks (no simulator; testbench/tb_adder_tree.cpp checks the RTL).
#include <boost/test/unit_test.hpp>

#include "blocks/adder_tree.h"
#include "netlist/netlist.h"
#include "util/error.h"

namespace {

using namespace escgen::blocks;

}  // namespace

BOOST_AUTO_TEST_SUITE(adder_tree)

BOOST_AUTO_TEST_CASE(signed_width_is_minimal) {
  BOOST_TEST(signed_width(-1, 0) == 1);
  BOOST_TEST(signed_width(-128, 127) == 8);
  BOOST_TEST(signed_width(-129, 0) == 9);
  BOOST_TEST(signed_width(0, 128) == 9);
  BOOST_TEST(signed_width(-256, 254) == 9);
  BOOST_TEST(signed_width(-640, 635) == 11);
}

BOOST_AUTO_TEST_CASE(every_adder_is_sized_for_its_range) {
  for (int lanes = 1; lanes <= 40; ++lanes) {
    for (int bits : {1, 2, 9, 17}) {
      const auto plan = plan_adder_tree({.lanes = lanes, .in_bits = bits, .stages = 0});
      const int64_t half = int64_t{1} << (bits - 1);
      int levels = 0;
      while ((1 << levels) < lanes) ++levels;
      BOOST_TEST_REQUIRE(static_cast<int>(plan.levels.size()) == levels + 1);
      for (size_t l = 1; l < plan.levels.size(); ++l) {
        for (const auto& nd : plan.levels[l]) {
          const auto& prev = plan.levels[l - 1];
          const auto& a = prev[static_cast<size_t>(nd.a)];
          const int64_t mn = a.min + (nd.b < 0 ? 0 : prev[static_cast<size_t>(nd.b)].min);
          const int64_t mx = a.max + (nd.b < 0 ? 0 : prev[static_cast<size_t>(nd.b)].max);
          BOOST_TEST_REQUIRE(nd.min == mn);
          BOOST_TEST_REQUIRE(nd.max == mx);
          // Exactly sized: the range fits, one bit less would not.
          BOOST_TEST_REQUIRE(nd.width == signed_width(nd.min, nd.max));
          BOOST_TEST_REQUIRE((nd.width == 1 || nd.min < -(int64_t{1} << (nd.width - 2)) ||
                              nd.max > (int64_t{1} << (nd.width - 2)) - 1));
        }
      }
      const auto& root = plan.levels.back()[0];
      BOOST_TEST_REQUIRE(root.min == -half * lanes);
      BOOST_TEST_REQUIRE(root.max == (half - 1) * lanes);
      BOOST_TEST_REQUIRE(plan.sum_bits == root.width);
    }
  }
  // 8 lanes of 9 bits: 10, 11, 12 bits per level.
  const auto p8 = plan_adder_tree({.lanes = 8, .in_bits = 9, .stages = 1});
  BOOST_TEST(p8.levels[1][0].width == 10);
  BOOST_TEST(p8.levels[2][0].width == 11);
  BOOST_TEST(p8.levels[3][0].width == 12);
}

BOOST_AUTO_TEST_CASE(registers_are_spread_evenly) {
  using Cuts = std::vector<int>;
  // 8 lanes: 3 adder levels + the accumulator; cut c registers the nodes of level c.
  BOOST_TEST(plan_adder_tree({.lanes = 8, .in_bits = 9, .stages = 0}).cuts == Cuts{},
             boost::test_tools::per_element());
  BOOST_TEST(plan_adder_tree({.lanes = 8, .in_bits = 9, .stages = 1}).cuts == Cuts{2},
             boost::test_tools::per_element());
  BOOST_TEST(plan_adder_tree({.lanes = 8, .in_bits = 9, .stages = 3}).cuts == (Cuts{1, 2, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(plan_adder_tree({.lanes = 8, .in_bits = 9, .stages = 4}).cuts == (Cuts{0, 1, 2, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(plan_adder_tree({.lanes = 1, .in_bits = 9, .stages = 1}).cuts == Cuts{0},
             boost::test_tools::per_element());
  for (int lanes = 1; lanes <= 64; ++lanes) {
    int levels = 0;
    while ((1 << levels) < lanes) ++levels;
    for (int s = 0; s <= levels + 1; ++s) {
      const auto cuts = plan_adder_tree({.lanes = lanes, .in_bits = 4, .stages = s}).cuts;
      BOOST_TEST_REQUIRE(static_cast<int>(cuts.size()) == s);
      for (size_t k = 0; k < cuts.size(); ++k) {
        BOOST_TEST_REQUIRE(cuts[k] >= 0);
        BOOST_TEST_REQUIRE(cuts[k] <= levels);
        if (k > 0) BOOST_TEST_REQUIRE(cuts[k] > cuts[k - 1]);
      }
    }
    BOOST_CHECK_THROW(plan_adder_tree({.lanes = lanes, .in_bits = 4, .stages = levels + 2}),
                      escgen::InternalError);
  }
}

BOOST_AUTO_TEST_CASE(model_sums_groups) {
  const std::vector<AdderTreeItem> items = {
      {{1, -2, 3}, false}, {{-100, 0, 0}, true}, {{5, 5, 5}, true}, {{7, 0, 0}, false}};
  BOOST_TEST(accumulate_groups(items) == (std::vector<int64_t>{-98, 15}),
             boost::test_tools::per_element());
  BOOST_TEST(adder_tree_sum(std::vector<int64_t>{-256, -256, 255}) == -257);
}

BOOST_AUTO_TEST_CASE(generator_checks) {
  escgen::netlist::Design d;
  const std::string top =
      build_adder_tree(d, {.lanes = 6, .in_bits = 9, .stages = 2, .acc_bits = 20});
  BOOST_TEST(top == "escgen_adder_tree_l6_b9_s2_a20");
  BOOST_CHECK_NO_THROW(d.check());
  const auto& m = d.get(top);
  // 6 lanes: levels of 3, 2, 1 nodes (one pass-through at level 2); cuts after levels 1 and 2.
  BOOST_TEST(m.width_of("t1_0") == 10);
  BOOST_TEST(m.width_of("r1_2") == 10);
  BOOST_TEST(m.width_of("r2_1") == 10);  // passed through, registered
  BOOST_TEST(m.width_of("t3_0") == 12);
  BOOST_CHECK_THROW(m.width_of("t2_1"), escgen::InternalError);  // a pass-through has no adder
  BOOST_CHECK_THROW(build_adder_tree(d, {.lanes = 6, .in_bits = 9, .stages = 1, .acc_bits = 11}),
                    escgen::InternalError);  // the accumulator must hold a tree sum
  BOOST_CHECK_THROW(build_adder_tree(d, {.lanes = 0, .in_bits = 9, .stages = 0, .acc_bits = 20}),
                    escgen::InternalError);
  BOOST_CHECK_THROW(build_adder_tree(d, {.lanes = 4, .in_bits = 9, .stages = 4, .acc_bits = 20}),
                    escgen::InternalError);
}

BOOST_AUTO_TEST_SUITE_END()
