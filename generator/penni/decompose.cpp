// Kernel decomposition (see decompose.h).
//
//   kernels (n x kk) = U S V^T        (JacobiSVD, full V so that any d <= kk works even when
//   basis   (d x kk) = V[:, :d]^T      n < kk: the extra basis kernels then get zero coefficients)
//   coef    (n x d)  = kernels * basis^T
#include "penni/decompose.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen::penni {

Decomposition decompose(const Eigen::MatrixXd& kernels, int d) {
  const Eigen::Index kk = kernels.cols();
  if (kk < 1 || d < 1 || d > kk)
    throw InternalError(fmt::format("penni::decompose: d = {} outside [1, {}]", d, kk));
  Decomposition r;
  r.singular_values = Eigen::VectorXd::Zero(kk);
  Eigen::MatrixXd v = Eigen::MatrixXd::Identity(kk, kk);
  if (kernels.rows() > 0) {
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(kernels, Eigen::ComputeFullV);
    const Eigen::VectorXd& s = svd.singularValues();
    r.singular_values.head(s.size()) = s;
    v = svd.matrixV();
  }
  r.basis = v.leftCols(d).transpose();
  for (Eigen::Index j = 0; j < d; ++j) {
    Eigen::Index at = 0;
    r.basis.row(j).cwiseAbs().maxCoeff(&at);
    if (r.basis(j, at) < 0) r.basis.row(j) *= -1.0;
  }
  r.coef = kernels * r.basis.transpose();
  return r;
}

int d_for_energy(const Eigen::VectorXd& singular_values, double fraction) {
  if (!(fraction > 0.0 && fraction <= 1.0))
    throw InternalError(fmt::format("penni::d_for_energy: fraction {} outside (0, 1]", fraction));
  const double total = singular_values.squaredNorm();
  if (total == 0.0) return 1;
  // A relative slack of a few ulps so that a spectrum built to hold exactly `fraction` is not
  // pushed to d + 1 by rounding in the partial sums.
  const double need = fraction * total * (1.0 - 8 * std::numeric_limits<double>::epsilon());
  double kept = 0.0;
  for (Eigen::Index j = 0; j < singular_values.size(); ++j) {
    kept += singular_values(j) * singular_values(j);
    if (kept >= need) return static_cast<int>(j + 1);
  }
  return static_cast<int>(singular_values.size());
}

double energy_kept(const Eigen::VectorXd& singular_values, int d) {
  const double total = singular_values.squaredNorm();
  if (total == 0.0) return 1.0;
  return singular_values.head(d).squaredNorm() / total;
}

double relative_error(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  const double num = (a - b).norm();
  const double den = a.norm();
  if (den == 0.0) return num == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  return num / den;
}

}  // namespace escgen::penni
