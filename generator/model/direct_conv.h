// An independent dense path for a PENNI layer, used only to test the golden model: the effective
// kernels W_eff[o][i] = sum_j C[o][i][j] * B[j] and a plain cross-correlation with stride and
// zero padding (as PyTorch's conv2d). It visits every weight, zero or not.
#pragma once

#include <cstdint>
#include <vector>

#include "model/layer.h"

namespace escgen {

// W_eff, shape (c_out, c_in, k, k), C order.
std::vector<int64_t> effective_weights(const Layer& l);

// acc = bias + conv2d(x, W_eff), shape (c_out, h_out, w_out). x is (c_in, h, w).
std::vector<int64_t> direct_accumulators(const Layer& l, const std::vector<uint16_t>& x);

// requant_relu: requantize(acc) (the one definition in golden.h); raw: acc, unchecked.
std::vector<int64_t> direct_output(const Layer& l, const std::vector<uint16_t>& x);

}  // namespace escgen
