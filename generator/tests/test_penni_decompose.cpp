// PENNI decomposition and pruning: exact low-rank recovery, error monotone in d (and equal to the
// discarded singular energy), energy-based choice of d, pruning by a multiple of the std.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>

#include "penni/decompose.h"
#include "penni/prune.h"

using escgen::penni::decompose;
using escgen::penni::Decomposition;

namespace {

Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0.0, 1.0);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = n(rng);
  return m;
}

// An orthonormal rows x cols matrix (cols <= rows), from the QR of a random one.
Eigen::MatrixXd random_orthonormal(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(random_matrix(rows, cols, seed));
  return qr.householderQ() * Eigen::MatrixXd::Identity(rows, cols);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(penni_decompose)

BOOST_AUTO_TEST_CASE(exact_rank_d_is_recovered) {
  for (int d : {1, 3, 5}) {
    // 8 x 6 channel pairs of 3x3 kernels built from d random (non-orthogonal) basis kernels.
    const Eigen::MatrixXd w = random_matrix(48, d, 10u + d) * random_matrix(d, 9, 20u + d);
    const Decomposition r = decompose(w, d);
    BOOST_TEST(r.basis.rows() == d);
    BOOST_TEST(r.basis.cols() == 9);
    BOOST_TEST(r.coef.rows() == 48);
    BOOST_TEST(r.coef.cols() == d);
    BOOST_TEST(escgen::penni::relative_error(w, r.coef * r.basis) < 1e-5);
    // Orthonormal basis, singular values beyond d vanish.
    BOOST_TEST((r.basis * r.basis.transpose() - Eigen::MatrixXd::Identity(d, d)).norm() < 1e-12);
    BOOST_TEST(r.singular_values.size() == 9);
    BOOST_TEST(r.singular_values.tail(9 - d).norm() < 1e-10 * r.singular_values(0));
    // One fewer basis kernel cannot represent it.
    if (d > 1)
      BOOST_TEST(escgen::penni::relative_error(
                     w, decompose(w, d - 1).coef * decompose(w, d - 1).basis) > 1e-3);
  }
}

BOOST_AUTO_TEST_CASE(error_is_non_increasing_in_d_and_equals_the_discarded_energy) {
  const Eigen::MatrixXd w = random_matrix(60, 9, 7);
  double previous = INFINITY;
  for (int d = 1; d <= 9; ++d) {
    const Decomposition r = decompose(w, d);
    const double err = escgen::penni::relative_error(w, r.coef * r.basis);
    BOOST_TEST(err <= previous + 1e-12, "d = " << d);
    previous = err;
    // Eckart-Young: the squared error is exactly the discarded squared singular values.
    const double discarded = 1.0 - escgen::penni::energy_kept(r.singular_values, d);
    BOOST_TEST(std::abs(err * err - discarded) < 1e-10, "d = " << d);
    if (d < 9) BOOST_TEST(err > 1e-3);
  }
  BOOST_TEST(previous < 1e-12);  // d = k*k is exact
}

BOOST_AUTO_TEST_CASE(fewer_kernels_than_basis_size) {
  // 2 kernels of 3x3, d = 5: the SVD has only 2 non-zero values; the extra basis kernels are an
  // orthonormal completion with zero coefficients.
  const Eigen::MatrixXd w = random_matrix(2, 9, 3);
  const Decomposition r = decompose(w, 5);
  BOOST_TEST((r.basis * r.basis.transpose() - Eigen::MatrixXd::Identity(5, 5)).norm() < 1e-12);
  BOOST_TEST(escgen::penni::relative_error(w, r.coef * r.basis) < 1e-12);
  BOOST_TEST(r.coef.rightCols(3).norm() < 1e-12);
}

BOOST_AUTO_TEST_CASE(basis_sign_convention_is_deterministic) {
  const Eigen::MatrixXd w = random_matrix(30, 9, 5);
  const Decomposition a = decompose(w, 4);
  const Decomposition b = decompose(-w, 4);  // same subspace, singular vectors' signs may flip
  BOOST_TEST((a.basis - b.basis).norm() < 1e-10);
  BOOST_TEST((a.coef + b.coef).norm() < 1e-10);
  for (Eigen::Index j = 0; j < a.basis.rows(); ++j) {
    Eigen::Index at = 0;
    a.basis.row(j).cwiseAbs().maxCoeff(&at);
    BOOST_TEST(a.basis(j, at) > 0.0);
  }
}

BOOST_AUTO_TEST_CASE(energy_picks_the_smallest_sufficient_d) {
  // A hand spectrum: squared values 40, 30, 20, 6, 4 (total 100).
  Eigen::VectorXd s(9);
  s << std::sqrt(40.0), std::sqrt(30.0), std::sqrt(20.0), std::sqrt(6.0), 2.0, 0, 0, 0, 0;
  using escgen::penni::d_for_energy;
  BOOST_TEST(d_for_energy(s, 0.1) == 1);
  BOOST_TEST(d_for_energy(s, 0.4) == 1);  // exactly 40%
  BOOST_TEST(d_for_energy(s, 0.41) == 2);
  BOOST_TEST(d_for_energy(s, 0.7) == 2);  // exactly 70%
  BOOST_TEST(d_for_energy(s, 0.9) == 3);
  BOOST_TEST(d_for_energy(s, 0.95) == 4);
  BOOST_TEST(d_for_energy(s, 0.97) == 5);
  BOOST_TEST(d_for_energy(s, 1.0) == 5);
  BOOST_TEST(d_for_energy(Eigen::VectorXd::Zero(9), 0.5) == 1);

  // The same spectrum built into a kernel matrix U S V^T: the SVD finds it and the choice holds.
  const Eigen::MatrixXd u = random_orthonormal(40, 9, 11);
  const Eigen::MatrixXd v = random_orthonormal(9, 9, 12);
  const Eigen::MatrixXd w = u * s.asDiagonal() * v.transpose();
  const Decomposition r = decompose(w, 1);
  BOOST_TEST((r.singular_values - s).norm() < 1e-10);
  BOOST_TEST(d_for_energy(r.singular_values, 0.85) == 3);
  BOOST_TEST(d_for_energy(r.singular_values, 0.92) == 4);
  BOOST_TEST(std::abs(escgen::penni::energy_kept(r.singular_values, 3) - 0.9) < 1e-12);
}

BOOST_AUTO_TEST_CASE(pruning_removes_exactly_the_coefficients_below_t_std) {
  // Hand example: values 1..8 and -1..-8: mean 0, population std = sqrt(mean(c^2)) = sqrt(25.5).
  Eigen::MatrixXd c(4, 4);
  c << 1, -2, 3, -4, 5, -6, 7, -8, -1, 2, -3, 4, -5, 6, -7, 8;
  Eigen::MatrixXd p = c;
  const auto r = escgen::penni::prune_by_std(p, 1.0);
  BOOST_TEST(std::abs(r.std_dev - std::sqrt(25.5)) < 1e-12);
  BOOST_TEST(r.threshold == r.std_dev);
  BOOST_TEST(r.pruned == 10u);  // |c| in 1..5 (5.05 > 5)
  for (Eigen::Index i = 0; i < c.size(); ++i) {
    const double v = c.data()[i];
    BOOST_TEST(p.data()[i] == (std::abs(v) <= 5 ? 0.0 : v));
  }

  // Random coefficients, several factors: exactly the |c| < t*std ones are gone, others kept.
  const Eigen::MatrixXd rc = random_matrix(50, 5, 21).array() + 0.3;
  const double mean = rc.mean();
  const double sd = std::sqrt((rc.array() - mean).square().sum() / static_cast<double>(rc.size()));
  for (double t : {0.0, 0.5, 1.0, 1.5}) {
    Eigen::MatrixXd q = rc;
    const auto pr = escgen::penni::prune_by_std(q, t);
    BOOST_TEST(std::abs(pr.std_dev - sd) < 1e-12);
    size_t expect = 0;
    for (Eigen::Index i = 0; i < rc.size(); ++i) {
      const bool below = std::abs(rc.data()[i]) < t * sd;
      expect += below;
      BOOST_TEST(q.data()[i] == (below ? 0.0 : rc.data()[i]));
    }
    BOOST_TEST(pr.pruned == expect);
    if (t == 0.0) BOOST_TEST(expect == 0u);
    if (t == 1.0) BOOST_TEST(expect > 0u);
  }
}

BOOST_AUTO_TEST_SUITE_END()
