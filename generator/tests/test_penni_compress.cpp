// PENNI compression end to end (library): a synthetic layer with 3 true bases, a zero input
// channel and a zero output channel is compressed; the layer validates, its golden-model output
// approximates the float layer, and the report's counts are exact. Also the quantize path, energy,
// raw output, the uncalibrated defaults and the report's text and JSON forms.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>

#include "model/golden.h"
#include "penni/compress.h"
#include "penni/float_conv.h"
#include "util/error.h"

namespace penni = escgen::penni;

namespace {

constexpr int kCout = 8, kCin = 6, kK = 3, kZeroIn = 2, kZeroOut = 5;

// W[o][i] = s * alpha_o * B_t + noise for the 35 kernels with i != 2 and o != 5 (zero otherwise),
// B_0..B_2 orthonormal 3x3 kernels, t cycling so that the bases are used by 1/2, 1/3, 1/6 of the
// kernels (distinct singular values, so the SVD finds B_0..B_2 themselves), s a random sign,
// alpha_o in [0.8, 1.2]. Noise: N(0, noise^2) per weight of a non-zero kernel.
penni::DenseLayer synthetic_layer(double noise, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uni(0.8, 1.2);
  Eigen::MatrixXd g(9, 3);
  for (Eigen::Index e = 0; e < g.size(); ++e) g.data()[e] = normal(rng);
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(g);
  const Eigen::MatrixXd bases = qr.householderQ() * Eigen::MatrixXd::Identity(9, 3);  // columns
  penni::DenseLayer l{kCout, kCin, kK, std::vector<double>(kCout * kCin * 9, 0.0), {}};
  int t = 0;
  for (int o = 0; o < kCout; ++o) {
    const double alpha = uni(rng);
    l.bias.push_back(0.05 * normal(rng));
    if (o == kZeroOut) continue;
    for (int i = 0; i < kCin; ++i) {
      if (i == kZeroIn) continue;
      const int j = t % 6 < 3 ? 0 : (t % 6 < 5 ? 1 : 2);
      ++t;
      const double s = rng() % 2 ? alpha : -alpha;
      for (int e = 0; e < 9; ++e)
        l.weights[static_cast<size_t>((o * kCin + i) * 9 + e)] =
            s * bases(e, j) + noise * normal(rng);
    }
  }
  return l;
}

// Non-negative calibration inputs (n, c_in, h, w): zero with probability 1/2, else uniform [0, 2].
penni::Activations calibration(int n, int h, int w, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> uni(0.0, 2.0);
  penni::Activations a{n, kCin, h, w, {}};
  for (size_t e = 0; e < static_cast<size_t>(n) * kCin * h * w; ++e)
    a.data.push_back(rng() % 2 ? uni(rng) : 0.0);
  return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(penni_compress)

BOOST_AUTO_TEST_CASE(synthetic_layer_end_to_end) {
  const penni::DenseLayer dense = synthetic_layer(0.003, 1);
  const penni::Activations calib = calibration(2, 9, 9, 2);
  penni::Options opt;
  opt.stride = 2;  // 9 x 9 input, pad 1 -> 5 x 5 output
  const penni::Compressed c = penni::compress(dense, {}, calib, opt);
  const escgen::Layer& l = c.layer;
  const penni::Report& r = c.report;

  BOOST_TEST(l.d == 5);  // default for 3x3
  BOOST_TEST(l.pad == 1);
  BOOST_TEST((l.h_out() == 5 && l.w_out() == 5));
  BOOST_CHECK_NO_THROW(escgen::validate_layer(l, "out"));
  for (int8_t q : l.coef) BOOST_TEST((q == -1 || q == 0 || q == 1));

  // Three true bases: the top 3 singular values hold all but the noise; bases 3, 4 carry only
  // noise, pruned away. Every one of the 35 non-zero kernels keeps exactly one ternary code.
  BOOST_TEST(r.energy_kept > 0.999);
  BOOST_TEST(r.singular_values.size() == 9u);
  BOOST_TEST(r.weight_error_decomposed < 0.02);
  BOOST_TEST(r.weight_error_pruned < 0.02);
  BOOST_TEST(r.weight_error_quantized < 0.03);
  BOOST_TEST(r.work.coef_nonzero == 35u);
  // The requantisation multipliers reproduce u_o / s_y within 2^-15.
  BOOST_TEST(r.requant_worst_rel_error <= std::ldexp(1.0, -15));
  BOOST_TEST(r.calibrated);
  BOOST_TEST(r.samples == 2);

  // Exact counts: dense 8*6*9*25 MACs; nnz(C) * 81 CA additions; 8*5*9*25 PENNI MACs, 7*3*9*25
  // after removing output 5 and bases 3, 4.
  BOOST_TEST(r.work.dense_macs == 10800u);
  BOOST_TEST(r.work.ca_additions == 35u * 81u);
  BOOST_TEST(r.work.penni_macs == 9000u);
  BOOST_TEST(r.work.penni_macs_shrunk == 4725u);
  BOOST_TEST(r.shrink.inputs == std::vector<int>{kZeroIn}, boost::test_tools::per_element());
  BOOST_TEST(r.shrink.outputs == std::vector<int>{kZeroOut}, boost::test_tools::per_element());
  BOOST_TEST((r.shrink.bases == std::vector<int>{3, 4}), boost::test_tools::per_element());
  BOOST_TEST(r.coef_total == 240u);

  // Output error: the float layer differs from its PENNI form by the 0.3% noise (~1% of the
  // weights); quantisation adds 8-bit basis (~0.5%), 8-bit input and output (~0.3% each) and the
  // 0.1% of outputs clipped above the 99.9th percentile: ~1.5% in all, checked with 3x margin.
  BOOST_TEST(r.output_error_float < 0.02);
  BOOST_TEST(r.output_error_quantized < 0.05);
  BOOST_TEST(r.output_error_quantized > 0.0);

  // x is the first calibration sample quantised with the reported input scale; recomputing the
  // error of the first sample from golden_output matches the float layer as closely.
  BOOST_TEST(c.x.size() == static_cast<size_t>(kCin * 81));
  const double top = *std::max_element(calib.data.begin(), calib.data.end());
  BOOST_TEST(std::abs(r.input_scale - top / 255.0) < 1e-12);
  for (size_t e = 0; e < c.x.size(); ++e)
    BOOST_TEST(c.x[e] == std::lround(calib.data[e] / r.input_scale));
  const std::vector<int64_t> y = escgen::golden_output(l, c.x);
  const penni::ConvShape s{kCout, kCin, kK, 9, 9, 2, 1};
  const std::vector<double> yf = penni::conv2d(s, dense.weights, dense.bias, calib.sample(0), true);
  double diff2 = 0.0, ref2 = 0.0;
  for (size_t e = 0; e < y.size(); ++e) {
    diff2 += std::pow(static_cast<double>(y[e]) * r.output_scale - yf[e], 2);
    ref2 += yf[e] * yf[e];
  }
  BOOST_TEST(std::sqrt(diff2 / ref2) < 0.05);
  int clipped = 0;
  for (int64_t v : y) clipped += v == 255;
  BOOST_TEST(clipped <= 2);  // 99.9th percentile of 2 * 200 outputs -> at most ~1 above it
}

BOOST_AUTO_TEST_CASE(energy_raw_output_and_channel_alpha) {
  const penni::DenseLayer dense = synthetic_layer(0.003, 3);
  const penni::Activations calib = calibration(1, 6, 7, 4);
  penni::Options opt;
  opt.output = escgen::OutputMode::Raw;
  opt.prune_std = 0.5;
  penni::DChoice choice;
  choice.energy = 0.99;  // three bases hold > 99.9%, two do not hold 99%
  const penni::Compressed c = penni::compress(dense, choice, calib, opt);
  BOOST_TEST(c.layer.d == 3);
  BOOST_TEST(c.report.energy_target.value() == 0.99);
  BOOST_TEST(c.report.energy_kept >= 0.99);
  BOOST_TEST((c.layer.h_out() == 6 && c.layer.w_out() == 7));  // stride 1, pad 1: "same"
  BOOST_TEST(c.report.shrink.bases.empty());
  BOOST_TEST(c.report.output == "raw");
  // Raw accumulators, dequantised with each channel's unit: no output quantisation at all.
  BOOST_TEST(c.report.output_error_quantized < 0.03);
  // Per-layer alpha: the true per-channel scales (0.8..1.2) are lost, and the error grows.
  opt.alpha = penni::AlphaMode::PerLayer;
  const penni::Compressed cl = penni::compress(dense, choice, calib, opt);
  BOOST_TEST(cl.report.alpha_min == cl.report.alpha_max);
  BOOST_TEST(c.report.alpha_min < c.report.alpha_max);
  BOOST_TEST(cl.report.output_error_quantized > c.report.output_error_quantized);
}

BOOST_AUTO_TEST_CASE(uncalibrated_defaults) {
  const penni::DenseLayer dense = synthetic_layer(0.003, 5);
  penni::Options opt;
  opt.h = 5, opt.w = 4;
  const penni::Compressed c = penni::compress(dense, {}, std::nullopt, opt);
  BOOST_TEST(!c.report.calibrated);
  BOOST_TEST(c.report.input_scale == 1.0 / 255);
  BOOST_TEST((c.layer.h == 5 && c.layer.w == 4));
  BOOST_TEST(c.x.size() == static_cast<size_t>(kCin * 20));
  const std::vector<double> w(dense.weights.begin(), dense.weights.end());
  BOOST_TEST(c.report.output_scale == penni::estimate_output_top(w, dense.bias, kCout) / 255.0);
  BOOST_TEST(c.report.output_error_quantized < 0.05);  // on the synthetic input of the model
  BOOST_TEST(penni::report_text(c.report).find("NOT calibrated") != std::string::npos);
  // Deterministic: the same call gives the same layer and input.
  const penni::Compressed again = penni::compress(dense, {}, std::nullopt, opt);
  BOOST_TEST(again.x == c.x, boost::test_tools::per_element());
  BOOST_TEST(again.layer.scale == c.layer.scale, boost::test_tools::per_element());
  // Without calibration data the input size is required.
  opt.h = 0;
  BOOST_CHECK_THROW(penni::compress(dense, {}, std::nullopt, opt), escgen::InputError);
}

BOOST_AUTO_TEST_CASE(quantize_given_ternary_coefficients_is_exact_but_for_the_basis) {
  // Coefficients already ternary times 0.5, any basis: the ternary codes are the signs, and the
  // only weight error left is the 8-bit basis rounding.
  std::mt19937 rng(8);
  std::normal_distribution<double> normal(0.0, 1.0);
  Eigen::MatrixXd basis(4, 9), coef(3 * 2, 4);
  for (Eigen::Index e = 0; e < basis.size(); ++e) basis.data()[e] = normal(rng);
  for (Eigen::Index e = 0; e < coef.size(); ++e)
    coef.data()[e] = 0.5 * static_cast<int>(rng() % 3) - 0.5;
  penni::Options opt;
  opt.prune_std = 0.0;
  opt.h = 4, opt.w = 4;
  const penni::Compressed c =
      penni::quantize_decomposed(3, 2, 3, basis, coef, {0.1, -0.2, 0.3}, std::nullopt, opt);
  BOOST_TEST(c.report.command == "quantize");
  BOOST_TEST(c.report.weight_error_decomposed == 0.0);
  BOOST_TEST(c.report.pruned == 0u);
  for (Eigen::Index r = 0; r < coef.rows(); ++r)
    for (Eigen::Index j = 0; j < 4; ++j)
      BOOST_TEST(c.layer.coef[static_cast<size_t>(r * 4 + j)] == 2 * coef(r, j));
  BOOST_TEST(c.report.weight_error_quantized < 0.01);
  BOOST_TEST(c.report.alpha_min == 0.5);
  // d > k*k is an input error naming the basis file.
  const Eigen::MatrixXd big = Eigen::MatrixXd::Ones(10, 9);
  opt.names.basis = "B.npy";
  try {
    penni::quantize_decomposed(3, 2, 3, big, Eigen::MatrixXd::Ones(6, 10), {}, std::nullopt, opt);
    BOOST_FAIL("no error");
  } catch (const escgen::InputError& e) {
    BOOST_TEST(std::string(e.what()) == "B.npy: shape: d = 10 bases of 3x3 exceed k*k = 9");
  }
}

BOOST_AUTO_TEST_CASE(report_json_carries_the_report) {
  const penni::DenseLayer dense = synthetic_layer(0.003, 6);
  const penni::Compressed c = penni::compress(dense, {}, calibration(1, 5, 5, 7), {});
  const nlohmann::json j = penni::report_json(c.report);
  BOOST_TEST(j["work"]["dense_macs"].get<uint64_t>() == c.report.work.dense_macs);
  BOOST_TEST(j["work"]["ca_additions"].get<uint64_t>() == c.report.work.ca_additions);
  BOOST_TEST(j["layer"]["d"].get<int>() == 5);
  BOOST_TEST(j["shrinkable"]["input_channels"] == nlohmann::json::array({kZeroIn}));
  BOOST_TEST(j["shrinkable"]["output_channels"] == nlohmann::json::array({kZeroOut}));
  BOOST_TEST(j["output_error"]["quantised"].get<double>() == c.report.output_error_quantized);
  BOOST_TEST(j["weight_error"]["quantised"].get<double>() == c.report.weight_error_quantized);
  BOOST_TEST(j["coefficients"]["sparsity_ternary"].get<double>() == 1.0 - 35.0 / 240.0);
  BOOST_TEST(j["quantisation"]["calibrated"].get<bool>());
}

BOOST_AUTO_TEST_SUITE_END()
