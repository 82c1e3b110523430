// The float reference of a layer: a plain cross-correlation (PyTorch's conv2d) with stride, zero
// padding and bias, in double precision, optionally followed by ReLU. PENNI compression measures
// its integer layers against it.
#pragma once

#include <span>
#include <vector>

namespace escgen::penni {

struct ConvShape {
  int c_out = 0, c_in = 0, k = 0, h = 0, w = 0, stride = 1, pad = 0;
  int h_out() const { return (h + 2 * pad - k) / stride + 1; }
  int w_out() const { return (w + 2 * pad - k) / stride + 1; }
};

// y[o][u][v] = bias[o] + sum_i,p,q W[o][i][p][q] * x[i][u*stride+p-pad][v*stride+q-pad], then
// max(y, 0) when `relu`. weights (c_out, c_in, k, k), bias (c_out) or empty for none,
// x (c_in, h, w); result (c_out, h_out, w_out). All C order.
std::vector<double> conv2d(const ConvShape& s, std::span<const double> weights,
                           std::span<const double> bias, std::span<const double> x, bool relu);

}  // namespace escgen::penni
