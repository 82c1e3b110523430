// PENNI kernel decomposition: the k x k kernels of a layer, one row per (output, input) channel
// pair, are approximated by linear combinations of d shared basis kernels, the top-d right
// singular vectors of the kernel matrix (SVD, Eigen's JacobiSVD, double precision).
#pragma once

#include <Eigen/Dense>

namespace escgen::penni {

struct Decomposition {
  // Every singular value of the kernel matrix, descending, padded with zeros to k*k entries.
  Eigen::VectorXd singular_values;
  // d x k*k: row j is basis kernel j (column p*k + q is tap (p, q)); rows are orthonormal. Sign
  // convention (for deterministic output): each row's entry of largest magnitude is positive.
  Eigen::MatrixXd basis;
  // (c_out*c_in) x d: the kernels projected onto the basis (kernels * basis^T).
  Eigen::MatrixXd coef;
};

// `kernels` is (c_out*c_in) x k*k, row o*c_in + i holding W[o][i] in C order. 1 <= d <= k*k
// (InternalError otherwise: callers validate user input first).
Decomposition decompose(const Eigen::MatrixXd& kernels, int d);

// The smallest d whose top-d squared singular values hold at least `fraction` of the squared
// energy (sum of all squared singular values), 0 < fraction <= 1. An all-zero spectrum gives 1.
int d_for_energy(const Eigen::VectorXd& singular_values, double fraction);

// The fraction of the squared energy held by the top d singular values (1 for a zero spectrum).
double energy_kept(const Eigen::VectorXd& singular_values, int d);

// ||a - b||_F / ||a||_F (0 when both are zero; ||b||_F / 0 is reported as infinity).
double relative_error(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b);

}  // namespace escgen::penni
