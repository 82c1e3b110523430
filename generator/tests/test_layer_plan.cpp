// The layer plan (interface/layer_plan.h) and the geometry primitives (config/geometry.h): the
// geometry of a hand-checked layer on tiny, the layer as loaded and as placed by its channel
// permutation, the fit refusal (InputError naming the file and field, skipped on request) and
// the single run that covers an unsplit layer.
#include <boost/test/unit_test.hpp>

#include "config/config.h"
#include "config/geometry.h"
#include "interface/layer_plan.h"
#include "model/random_layer.h"
#include "test_model_util.h"
#include "util/error.h"

namespace {

using escgen::ChannelAssign;
using escgen::Config;
using escgen::IndexRange;
using escgen::Layer;
using escgen::LayerPlan;

const std::string kTiny = std::string(ESCGEN_SOURCE_DIR) + "/configs/tiny.json";

// c_in 7, c_out 5, 6x5, k 3, stride 2, pad 1, d 3; channel densities skewed so that balancing
// moves channels.
escgen::RandomLayerSpec spec() {
  escgen::RandomLayerSpec s;
  s.c_in = 7, s.c_out = 5, s.h = 6, s.w = 5, s.k = 3, s.stride = 2, s.pad = 1, s.d = 3;
  s.density = 0.4;
  s.density_skew = 0.9;
  return s;
}

// The layer written to dir/layer (as escgen layer would).
Layer saved(const escgen::test::ModelTempDir& t, const escgen::RandomLayerSpec& s) {
  const Layer l = escgen::random_layer(s, 3).layer;
  escgen::save_layer(t / "layer", l);
  return escgen::load_layer(t / "layer");
}

bool same_channel(const Layer& a, int sa, const Layer& b, int sb) {
  const auto n = static_cast<size_t>(a.c_in) * a.d;
  for (size_t i = 0; i < n; ++i)
    if (a.coef[static_cast<size_t>(sa) * n + i] != b.coef[static_cast<size_t>(sb) * n + i])
      return false;
  const auto ua = static_cast<size_t>(sa), ub = static_cast<size_t>(sb);
  return a.bias[ua] == b.bias[ub] && a.scale[ua] == b.scale[ub] && a.shift[ua] == b.shift[ub];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layer_plan)

BOOST_AUTO_TEST_CASE(geometry_primitives) {
  BOOST_TEST(escgen::input_chunks(1, 4) == 1);
  BOOST_TEST(escgen::input_chunks(8, 4) == 2);
  BOOST_TEST(escgen::input_chunks(9, 4) == 3);
  BOOST_TEST(escgen::output_groups(5, 2) == 3);
  BOOST_TEST(escgen::output_groups(8, 8) == 1);
  const Config c = Config::from_file(kTiny);  // row_width 4, rows 2, 6 basis taps per beat
  BOOST_TEST(escgen::input_chunks(c, 16) == c.derived.chunks_max);
  BOOST_TEST(escgen::output_groups(c, 7) == 4);
  BOOST_TEST(escgen::basis_beats(c, 3, 3) == 5);  // 27 taps
  BOOST_TEST(escgen::basis_beats(c, 2, 3) == 3);  // 18 taps
  BOOST_TEST(escgen::basis_beats(c, 1, 1) == 1);
}

BOOST_AUTO_TEST_CASE(geometry_and_placement) {
  const Config c = Config::from_file(kTiny);
  escgen::test::ModelTempDir t;
  const Layer l = saved(t, spec());
  const LayerPlan p = escgen::plan_layer(c, t / "layer", {});
  // groups ceil(5/2), chunks ceil(7/4), basis ceil(27/6), items 1 + 2, out 3 * 3x3.
  BOOST_TEST(p.geometry.groups == 3);
  BOOST_TEST(p.geometry.chunks == 2);
  BOOST_TEST(p.geometry.basis_beats == 5);
  BOOST_TEST(p.geometry.row_items == 3);
  BOOST_TEST(p.geometry.output_beats == 27);
  BOOST_TEST(p.layer.dir == t / "layer");
  BOOST_TEST(p.layer.coef == l.coef, boost::test_tools::per_element());
  // Balanced by default: the permutation of assign_channels, applied to the placed layer.
  BOOST_TEST(p.perm == escgen::assign_channels(c, l, ChannelAssign::Balanced),
             boost::test_tools::per_element());
  bool moved = false;
  for (int s = 0; s < l.c_out; ++s) {
    BOOST_TEST(same_channel(p.placed, s, l, p.perm[static_cast<size_t>(s)]));
    moved = moved || p.perm[static_cast<size_t>(s)] != s;
  }
  BOOST_TEST(moved);
  const LayerPlan lin = escgen::plan_layer(c, t / "layer", {.assign = ChannelAssign::Linear});
  BOOST_TEST(lin.placed.coef == l.coef, boost::test_tools::per_element());
  for (int s = 0; s < l.c_out; ++s) BOOST_TEST(lin.perm[static_cast<size_t>(s)] == s);
}

BOOST_AUTO_TEST_CASE(one_run_covers_the_layer) {
  const Config c = Config::from_file(kTiny);
  escgen::test::ModelTempDir t;
  saved(t, spec());
  const LayerPlan p = escgen::plan_layer(c, t / "layer", {});
  BOOST_TEST_REQUIRE(p.runs.size() == 1u);
  const escgen::LayerRun& r = p.runs[0];
  BOOST_TEST((r.c_out == IndexRange{0, 5}));
  BOOST_TEST((r.c_in == IndexRange{0, 7}));
  BOOST_TEST((r.out_rows == IndexRange{0, 3}));
  BOOST_TEST((r.out_cols == IndexRange{0, 3}));
  BOOST_TEST(r.c_out.size() == 5);
}

BOOST_AUTO_TEST_CASE(fit_refusal) {
  const Config c = Config::from_file(kTiny);
  escgen::test::ModelTempDir t;
  escgen::RandomLayerSpec s = spec();
  s.c_out = 9;  // tiny's max_c_out is 8
  saved(t, s);
  std::string error;
  try {
    escgen::plan_layer(c, t / "layer", {});
  } catch (const escgen::InputError& e) {
    error = e.what();
  }
  BOOST_TEST(error == t / "layer/layer.json" +
                          ": c_out: 9 exceeds the configuration's max_c_out 8 (" + kTiny + ")");
  // escgen perf --ignore-limits: planned all the same.
  const LayerPlan p = escgen::plan_layer(c, t / "layer", {.ignore_limits = true});
  BOOST_TEST(p.geometry.groups == 5);
  BOOST_TEST(p.runs[0].c_out.end == 9);
}

BOOST_AUTO_TEST_SUITE_END()
