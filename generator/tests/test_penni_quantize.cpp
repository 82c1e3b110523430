// PENNI hybrid quantisation: symmetric basis codes, ternary coefficients by the TWN rule (pruned
// ones stay zero), requantisation multipliers M / 2^S and int32 bias.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>

#include "penni/prune.h"
#include "penni/quantize.h"
#include "penni/requant.h"

namespace penni = escgen::penni;

BOOST_AUTO_TEST_SUITE(penni_quantize)

BOOST_AUTO_TEST_CASE(basis_codes_are_symmetric_max_abs) {
  Eigen::MatrixXd b(2, 3);
  b << 0.5, -0.25, 0.1, -0.05, 0.0, 0.499;
  const auto q = penni::quantize_basis(b, 8);
  BOOST_TEST(q.scale == 0.5 / 127);
  const std::vector<int32_t> expect = {127, -64, 25, -13, 0, 127};  // -63.5 -> -64 (away from 0)
  BOOST_TEST(q.q == expect, boost::test_tools::per_element());
  const Eigen::MatrixXd back = penni::dequantize_basis(q, 2, 3);
  BOOST_TEST((back - b).cwiseAbs().maxCoeff() <= q.scale / 2 + 1e-15);

  const auto q4 = penni::quantize_basis(-b, 4);  // top code 7
  BOOST_TEST(q4.scale == 0.5 / 7);
  BOOST_TEST(q4.q[0] == -7);
  BOOST_TEST(penni::quantize_basis(Eigen::MatrixXd::Zero(2, 2), 8).scale == 1.0);
}

BOOST_AUTO_TEST_CASE(ternary_follows_the_twn_rule_and_keeps_pruned_zeros) {
  // 2 output channels x 1 input channel x d = 4. Non-zero |c|: 1, 2, 3, 4, 0.5, 1.5 -> mean 2,
  // delta = 1.4. Kept: 2, 3, 4 (channel 0, alpha 3) and 1.5 (channel 1, alpha 1.5); layer alpha
  // (2+3+4+1.5)/4 = 2.625.
  Eigen::MatrixXd c(2, 4);
  c << 1, -2, 3, -4, 0, 0.5, -1.5, 0;
  const auto t = penni::ternarize(c, 2, penni::AlphaMode::PerOutputChannel);
  BOOST_TEST(std::abs(t.delta - 1.4) < 1e-12);
  const std::vector<int8_t> expect = {0, -1, 1, -1, 0, 0, -1, 0};
  BOOST_TEST(t.q == expect, boost::test_tools::per_element());
  BOOST_TEST(std::abs(t.alpha[0] - 3.0) < 1e-12);
  BOOST_TEST(std::abs(t.alpha[1] - 1.5) < 1e-12);
  BOOST_TEST(std::abs(t.layer_alpha - 2.625) < 1e-12);
  const auto tl = penni::ternarize(c, 2, penni::AlphaMode::PerLayer);
  BOOST_TEST(tl.q == expect, boost::test_tools::per_element());
  BOOST_TEST(tl.alpha[0] == tl.layer_alpha);
  BOOST_TEST(tl.alpha[1] == tl.layer_alpha);
  // An output channel with no surviving code takes the layer's alpha.
  Eigen::MatrixXd z(2, 2);
  z << 1, -1, 0, 0;
  BOOST_TEST(penni::ternarize(z, 2, penni::AlphaMode::PerOutputChannel).alpha[1] == 1.0);
}

BOOST_AUTO_TEST_CASE(ternary_codes_after_pruning_on_random_coefficients) {
  std::mt19937 rng(4);
  std::normal_distribution<double> n(0.0, 1.0);
  Eigen::MatrixXd c(6 * 5, 4);  // c_out 6, c_in 5, d 4
  for (Eigen::Index i = 0; i < c.size(); ++i) c.data()[i] = n(rng);
  Eigen::MatrixXd p = c;
  const auto pr = penni::prune_by_std(p, 0.8);
  BOOST_TEST_REQUIRE(pr.pruned > 0u);
  const auto t = penni::ternarize(p, 6, penni::AlphaMode::PerOutputChannel);
  size_t zeros = 0;
  for (Eigen::Index r = 0; r < p.rows(); ++r)
    for (Eigen::Index j = 0; j < p.cols(); ++j) {
      const int q = t.q[static_cast<size_t>(r * p.cols() + j)];
      BOOST_TEST((q == -1 || q == 0 || q == 1));
      if (std::abs(c(r, j)) < pr.threshold) BOOST_TEST(q == 0);  // every pruned one is zero
      if (q != 0) BOOST_TEST(q == (p(r, j) > 0 ? 1 : -1));
      BOOST_TEST((q != 0) == (std::abs(p(r, j)) > t.delta));
      zeros += q == 0;
    }
  BOOST_TEST(zeros > pr.pruned);  // the TWN threshold zeroes more than pruning did
  // Dequantised codes: alpha_o is the mean |c| of channel o's kept coefficients, which minimises
  // the channel's squared error for its codes; scaling alpha up or down makes it worse.
  const Eigen::MatrixXd back = penni::dequantize_coef(t, p.rows(), p.cols());
  penni::TernaryQuant worse = t;
  for (double& a : worse.alpha) a *= 1.1;
  BOOST_TEST((back - p).norm() < (penni::dequantize_coef(worse, p.rows(), p.cols()) - p).norm());
}

BOOST_AUTO_TEST_CASE(requant_multiplier_is_precise_and_maximal) {
  std::mt19937 rng(9);
  std::uniform_real_distribution<double> mant(1.0, 2.0);
  std::uniform_int_distribution<int> expo(-40, 15);
  for (int i = 0; i < 2000; ++i) {
    const double m = std::ldexp(mant(rng), expo(rng));
    const auto r = penni::requant_multiplier(m, 16);
    BOOST_TEST_REQUIRE(r.has_value(), m);
    BOOST_TEST(r->m >= 0);
    BOOST_TEST(r->m < 65536);
    BOOST_TEST(r->s >= 0);
    BOOST_TEST(r->s <= 62);
    BOOST_TEST(std::abs(penni::requant_value(*r) - m) / m <= std::ldexp(1.0, -15), m);
    // S is the largest that keeps M < 2^16.
    if (r->s < 62) BOOST_TEST(std::llround(std::ldexp(m, r->s + 1)) >= 65536, m);
  }
  BOOST_TEST(penni::requant_multiplier(0.0, 16)->m == 0);
  BOOST_TEST(!penni::requant_multiplier(65536.0, 16).has_value());
  BOOST_TEST(!penni::requant_multiplier(65535.6, 16).has_value());  // rounds to 2^16
  const auto top = penni::requant_multiplier(65535.4, 16);
  BOOST_TEST((top->m == 65535 && top->s == 0));
  const auto half = penni::requant_multiplier(0.5, 16);
  BOOST_TEST((half->m == 32768 && half->s == 16));
  const auto near_one = penni::requant_multiplier(1.0 - 1e-9, 16);  // rounds up to 2^16 at S = 16
  BOOST_TEST((near_one->m == 32768 && near_one->s == 15));
  const auto tiny = penni::requant_multiplier(1e-30, 16);  // below 2^-62: S capped
  BOOST_TEST((tiny->m == 0 && tiny->s == 62));
  const auto narrow = penni::requant_multiplier(0.3, 8);
  BOOST_TEST((narrow->m < 256 && narrow->m >= 128));
}

BOOST_AUTO_TEST_CASE(bias_in_accumulator_units) {
  BOOST_TEST(penni::quantize_bias(1.0, 0.25).value() == 4);
  BOOST_TEST(penni::quantize_bias(-0.3, 0.25).value() == -1);
  BOOST_TEST(penni::quantize_bias(0.375, 0.25).value() == 2);  // 1.5 -> 2 (away from zero)
  BOOST_TEST(!penni::quantize_bias(1.0, 1e-10).has_value());
  BOOST_TEST(!penni::quantize_bias(-1.0, 1e-10).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
