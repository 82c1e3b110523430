// Performance model pieces (perf/layer_work, pass_model, perf_model): per-row vector counts of a
// hand-made layer, the ideal bound's parts, the loading formula, invariants of the modelled
// pass (never below the bounds it models, monotone in work, gather parts), the weight side's
// states and the Concentration's room as the CA unit builds it.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "blocks/ca_unit.h"
#include "blocks/concentration.h"
#include "config/config.h"
#include "model/random_layer.h"
#include "perf/pass_model.h"
#include "perf/perf_model.h"
#include "perf/weight_side.h"

namespace {

using namespace escgen;

Config tiny() {
  return Config::from_file(std::string(ESCGEN_SOURCE_DIR) + "/configs/tiny.json");
}

// A 1x1-kernel layer with c_in 8 (2 chunks of 4 on tiny), c_out 1, d 2.
Layer hand_layer() {
  RandomLayerSpec sp;
  sp.c_in = 8;
  sp.c_out = 1;
  sp.h = 1;
  sp.w = 2;
  sp.k = 1;
  sp.pad = 0;
  sp.d = 2;
  Layer l = random_layer(sp, 1).layer;
  std::fill(l.coef.begin(), l.coef.end(), int8_t{0});
  return l;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(perf_model)

BOOST_AUTO_TEST_CASE(row_work_counts_matches_and_markers) {
  const Config c = tiny();
  Layer l = hand_layer();
  // channel 1 basis 0, channel 2 basis 1, channel 6 basis 0 (chunk 1), channel 7 basis 1.
  l.coef[1 * 2 + 0] = 1;
  l.coef[2 * 2 + 1] = -1;
  l.coef[6 * 2 + 0] = 1;
  l.coef[7 * 2 + 1] = 1;
  // x (8, 1, 2): pixel 0 has channels 1, 2, 3 non-zero; pixel 1 only channel 0.
  std::vector<uint16_t> x(16, 0);
  x[1 * 2 + 0] = 5;
  x[2 * 2 + 0] = 6;
  x[3 * 2 + 0] = 7;
  x[0 * 2 + 1] = 9;
  const perf::RowWork w = perf::row_work(c, l, x, 0, 0);
  // chunks: p0c0 -> two vectors (j0: 1 element, j1: 1 element); p0c1 -> none, last -> marker;
  // p1c0 -> none; p1c1 -> none, last -> marker.
  BOOST_TEST(w.first == (std::vector<uint32_t>{0, 2, 3, 3, 4}), boost::test_tools::per_element());
  BOOST_TEST(w.vec_size == (std::vector<uint8_t>{1, 1, 0, 0}), boost::test_tools::per_element());
  BOOST_TEST(w.elements == 2);
  BOOST_TEST(w.vectors == 4);
  // tiny issues 2 vectors per cycle: p0c0 takes one cycle for both; at 1 per cycle it takes two.
  BOOST_TEST(c.ca_issue_width == 2);
  BOOST_TEST(w.issue_cycles == 4);
  Config c1 = c;
  c1.ca_issue_width = 1;
  BOOST_TEST(perf::row_work(c1, l, x, 0, 0).issue_cycles == 5);
  // A row past c_out (tiny has 2 rows) issues only markers.
  const perf::RowWork e = perf::row_work(c, l, x, 0, 1);
  BOOST_TEST(e.elements == 0);
  BOOST_TEST(e.vectors == 2);
}

BOOST_AUTO_TEST_CASE(bounds_and_loading) {
  const Config c = tiny();
  RandomLayerSpec sp;
  sp.c_in = 6;
  sp.c_out = 3;
  sp.h = 5;
  sp.w = 4;
  sp.d = 3;
  const auto rl = random_layer(sp, 7);
  const perf::PerfEstimate e = perf::estimate(c, rl.layer, rl.x);
  BOOST_TEST(e.shape.groups == 2);
  BOOST_TEST(e.shape.chunks == 2);
  BOOST_TEST(e.basis_load == 5);              // 27 taps, 6 per 54-bit beat
  BOOST_TEST(e.load == 5 + 2 * 2 * (1 + 2));  // basis, then per group and row 1 + C beats
  BOOST_TEST(e.groups.size() == 2u);
  int64_t ideal = 0;
  for (const auto& g : e.groups) {
    BOOST_TEST(g.input_bound == 5 * 4 * 2);
    BOOST_TEST(g.mac_bound == 5 * 4 * 7);  // ceil(3*9/4) = 7 cycles per output
    BOOST_TEST(g.ideal == std::max({g.input_bound, g.ca_bound, g.mac_bound}));
    // A group's start-to-start time covers at least its input stream and its CA issue.
    BOOST_TEST(g.pass >= g.input_bound);
    BOOST_TEST(g.pass >= g.issue_bound);
    ideal += g.ideal;
  }
  BOOST_TEST(e.ideal == ideal);
  BOOST_TEST(e.binds == "mac");
  BOOST_TEST(e.cycles >= e.load + e.ideal);
  // A group's pass time runs from its start to the next's: the layer is the basis, the first
  // group's rows, then the passes. Without weight_prefetch each later group's load lies inside
  // the previous group's pass time, and the layer is slower.
  int64_t sum = e.basis_load + e.groups.front().load;
  for (const auto& g : e.groups) sum += g.pass;
  BOOST_TEST(e.cycles == sum);
  Config np = c;
  np.weight_prefetch = 0;
  const perf::PerfEstimate s = perf::estimate(np, rl.layer, rl.x);
  BOOST_TEST(s.groups.front().pass >= s.groups.back().load + s.groups.front().input_bound);
  BOOST_TEST(s.cycles > e.cycles);
  BOOST_TEST(e.dense_cycles == (3 * 6 * 9 * 20 + 7) / 8);
}

BOOST_AUTO_TEST_CASE(more_work_is_never_faster) {
  const Config c = tiny();
  RandomLayerSpec sp;
  sp.c_in = 16;
  sp.c_out = 2;
  sp.h = 6;
  sp.w = 6;
  sp.k = 1;
  sp.pad = 0;
  sp.d = 4;
  int64_t prev = 0;
  for (double density : {0.0, 0.2, 0.5, 1.0}) {
    sp.density = density;
    sp.act_zero = 0.0;
    const auto rl = random_layer(sp, 3);
    const perf::PerfEstimate e = perf::estimate(c, rl.layer, rl.x);
    BOOST_TEST(e.cycles >= prev);
    prev = e.cycles;
    // A dense 1x1 layer at full density is CA-bound: 16 elements per (chunk, basis) vector.
    if (density == 1.0) BOOST_TEST(e.binds == "ca");
  }
}

// Gather parts hand the Concentration the same elements as more, shorter vectors: with
// ca_issue_width > 1 (placement and merge registers already there) the cycles are the same; with
// one vector per cycle the parts add those registers, so a layer takes longer.
BOOST_AUTO_TEST_CASE(gather_parts_keep_the_beats) {
  // tiny (row_width 4) with 2 CA lanes, validated again for each variant (derived values).
  const auto variant = [](int issue, int gather_lanes) {
    nlohmann::json j = nlohmann::json::parse(tiny().elaborated_json()["config"].dump());
    j["ca_lanes"] = 2;
    j["ca_issue_width"] = issue;
    j["gather_lanes"] = gather_lanes;
    return Config::from_json(j, "tiny variant");
  };
  RandomLayerSpec sp;
  sp.c_in = 12;
  sp.c_out = 4;
  sp.h = 5;
  sp.w = 5;
  sp.d = 3;
  sp.density = 0.5;
  const auto rl = random_layer(sp, 5);
  for (int issue : {1, 2}) {
    const int64_t whole = perf::estimate(variant(issue, 0), rl.layer, rl.x).cycles;
    const int64_t parts = perf::estimate(variant(issue, 2), rl.layer, rl.x).cycles;
    if (issue == 1)
      BOOST_TEST(parts > whole);
    else
      BOOST_TEST(parts == whole);
  }
}

// A layer queued behind another (docs/interface.md, "Queued layers"): its basis and first group
// load during the other layer's last pass, so it adds its single-layer cycles less that load
// (basis beats + the first group's beats, which alone come before its first go), plus the
// buffered basis's write-out beyond the rows' idle lead (one beat per cycle from the first cycle
// every row is idle). Without weight_prefetch its rows load only after the other layer's end:
// more cycles, still fewer than alone.
BOOST_AUTO_TEST_CASE(queued_layer_hides_its_first_load) {
  const auto variant = [](int prefetch) {
    nlohmann::json j = nlohmann::json::parse(tiny().elaborated_json()["config"].dump());
    j["weight_prefetch"] = prefetch;
    return Config::from_json(j, "tiny variant");
  };
  RandomLayerSpec big, small;
  big.c_in = 16, big.c_out = 8, big.h = 12, big.w = 12, big.d = 4;
  small.c_in = 12, small.c_out = 6, small.h = 4, small.w = 5, small.d = 3;
  const RandomLayer a = random_layer(big, 3), b = random_layer(small, 4);
  const Config c = variant(1);
  const perf::PerfEstimate ea = perf::estimate(c, a.layer, a.x);
  const perf::PerfEstimate alone = perf::estimate(c, b.layer, b.x);
  const perf::PerfEstimate q = perf::estimate(c, b.layer, b.x, &ea.behind);
  BOOST_TEST(!alone.queued);
  BOOST_TEST(q.queued);
  const int64_t load = alone.basis_load + alone.groups[0].load;
  BOOST_TEST(ea.behind.weight_lead > load);
  BOOST_TEST(alone.basis_load == 5);  // d 3, k 3: 27 taps, 6 per beat
  const int64_t write_out = std::max<int64_t>(0, alone.basis_load - 1 - ea.behind.idle_lead);
  BOOST_TEST(q.cycles == alone.cycles - load + write_out);
  // A third layer behind the queued one: the chain's timeline carries on.
  const perf::PerfEstimate q2 = perf::estimate(c, a.layer, a.x, &q.behind);
  BOOST_TEST(q2.cycles < ea.cycles);
  // Without weight_prefetch.
  const Config c0 = variant(0);
  const perf::PerfEstimate ea0 = perf::estimate(c0, a.layer, a.x);
  const perf::PerfEstimate alone0 = perf::estimate(c0, b.layer, b.x);
  const perf::PerfEstimate q0 = perf::estimate(c0, b.layer, b.x, &ea0.behind);
  BOOST_TEST(q0.cycles < alone0.cycles);
  BOOST_TEST(q0.cycles - q.cycles >= alone0.groups[0].load - 1);
}

// The weight side: the basis's beats, then each group's rows, held until the group goes; with
// prefetch the next group loads right after a go, without it waits until the pass ends.
BOOST_AUTO_TEST_CASE(weight_side_loads_basis_then_groups) {
  const std::vector<int64_t> loads = {3, 2};
  perf::detail::WeightSide pf(loads, 2, true, nullptr);
  BOOST_TEST(pf.run_ahead() == 0);
  BOOST_TEST(!pf.step(0, false, false));  // basis beat 1 of 2
  BOOST_TEST(!pf.loading_rows());
  BOOST_TEST(pf.step(1, false, false));  // the basis's last beat
  BOOST_TEST(pf.loading_rows());
  BOOST_TEST(!pf.step(2, false, false));
  BOOST_TEST(!pf.group_ready());
  pf.step(3, false, false);
  BOOST_TEST(pf.group_ready());  // group 0's last beat
  pf.step(4, false, false);
  BOOST_TEST(pf.group_ready());  // held
  BOOST_TEST(!pf.loading_rows());
  pf.step(5, true, false);  // group 0 goes; group 1 loads
  BOOST_TEST(pf.next_group() == 1);
  BOOST_TEST(pf.loading_rows());
  pf.step(6, false, false);
  BOOST_TEST(pf.group_ready());
  pf.step(7, true, false);
  BOOST_TEST(pf.done());
  BOOST_TEST(pf.next_group() == 2);

  perf::detail::WeightSide np(loads, 1, false, nullptr);
  np.step(0, false, false);  // the basis's only beat
  np.step(1, false, false);
  np.step(2, false, false);
  BOOST_TEST(np.group_ready());
  np.step(3, true, false);  // group 0 goes: loading waits for the pass's end
  BOOST_TEST(!np.loading_rows());
  np.step(4, false, false);
  BOOST_TEST(!np.loading_rows());
  np.step(5, false, true);
  BOOST_TEST(np.loading_rows());
  BOOST_TEST(np.next_group() == 1);
}

// The Concentration the CA unit builds: gather parts are its input vectors, the look-ahead
// counted in them; its room (the fill up to which it takes a cycle's vectors) is the same for
// every gather width, row_width * lookahead_depth + ca_lanes.
BOOST_AUTO_TEST_CASE(concentration_room_of_the_ca_unit) {
  for (const int issue : {1, 2})
    for (const int gather : {0, 4, 8}) {
      const blocks::CaUnitParams p{
          .row_width = 16, .lanes = 4, .lookahead = 3, .issue = issue, .gather_lanes = gather};
      const blocks::ConcentrationParams cp = blocks::ca_unit_concentration(p, 9);
      const int parts = gather == 0 ? 1 : 16 / gather;
      BOOST_TEST(cp.width * parts == 16);
      BOOST_TEST(cp.inputs == issue * parts);
      BOOST_TEST(cp.group == parts);
      BOOST_TEST(cp.value_bits == 9);
      BOOST_TEST(cp.capacity() == 16 * (issue + 3) + 4);
      BOOST_TEST(blocks::concentration_room(cp) == 16 * 3 + 4);
    }
}

BOOST_AUTO_TEST_SUITE_END()
