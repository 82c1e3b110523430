// Concentration cycle model: hand-worked streams for each look-ahead / look-aside setting, and
// the invariants every setting must keep (elements conserved, never below the ideal bound,
// more look-ahead or look-aside never slower).
#include <boost/test/unit_test.hpp>

#include <random>

#include "perf/concentration.h"

namespace {

using escgen::perf::ConcentrationParams;
using escgen::perf::simulate_concentration;

int64_t cycles(const std::vector<std::vector<int>>& t, int lanes, int ahead, int aside) {
  return simulate_concentration(t, ConcentrationParams{lanes, ahead, aside}).cycles;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(concentration)

BOOST_AUTO_TEST_CASE(hand_worked_streams) {
  // One target, vectors of 3 and 2 elements, 4 lanes.
  BOOST_TEST(cycles({{3, 2}}, 4, 0, 0) == 2);  // 3 | 2
  BOOST_TEST(cycles({{3, 2}}, 4, 1, 0) == 2);  // 3+1 | 1
  BOOST_TEST(cycles({{1, 1, 1, 1}}, 4, 0, 0) == 4);
  BOOST_TEST(cycles({{1, 1, 1, 1}}, 4, 1, 0) == 2);  // two vectors per cycle
  BOOST_TEST(cycles({{1, 1, 1, 1}}, 4, 3, 0) == 1);
  // Empty vectors are dropped by dilution and cost nothing.
  BOOST_TEST(cycles({{0, 0, 1, 0}}, 4, 0, 0) == 1);
  BOOST_TEST(cycles({{0, 0}, {}}, 4, 0, 0) == 0);
  // Look-aside: two targets of one element each share a cycle (separate sums).
  BOOST_TEST(cycles({{1}, {1}}, 4, 0, 0) == 2);
  BOOST_TEST(cycles({{1}, {1}}, 4, 0, 1) == 1);
  BOOST_TEST(cycles({{1}, {1}, {1}}, 4, 0, 1) == 2);
  BOOST_TEST(cycles({{1}, {1}, {1}}, 4, 0, 2) == 1);
  // A vector longer than the lanes takes several cycles whatever the settings.
  BOOST_TEST(cycles({{9}}, 4, 2, 2) == 3);
  const auto s = simulate_concentration({{3, 2}, {4}}, {4, 0, 0});
  BOOST_TEST(s.elements == 9);
  BOOST_TEST(s.ideal_cycles == 3);
  BOOST_TEST(s.cycles == 3);
  BOOST_TEST(s.utilisation() == 9.0 / 12.0);
}

BOOST_AUTO_TEST_CASE(invariants_on_random_streams) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const int lanes = 1 + static_cast<int>(rng() % 16);
    std::vector<std::vector<int>> t(1 + rng() % 12);
    for (auto& v : t) {
      v.resize(rng() % 6);
      for (int& m : v) m = static_cast<int>(rng() % 20);
    }
    int64_t prev_ahead = -1;
    for (int ahead = 0; ahead <= 3; ++ahead) {
      int64_t prev_aside = -1;
      for (int aside = 0; aside <= 2; ++aside) {
        const auto s = simulate_concentration(t, {lanes, ahead, aside});
        BOOST_TEST(s.cycles >= s.ideal_cycles);
        if (prev_aside >= 0) BOOST_TEST(s.cycles <= prev_aside);
        prev_aside = s.cycles;
        if (aside == 0) {
          if (prev_ahead >= 0) BOOST_TEST(s.cycles <= prev_ahead);
          prev_ahead = s.cycles;
        }
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
