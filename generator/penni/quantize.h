// PENNI hybrid quantisation: the basis kernels (shared by every channel pair) to basis_bits
// signed integers with one symmetric max-abs scale per layer; the coefficients (one per channel
// pair and basis) to ternary {-1, 0, +1} by the ternary-weight-network rule, a zero (pruned)
// coefficient staying zero.
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Dense>

namespace escgen::penni {

struct BasisQuant {
  double scale = 1.0;      // float value of one basis code: max|B| / (2^(bits-1) - 1)
  std::vector<int32_t> q;  // row-major like the input matrix, in [-(2^(bits-1)-1), 2^(bits-1)-1]
};

// Symmetric max-abs quantisation of every entry of `basis` to `bits` (2..16) signed bits,
// round half away from zero. An all-zero basis gets scale 1.
BasisQuant quantize_basis(const Eigen::MatrixXd& basis, int bits);

enum class AlphaMode { PerLayer, PerOutputChannel };

struct TernaryQuant {
  double delta = 0.0;         // threshold: delta_factor * mean |c| over the non-zero coefficients
  double layer_alpha = 1.0;   // mean |c| over |c| > delta, the whole layer (1 when none)
  std::vector<double> alpha;  // per output channel: the float value of a +1 code
  std::vector<int8_t> q;      // row-major like the input matrix: sign(c) if |c| > delta, else 0
};

// Ternarises `coef` ((c_out*c_in) x d, row o*c_in + i) with threshold delta = delta_factor *
// mean |c| over the non-zero entries (zero entries, i.e. pruned ones, do not lower it and always
// map to 0). Scale: alpha = mean |c| over the entries with |c| > delta, either over the layer or
// over each output channel's rows (an output channel with no non-zero code gets the layer's alpha,
// which only fixes the units of its bias).
TernaryQuant ternarize(const Eigen::MatrixXd& coef, int c_out, AlphaMode mode,
                       double delta_factor = 0.7);

// Float basis (rows x cols) and coefficients ((c_out*c_in) x d) that the quantised codes stand for.
Eigen::MatrixXd dequantize_basis(const BasisQuant& b, Eigen::Index rows, Eigen::Index cols);
Eigen::MatrixXd dequantize_coef(const TernaryQuant& t, Eigen::Index rows, Eigen::Index cols);

}  // namespace escgen::penni
