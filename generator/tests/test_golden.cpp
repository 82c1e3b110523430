// The golden PENNI model: hand-computed layers, requantisation corner cases, raw-output overflow,
// and hundreds of random layers where the golden model (linear combination first, sparse) and the
// independent dense path (effective weights, direct convolution) agree bit for bit.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "model/direct_conv.h"
#include "model/golden.h"
#include "model/random_layer.h"
#include "util/error.h"

namespace {

using escgen::Layer;
using escgen::OutputMode;
using escgen::requantize;

Layer make_layer(int c_in, int c_out, int h, int w, int k, int stride, int pad, int d) {
  Layer l;
  l.c_in = c_in, l.c_out = c_out, l.h = h, l.w = w, l.k = k, l.stride = stride, l.pad = pad,
  l.d = d;
  l.basis.assign(static_cast<size_t>(d * k * k), 0);
  l.coef.assign(static_cast<size_t>(c_out * c_in * d), 0);
  l.bias.assign(static_cast<size_t>(c_out), 0);
  l.scale.assign(static_cast<size_t>(c_out), 1);
  l.shift.assign(static_cast<size_t>(c_out), 0);
  return l;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(golden)

BOOST_AUTO_TEST_CASE(hand_computed_two_bases) {
  // x[0] = [[1,2,3],[4,5,6]], x[1] = [[0,1,0],[2,0,1]]; B[0] = [[1,0],[0,1]], B[1] =
  // [[0,-1],[1,0]]; C[0][0] = (1, -1), C[0][1] = (0, 1). Z[0] = x0, Z[1] = x1 - x0 =
  // [[-1,-1,-3],[-2,-5,-5]]. acc[0][0][0] = 10 + (1 + 5) + (1 - 2) = 15; acc[0][0][1] = 10 + (2 +
  // 6) + (3 - 5) = 16.
  Layer l = make_layer(2, 1, 2, 3, 2, 1, 0, 2);
  l.basis = {1, 0, 0, 1, 0, -1, 1, 0};
  l.coef = {1, -1, 0, 1};
  l.bias = {10};
  l.scale = {3};
  l.shift = {2};
  BOOST_TEST_REQUIRE(l.h_out() == 1);
  BOOST_TEST_REQUIRE(l.w_out() == 2);
  const std::vector<uint16_t> x = {1, 2, 3, 4, 5, 6, 0, 1, 0, 2, 0, 1};
  BOOST_TEST((escgen::golden_accumulators(l, x) == std::vector<int64_t>{15, 16}));
  BOOST_TEST((escgen::direct_accumulators(l, x) == std::vector<int64_t>{15, 16}));
  // (15 * 3 + 2) >> 2 = 11; (16 * 3 + 2) >> 2 = 12.
  BOOST_TEST((escgen::golden_output(l, x) == std::vector<int64_t>{11, 12}));
  l.output = OutputMode::Raw;
  BOOST_TEST((escgen::golden_output(l, x) == std::vector<int64_t>{15, 16}));
  // W_eff[0][0] = B0 - B1, W_eff[0][1] = B1.
  BOOST_TEST((escgen::effective_weights(l) == std::vector<int64_t>{1, 1, -1, 1, 0, -1, 1, 0}));
}

BOOST_AUTO_TEST_CASE(hand_computed_stride_and_padding) {
  // A 3x3 box filter with pad 1 and stride 2 on a 3x3 image: clipped window sums at the corners.
  Layer l = make_layer(1, 2, 3, 3, 3, 2, 1, 1);
  l.basis.assign(9, 1);
  l.coef = {1, -1};
  l.bias = {0, 100};
  l.output = OutputMode::Raw;
  const std::vector<uint16_t> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<int64_t> want = {12, 16, 24, 28, 88, 84, 76, 72};
  BOOST_TEST((escgen::golden_output(l, x) == want));
  BOOST_TEST((escgen::direct_output(l, x) == want));
}

BOOST_AUTO_TEST_CASE(hand_computed_even_kernel_padding) {
  // k = 2, pad = 1 on a 1x1 image: each output sees the pixel through one tap, in reverse order.
  Layer l = make_layer(1, 1, 1, 1, 2, 1, 1, 1);
  l.basis = {1, 2, 3, 4};
  l.coef = {1};
  l.output = OutputMode::Raw;
  BOOST_TEST((escgen::golden_output(l, {5}) == std::vector<int64_t>{20, 15, 10, 5}));
  BOOST_TEST((escgen::direct_output(l, {5}) == std::vector<int64_t>{20, 15, 10, 5}));
}

BOOST_AUTO_TEST_CASE(empty_coefficients_give_the_bias) {
  Layer l = make_layer(4, 3, 4, 4, 3, 1, 1, 2);
  l.basis.assign(18, 5);
  l.bias = {-7, 0, 9};
  l.output = OutputMode::Raw;
  const std::vector<uint16_t> x(64, 200);
  const std::vector<int64_t> y = escgen::golden_output(l, x);
  BOOST_TEST_REQUIRE(y.size() == 48u);
  for (size_t e = 0; e < y.size(); ++e) BOOST_TEST(y[e] == l.bias[e / 16]);
}

BOOST_AUTO_TEST_CASE(requantize_corner_cases) {
  // S = 0: plain product, clamped.
  BOOST_TEST(requantize(5, 3, 0, 8) == 15);
  BOOST_TEST(requantize(100, 3, 0, 8) == 255);
  BOOST_TEST(requantize(-1, 1, 0, 8) == 0);
  // M = 0: everything is 0.
  BOOST_TEST(requantize(12345, 0, 5, 8) == 0);
  BOOST_TEST(requantize(-12345, 0, 0, 8) == 0);
  // Rounding: add 2^(S-1), then floor; ties round up (towards +infinity).
  BOOST_TEST(requantize(5, 1, 1, 8) == 3);  // 2.5 -> 3
  BOOST_TEST(requantize(3, 1, 1, 8) == 2);  // 1.5 -> 2
  BOOST_TEST(requantize(1, 1, 1, 8) == 1);  // 0.5 -> 1
  BOOST_TEST(requantize(6, 1, 2, 8) == 2);  // 1.5 -> 2
  BOOST_TEST(requantize(2, 1, 2, 8) == 1);  // 0.5 -> 1
  BOOST_TEST(requantize(1, 1, 2, 8) == 0);  // 0.25 -> 0
  BOOST_TEST(requantize(7, 1, 2, 8) == 2);  // 1.75 -> 2
  BOOST_TEST(requantize(9, 1, 2, 8) == 2);  // 2.25 -> 2
  // Negative accumulators: arithmetic shift, then ReLU.
  BOOST_TEST(requantize(-1, 1, 1, 8) == 0);      // -0.5 -> 0
  BOOST_TEST(requantize(-5, 1, 1, 8) == 0);      // -2.5 -> -2 -> 0
  BOOST_TEST(requantize(-1000, 70, 3, 8) == 0);  // clamp at 0
  // Clamp at 2^act_bits - 1.
  BOOST_TEST(requantize(255, 1, 0, 8) == 255);
  BOOST_TEST(requantize(256, 1, 0, 8) == 255);
  BOOST_TEST(requantize(508, 1, 1, 8) == 254);  // 254.0
  BOOST_TEST(requantize(509, 1, 1, 8) == 255);  // 254.5 -> 255
  BOOST_TEST(requantize(511, 1, 1, 8) == 255);  // 255.5 -> 256 -> 255
  BOOST_TEST(requantize(3, 1, 0, 1) == 1);
  BOOST_TEST(requantize(1, 1, 0, 1) == 1);
  BOOST_TEST(requantize(70000, 1, 0, 16) == 65535);
  BOOST_TEST(requantize(65534, 1, 0, 16) == 65534);
  // S = 62 and products beyond int64: exact.
  BOOST_TEST(requantize(int64_t{1} << 61, 1, 62, 8) == 1);                    // 0.5 -> 1
  BOOST_TEST(requantize((int64_t{1} << 61) - 1, 1, 62, 8) == 0);              // just below 0.5
  BOOST_TEST(requantize(int64_t{3} << 60, 1, 62, 8) == 1);                    // 0.75 -> 1
  BOOST_TEST(requantize(int64_t{1} << 40, int64_t{1} << 30, 62, 16) == 256);  // 2^70 / 2^62
  BOOST_TEST(requantize((int64_t{1} << 40) - 1, int64_t{1} << 30, 62, 16) == 256);
  BOOST_TEST(requantize(INT64_MAX, INT32_MAX, 62, 16) == 65535);
  BOOST_TEST(requantize(-(int64_t{1} << 40), int64_t{1} << 30, 62, 16) == 0);
  // Outside the contract: an internal error, never undefined behaviour.
  BOOST_CHECK_THROW((void)requantize(1, 1, 63, 8), escgen::InternalError);
  BOOST_CHECK_THROW((void)requantize(1, 1, -1, 8), escgen::InternalError);
}

BOOST_AUTO_TEST_CASE(requant_output_uses_per_channel_scale_and_shift) {
  Layer l = make_layer(1, 2, 1, 2, 1, 1, 0, 1);
  l.basis = {3};
  l.coef = {1, -1};
  l.bias = {1, 200};
  l.scale = {5, 7};
  l.shift = {1, 3};
  // o=0: acc = 1 + 3x = {31, 64}: (155 + 1) >> 1 = 78, (320 + 1) >> 1 = 160.
  // o=1: acc = 200 - 3x = {170, 137}: (1190 + 4) >> 3 = 149, (959 + 4) >> 3 = 120.
  BOOST_TEST((escgen::golden_output(l, {10, 21}) == std::vector<int64_t>{78, 160, 149, 120}));
}

BOOST_AUTO_TEST_CASE(raw_output_overflow_names_bias) {
  Layer l = make_layer(1, 2, 1, 2, 1, 1, 0, 1);
  l.basis = {1};
  l.coef = {1, -1};
  l.bias = {INT32_MAX - 10, INT32_MIN + 10};
  l.output = OutputMode::Raw;
  // The int32 extremes themselves are fine.
  BOOST_TEST((escgen::golden_output(l, {10, 10}) ==
              std::vector<int64_t>{INT32_MAX, INT32_MAX, INT32_MIN, INT32_MIN}));
  auto error = [&](const std::vector<uint16_t>& x) -> std::string {
    try {
      (void)escgen::golden_output(l, x);
    } catch (const escgen::InputError& e) {
      return e.what();
    }
    return "(accepted)";
  };
  BOOST_TEST(error({0, 11}) ==
             "bias.npy: value: bias[0] = 2147483637 makes acc[0][0][1] = 2147483648 overflow "
             "int32 (raw output)");
  l.dir = "L";
  l.bias[0] = 0;
  BOOST_TEST(error({11, 0}) ==
             "L/bias.npy: value: bias[1] = -2147483638 makes acc[1][0][0] = -2147483649 overflow "
             "int32 (raw output)");
  l.output = OutputMode::RequantRelu;
  BOOST_TEST(error({11, 11}) == "(accepted)");  // requantisation is exact for any acc
}

BOOST_AUTO_TEST_CASE(random_layers_match_the_dense_path) {
  escgen::Rng pick(20240601);
  std::set<int> ks, strides, pads_at_max, d_full, d_one;
  std::map<std::string, int> seen;
  int64_t zeros = 0, clamped = 0, middle = 0;
  const int kLayers = 240;
  for (int n = 0; n < kLayers; ++n) {
    escgen::RandomLayerSpec s;
    s.k = 1 + n % 7;
    s.stride = 1 + (n / 7) % 3;
    s.pad = static_cast<int>(pick.between(0, s.k - 1));
    s.d = n % 5 == 0 ? s.k * s.k : n % 5 == 1 ? 1 : static_cast<int>(pick.between(1, s.k * s.k));
    const auto channels = [&](int which) {
      switch ((n / 3 + which) % 6) {
        case 0:
          return 1;
        case 1:
          return 256;
        case 2:
          return static_cast<int>(pick.between(2, 8));
        case 3:
          return static_cast<int>(pick.between(9, 64));
        case 4:
          return static_cast<int>(pick.between(65, 255));
        default:
          return static_cast<int>(pick.between(1, 32));
      }
    };
    s.c_in = channels(0);
    s.c_out = channels(n % 2 + 1);
    s.density = n % 4 == 0   ? 0.0
                : n % 4 == 1 ? 1.0
                             : static_cast<double>(pick.between(1, 99)) / 100;
    s.act_zero = n % 6 == 0 ? 0.0 : static_cast<double>(pick.between(0, 90)) / 100;
    s.output = n % 2 ? OutputMode::Raw : OutputMode::RequantRelu;
    constexpr int kActBits[] = {8, 8, 8, 1, 4, 12, 16};
    constexpr int kBasisBits[] = {8, 8, 8, 2, 5, 12, 16};
    constexpr int kCoefBits[] = {2, 2, 2, 3, 4, 8};
    s.act_bits = kActBits[pick.below(7)];
    s.basis_bits = kBasisBits[pick.below(7)];
    s.coef_bits = kCoefBits[pick.below(6)];
    // Stay inside the contract's int32 rule: narrow the widest width until the layer fits.
    while (true) {
      Layer probe;
      probe.c_in = s.c_in, probe.k = s.k, probe.d = s.d, probe.act_bits = s.act_bits;
      probe.basis_bits = s.basis_bits, probe.coef_bits = s.coef_bits;
      if (escgen::worst_case_conv(probe) < (uint64_t{1} << 31)) break;
      if (s.act_bits >= s.basis_bits && s.act_bits > 1)
        --s.act_bits;
      else if (s.basis_bits > 2)
        --s.basis_bits;
      else if (s.coef_bits > 2)
        --s.coef_bits;
      else
        s.d = std::max(1, s.d / 2);
    }
    // Output size and channels within a work budget (dense MACs and effective-weight products),
    // so that the suite stays fast even under ASan.
    const int h_out = static_cast<int>(pick.between(1, 6)),
              w_out = static_cast<int>(pick.between(1, 6));
    s.h = std::max(1, (h_out - 1) * s.stride + s.k - 2 * s.pad +
                          static_cast<int>(pick.between(0, s.stride - 1)));
    s.w = std::max(1, (w_out - 1) * s.stride + s.k - 2 * s.pad);
    const auto out_pixels = [&] {
      return int64_t{(s.h + 2 * s.pad - s.k) / s.stride + 1} *
             ((s.w + 2 * s.pad - s.k) / s.stride + 1);
    };
    while (int64_t{s.c_in} * s.c_out * s.k * s.k * std::max<int64_t>(s.d, out_pixels()) > 300000)
      (s.c_in >= s.c_out ? s.c_in : s.c_out) /= 2;
    const escgen::RandomLayer r = escgen::random_layer(s, 1000 + static_cast<uint64_t>(n));
    const Layer& l = r.layer;
    const std::string what = fmt::format(
        "layer {}: c_in {} c_out {} h {} w {} k {} stride {} pad {} d {} bits {}/{}/{} density {}",
        n, l.c_in, l.c_out, l.h, l.w, l.k, l.stride, l.pad, l.d, l.act_bits, l.basis_bits,
        l.coef_bits, s.density);
    const std::vector<int64_t> g = escgen::golden_accumulators(l, r.x);
    BOOST_TEST_REQUIRE((g == escgen::direct_accumulators(l, r.x)), what);
    const std::vector<int64_t> y = escgen::golden_output(l, r.x);
    BOOST_TEST_REQUIRE((y == escgen::direct_output(l, r.x)), what);
    BOOST_TEST_REQUIRE(y.size() == static_cast<size_t>(l.c_out * l.h_out() * l.w_out()));
    if (l.output == OutputMode::RequantRelu) {
      const int64_t top = (int64_t{1} << l.act_bits) - 1;
      for (int64_t v : y) {
        BOOST_TEST_REQUIRE((v >= 0 && v <= top));
        (v == 0 ? zeros : v == top ? clamped : middle) += 1;
      }
    }
    ks.insert(l.k);
    strides.insert(l.stride);
    if (l.pad == l.k - 1) pads_at_max.insert(l.k);
    if (l.d == l.k * l.k) d_full.insert(l.k);
    if (l.d == 1) d_one.insert(l.k);
    seen[fmt::format("c_in {}", l.c_in == 1 ? "1" : l.c_in == 256 ? "256" : "other")] += 1;
    seen[fmt::format("c_out {}", l.c_out == 1 ? "1" : l.c_out == 256 ? "256" : "other")] += 1;
    seen[fmt::format("density {}", s.density == 0 ? "0" : s.density == 1 ? "1" : "mid")] += 1;
    seen[l.output == OutputMode::Raw ? "raw" : "requant"] += 1;
    seen[fmt::format("act_bits {}", l.act_bits > 8 ? "wide" : "narrow")] += 1;
    seen[fmt::format("basis_bits {}", l.basis_bits > 8 ? "wide" : "narrow")] += 1;
    seen[fmt::format("coef_bits {}", l.coef_bits > 2 ? "wide" : "ternary")] += 1;
  }
  // The sweep covers what it claims to.
  BOOST_TEST(ks.size() == 7u);
  BOOST_TEST(strides.size() == 3u);
  BOOST_TEST(pads_at_max.size() >= 5u);
  BOOST_TEST(d_full.size() == 7u);
  BOOST_TEST(d_one.size() == 7u);
  for (const char* key :
       {"c_in 1", "c_in 256", "c_in other", "c_out 1", "c_out 256", "c_out other", "density 0",
        "density 1", "density mid", "raw", "requant", "act_bits wide", "act_bits narrow",
        "basis_bits wide", "basis_bits narrow", "coef_bits wide", "coef_bits ternary"})
    BOOST_TEST(seen[key] > 0, key);
  // Requantised outputs use the whole range: zeros (ReLU), clamped maxima and values in between.
  BOOST_TEST(zeros > 0);
  BOOST_TEST(clamped > 0);
  BOOST_TEST(middle > zeros / 4);
}

BOOST_AUTO_TEST_CASE(rng_is_portable_and_uniform) {
  // std::mt19937_64 is fully specified: its 10000th output from the default seed is fixed by the
  // standard, and so are ours (plain integer arithmetic on it).
  escgen::Rng def(5489);
  for (int i = 1; i < 10000; ++i) (void)def.next();
  BOOST_TEST(def.next() == 9981545732273789042ull);
  escgen::Rng a(42), b(42);
  for (int i = 0; i < 100; ++i) BOOST_TEST_REQUIRE(a.between(-7, 7) == b.between(-7, 7));
  // Bounds, including the extremes, and a rough uniformity check.
  escgen::Rng r(7);
  std::map<int64_t, int> counts;
  for (int i = 0; i < 70000; ++i) counts[r.between(-3, 3)] += 1;
  BOOST_TEST(counts.size() == 7u);
  for (const auto& [v, c] : counts) BOOST_TEST((c > 9400 && c < 10600), v << ": " << c);
  BOOST_TEST(r.below(1) == 0u);
  (void)r.between(INT64_MIN, INT64_MAX);
  BOOST_TEST(r.between(INT64_MAX, INT64_MAX) == INT64_MAX);
  int hits = 0;
  for (int i = 0; i < 20000; ++i) hits += r.chance(0.25);
  BOOST_TEST((hits > 4700 && hits < 5300), hits);
  for (int i = 0; i < 1000; ++i) {
    BOOST_TEST_REQUIRE(!r.chance(0.0));
    BOOST_TEST_REQUIRE(r.chance(1.0));
  }
  BOOST_CHECK_THROW((void)r.below(0), escgen::InternalError);
  BOOST_CHECK_THROW((void)r.chance(1.5), escgen::InternalError);
}

BOOST_AUTO_TEST_CASE(random_layer_honours_its_spec) {
  escgen::RandomLayerSpec s;
  s.c_in = 6, s.c_out = 5, s.h = 7, s.w = 6, s.k = 3, s.pad = 1, s.d = 4, s.coef_bits = 4;
  s.density = 1.0;
  s.act_zero = 0.0;
  const escgen::RandomLayer full = escgen::random_layer(s, 3);
  std::set<int> coefs(full.layer.coef.begin(), full.layer.coef.end());
  BOOST_TEST((coefs == std::set<int>{-7, -6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7}));
  BOOST_TEST(std::count(full.x.begin(), full.x.end(), 0) == 0);
  BOOST_TEST(*std::max_element(full.x.begin(), full.x.end()) <= 255);
  BOOST_TEST(*std::min_element(full.layer.basis.begin(), full.layer.basis.end()) >= -128);
  BOOST_TEST(*std::max_element(full.layer.basis.begin(), full.layer.basis.end()) <= 127);
  // Same seed, same layer; another seed, another layer.
  const escgen::RandomLayer again = escgen::random_layer(s, 3);
  BOOST_TEST((again.layer.coef == full.layer.coef && again.layer.basis == full.layer.basis &&
              again.layer.bias == full.layer.bias && again.layer.scale == full.layer.scale &&
              again.layer.shift == full.layer.shift && again.x == full.x));
  BOOST_TEST((escgen::random_layer(s, 4).x != full.x));
  s.density = 0.0;
  s.act_zero = 1.0;
  const escgen::RandomLayer empty = escgen::random_layer(s, 3);
  BOOST_TEST(std::count(empty.layer.coef.begin(), empty.layer.coef.end(), 0) == 5 * 6 * 4);
  BOOST_TEST(std::count(empty.x.begin(), empty.x.end(), 0) == 6 * 7 * 6);
  s.density = 0.3;
  s.act_zero = 0.5;
  const escgen::RandomLayer mid = escgen::random_layer(s, 3);
  const auto nz =
      std::count_if(mid.layer.coef.begin(), mid.layer.coef.end(), [](int8_t c) { return c != 0; });
  BOOST_TEST((nz > 20 && nz < 55), nz);  // 30% of 120
  // The generated layer is pinned: a change of the generator changes every seeded regression.
  uint64_t h = 1469598103934665603ull;
  const auto mix = [&](int64_t v) { h = (h ^ static_cast<uint64_t>(v)) * 1099511628211ull; };
  for (auto v : mid.layer.basis) mix(v);
  for (auto v : mid.layer.coef) mix(v);
  for (auto v : mid.layer.bias) mix(v);
  for (auto v : mid.layer.scale) mix(v);
  for (auto v : mid.layer.shift) mix(v);
  for (auto v : mid.x) mix(v);
  BOOST_TEST(h == 17382479915425975265ull, "hash " << h);
  // Bad specs are input errors naming the field.
  s.density = 1.5;
  BOOST_CHECK_EXCEPTION(
      (void)escgen::random_layer(s, 1), escgen::InputError, [](const escgen::InputError& e) {
        return std::string(e.what()) == "random layer: density: must be in [0, 1] (got 1.5)";
      });
  s.density = 0.5;
  s.pad = 3;
  BOOST_CHECK_EXCEPTION(
      (void)escgen::random_layer(s, 1, "D"), escgen::InputError, [](const escgen::InputError& e) {
        return std::string(e.what()) == "D/layer.json: pad: must be < k = 3 (got 3)";
      });
}

BOOST_AUTO_TEST_SUITE_END()
