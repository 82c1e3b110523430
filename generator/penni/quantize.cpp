// Hybrid quantisation of a decomposed layer (see quantize.h).
#include "penni/quantize.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen::penni {

BasisQuant quantize_basis(const Eigen::MatrixXd& basis, int bits) {
  if (bits < 2 || bits > 16)
    throw InternalError(fmt::format("penni::quantize_basis: bits {} outside [2, 16]", bits));
  const double top = static_cast<double>((1 << (bits - 1)) - 1);
  const double max_abs = basis.size() ? basis.cwiseAbs().maxCoeff() : 0.0;
  BasisQuant r;
  r.scale = max_abs > 0.0 ? max_abs / top : 1.0;
  r.q.reserve(static_cast<size_t>(basis.size()));
  for (Eigen::Index i = 0; i < basis.rows(); ++i)
    for (Eigen::Index j = 0; j < basis.cols(); ++j) {
      const double v = std::round(basis(i, j) / r.scale);
      r.q.push_back(static_cast<int32_t>(std::clamp(v, -top, top)));
    }
  return r;
}

TernaryQuant ternarize(const Eigen::MatrixXd& coef, int c_out, AlphaMode mode,
                       double delta_factor) {
  if (c_out < 1 || coef.rows() % c_out != 0)
    throw InternalError(
        fmt::format("penni::ternarize: {} rows are not c_out = {} blocks", coef.rows(), c_out));
  const Eigen::Index rows_per_out = coef.rows() / c_out;
  TernaryQuant r;
  double sum_nz = 0.0;
  size_t nz = 0;
  for (Eigen::Index i = 0; i < coef.size(); ++i)
    if (coef.data()[i] != 0.0) sum_nz += std::abs(coef.data()[i]), ++nz;
  r.delta = nz ? delta_factor * sum_nz / static_cast<double>(nz) : 0.0;

  std::vector<double> sum(static_cast<size_t>(c_out), 0.0);
  std::vector<size_t> count(static_cast<size_t>(c_out), 0);
  r.q.reserve(static_cast<size_t>(coef.size()));
  for (Eigen::Index row = 0; row < coef.rows(); ++row)
    for (Eigen::Index j = 0; j < coef.cols(); ++j) {
      const double c = coef(row, j);
      int8_t t = 0;
      if (c != 0.0 && std::abs(c) > r.delta) {
        t = c > 0 ? 1 : -1;
        const auto o = static_cast<size_t>(row / rows_per_out);
        sum[o] += std::abs(c);
        ++count[o];
      }
      r.q.push_back(t);
    }
  double total = 0.0;
  size_t kept = 0;
  for (size_t o = 0; o < sum.size(); ++o) total += sum[o], kept += count[o];
  r.layer_alpha = kept ? total / static_cast<double>(kept) : 1.0;
  r.alpha.assign(static_cast<size_t>(c_out), r.layer_alpha);
  if (mode == AlphaMode::PerOutputChannel)
    for (size_t o = 0; o < sum.size(); ++o)
      if (count[o]) r.alpha[o] = sum[o] / static_cast<double>(count[o]);
  return r;
}

Eigen::MatrixXd dequantize_basis(const BasisQuant& b, Eigen::Index rows, Eigen::Index cols) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j)
      m(i, j) = b.scale * b.q[static_cast<size_t>(i * cols + j)];
  return m;
}

Eigen::MatrixXd dequantize_coef(const TernaryQuant& t, Eigen::Index rows, Eigen::Index cols) {
  const Eigen::Index rows_per_out = rows / static_cast<Eigen::Index>(t.alpha.size());
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j)
      m(i, j) =
          t.alpha[static_cast<size_t>(i / rows_per_out)] * t.q[static_cast<size_t>(i * cols + j)];
  return m;
}

}  // namespace escgen::penni
