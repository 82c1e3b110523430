// Output-channel assignment (interface/channel_assignment.h): linear is the identity; balanced is a
// permutation, deterministic, never worse than linear on the max-row-work metric (and better on a
// skewed layer), puts the heaviest channels together; permuting a layer and un-permuting its
// golden output gives the original output bit for bit; --density-skew spreads channel densities.
#include <algorithm>
#include <numeric>

#include <boost/test/unit_test.hpp>

#include "config/config.h"
#include "interface/channel_assignment.h"
#include "model/golden.h"
#include "model/random_layer.h"
#include "util/error.h"

namespace {

using escgen::ChannelAssign;
using escgen::Config;

const std::string kTiny = std::string(ESCGEN_SOURCE_DIR) + "/configs/tiny.json";

escgen::RandomLayer skewed(int c_out, double skew, uint64_t seed) {
  escgen::RandomLayerSpec spec;
  spec.c_in = 16, spec.c_out = c_out, spec.h = 4, spec.w = 4, spec.d = 4;
  spec.density = 0.3;
  spec.density_skew = skew;
  return escgen::random_layer(spec, seed);
}

bool is_permutation(std::vector<int> p, int n) {
  std::sort(p.begin(), p.end());
  std::vector<int> id(static_cast<size_t>(n));
  std::iota(id.begin(), id.end(), 0);
  return p == id;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(channel_assignment)

BOOST_AUTO_TEST_CASE(linear_is_identity) {
  const Config c = Config::from_file(kTiny);
  const escgen::Layer l = skewed(7, 0.8, 1).layer;
  const std::vector<int> p = escgen::assign_channels(c, l, ChannelAssign::Linear);
  for (int o = 0; o < l.c_out; ++o) BOOST_TEST(p[static_cast<size_t>(o)] == o);
}

BOOST_AUTO_TEST_CASE(balanced_permutation_no_worse_deterministic) {
  const Config c = Config::from_file(kTiny);
  int better = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const int c_out = 3 + static_cast<int>(seed % 14);  // partial last groups too
    const escgen::Layer l = skewed(c_out, 0.9, seed).layer;
    const std::vector<int> lin = escgen::assign_channels(c, l, ChannelAssign::Linear);
    const std::vector<int> bal = escgen::assign_channels(c, l, ChannelAssign::Balanced);
    BOOST_TEST(is_permutation(bal, c_out));
    BOOST_TEST(bal == escgen::assign_channels(c, l, ChannelAssign::Balanced));
    const int64_t wl = escgen::max_row_work(c, l, lin), wb = escgen::max_row_work(c, l, bal);
    BOOST_TEST(wb <= wl);
    better += wb < wl;
    // Sorted heaviest first: the work never increases along the slots.
    for (size_t s = 1; s < bal.size(); ++s)
      BOOST_TEST(escgen::channel_work(l, bal[s - 1]) >= escgen::channel_work(l, bal[s]));
  }
  BOOST_TEST(better > 10);  // skewed layers with several groups: strictly better on most
}

BOOST_AUTO_TEST_CASE(hand_example) {
  const Config c = Config::from_file(kTiny);  // rows = tiles * rows_per_tile
  const int rows = c.derived.rows;
  escgen::Layer l = skewed(2 * rows, 0.0, 3).layer;
  // Channel o has o non-zero coefficients (o < c_in*d): linear puts the heavy ones in group 1.
  std::fill(l.coef.begin(), l.coef.end(), int8_t{0});
  for (int o = 0; o < l.c_out; ++o)
    for (int t = 0; t < o; ++t) l.coef[static_cast<size_t>(o) * l.c_in * l.d + t] = 1;
  const std::vector<int> bal = escgen::assign_channels(c, l, ChannelAssign::Balanced);
  BOOST_TEST(bal.front() == 2 * rows - 1);
  BOOST_TEST(bal.back() == 0);
  BOOST_TEST(escgen::max_row_work(c, l, bal) == (2 * rows - 1) + (rows - 1));
  BOOST_TEST(escgen::max_row_work(c, l, escgen::assign_channels(c, l, ChannelAssign::Linear)) ==
             (rows - 1) + (2 * rows - 1));
}

BOOST_AUTO_TEST_CASE(permute_then_unpermute_is_exact) {
  const Config c = Config::from_file(kTiny);
  const escgen::RandomLayer r = skewed(11, 0.9, 7);
  const std::vector<int> perm = escgen::assign_channels(c, r.layer, ChannelAssign::Balanced);
  BOOST_TEST(perm != escgen::assign_channels(c, r.layer, ChannelAssign::Linear));
  const escgen::Layer p = escgen::permute_layer(r.layer, perm);
  const std::vector<int64_t> y = escgen::golden_output(r.layer, r.x);
  const std::vector<int64_t> yp = escgen::golden_output(p, r.x);
  BOOST_TEST(yp != y);
  const int64_t pixels = int64_t{r.layer.h_out()} * r.layer.w_out();
  BOOST_TEST(escgen::unpermute_output(yp, perm, pixels) == y);
  BOOST_CHECK_THROW(escgen::permute_layer(r.layer, std::vector<int>(11, 0)), escgen::InternalError);
}

BOOST_AUTO_TEST_CASE(parse) {
  BOOST_TEST((escgen::parse_channel_assign("linear", "--assign") == ChannelAssign::Linear));
  BOOST_TEST((escgen::parse_channel_assign("balanced", "--assign") == ChannelAssign::Balanced));
  BOOST_CHECK_THROW(escgen::parse_channel_assign("round", "--assign"), escgen::InputError);
}

BOOST_AUTO_TEST_CASE(density_skew) {
  // Skew 0 is the layer without the option; skew 1 spreads the channels' non-zero counts.
  escgen::RandomLayerSpec spec;
  spec.c_in = 32, spec.c_out = 16, spec.d = 4, spec.density = 0.3;
  const escgen::RandomLayer a = escgen::random_layer(spec, 5);
  spec.density_skew = 0.0;
  BOOST_TEST(escgen::random_layer(spec, 5).layer.coef == a.layer.coef);
  spec.density_skew = 1.0;
  const escgen::RandomLayer b = escgen::random_layer(spec, 5);
  const auto spread = [](const escgen::Layer& l) {
    int64_t lo = INT64_MAX, hi = 0;
    for (int o = 0; o < l.c_out; ++o) {
      lo = std::min(lo, escgen::channel_work(l, o));
      hi = std::max(hi, escgen::channel_work(l, o));
    }
    return hi - lo;
  };
  BOOST_TEST(spread(b.layer) > 2 * spread(a.layer));
  spec.density_skew = 1.5;
  BOOST_CHECK_THROW(escgen::random_layer(spec, 5), escgen::InputError);
}

BOOST_AUTO_TEST_SUITE_END()
