// The golden integer model of a PENNI layer, exactly as the contract defines it: linear
// combination first (Z = sum_i C x), then basis convolution, bias, requantisation with a
// rounding shift and ReLU clamp, or raw output. Plain C++, no simulator.
#pragma once

#include <cstdint>
#include <vector>

#include "model/layer.h"

namespace escgen {

// acc[o][u][v] = bias[o] + sum_j sum_pq B[j][p][q] * Z[o][j][u*stride+p-pad][v*stride+q-pad],
// shape (c_out, h_out, w_out), C order. x is (c_in, h, w).
std::vector<int64_t> golden_accumulators(const Layer& l, const std::vector<uint16_t>& x);

// The contract's requantisation: t = acc * M; if S > 0, t += 2^(S-1); t >>= S (arithmetic);
// clamp to [0, 2^act_bits - 1]. Defined once here; the RTL is tested against it.
int64_t requantize(int64_t acc, int64_t m, int s, int act_bits);

// The layer's output: requant_relu -> requantize(acc); raw -> acc (InputError naming bias.npy if
// it does not fit int32). Shape (c_out, h_out, w_out).
std::vector<int64_t> golden_output(const Layer& l, const std::vector<uint16_t>& x);

}  // namespace escgen
