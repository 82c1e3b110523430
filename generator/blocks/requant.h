// Requantisation stage of a row's output: acc + bias, then either raw (the exact sum) or the
// contract's requant_relu (t = sum * M; if S > 0: t += 2^(S-1); t >>= S; clamp to
// [0, 2^act_bits - 1]), chosen per item by a mode bit. Pipelined in four registered stages
// (bias add, carry-save product, product sum, shift/round/clamp) behind an input skid buffer;
// valid/ready with back-pressure. The C++ reference (requant_model) uses escgen::requantize, the
// one definition of the formula (model/golden.h).
#pragma once

#include <cstdint>
#include <string>

#include "blocks/stream.h"
#include "netlist/netlist.h"

namespace escgen::blocks {

struct RequantParams {
  int acc_bits = 33;   // signed accumulator (the convolution sum), 2 .. 62
  int bias_bits = 32;  // signed bias, 2 .. 62
  int mult_bits = 16;  // unsigned multiplier M, 1 .. 62
  int act_bits = 8;    // unsigned output activation, 1 .. 62
};

// Width of the exact sum acc + bias: max(acc_bits, bias_bits) + 1.
int requant_sum_bits(const RequantParams& p);
// Width of out_data: max(sum bits, act_bits).
int requant_out_bits(const RequantParams& p);

// Ports: clk, rst_n; in_valid, in_ready, in_acc[acc_bits] (signed), in_bias[bias_bits] (signed),
// in_mult[mult_bits], in_shift[6], in_mode (1 = requant_relu, 0 = raw); out_valid, out_ready,
// out_data[requant_out_bits] (raw: the sum, sign-extended; requant_relu: the activation,
// zero-extended). Latency four clocks (in -> skid/bias add -> carry-save product -> product ->
// out), one item per clock; in_ready, out_valid and out_data are registered.
std::string build_requant(netlist::Design& design, const RequantParams& p);
// Its timing: the input skid buffer (stage A), then the registered stages B, P and C. An item
// taken in cycle t is at out_valid in cycle t + kRequantLatency; the block holds up to
// kRequantCapacity items (two in the skid buffer, one per later stage).
inline constexpr int kRequantStages = 3;
inline constexpr int kRequantLatency = kStreamLatency + kRequantStages;
inline constexpr int kRequantCapacity = kSkidCapacity + kRequantStages;

struct RequantItem {
  int64_t acc;
  int64_t bias;
  int64_t mult;
  int shift;
  bool requant_relu;
};

// The block's output value for one item (raw: acc + bias; requant_relu: requantize(acc + bias,
// M, S, act_bits)). Throws InternalError when the item is outside the block's ranges.
int64_t requant_model(const RequantParams& p, const RequantItem& item);

}  // namespace escgen::blocks
