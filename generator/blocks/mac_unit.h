// The basis-convolution (MAC) unit of a row: takes the row's Z[j] vectors (one per input pixel,
// raster order) and produces acc[u][v] = sum_j sum_p sum_q B[j][p][q] * Z[j][u*s+p-pad][v*s+q-pad]
// (no bias) per output pixel, raster order. Gather design: a Z line buffer of max_k rows x max_w
// pixels x max_d values (registers) and, per output pixel, a dot product over its d*k*k window
// taps, `macs` taps per cycle (ceil(d*k*k/macs) cycles per output). Built gate by gate: lane
// address adders, read multiplexers, signed multipliers, an adder tree, the control counters; the
// output leaves through the shared skid buffer (stream.h).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "blocks/stream.h"
#include "netlist/netlist.h"

namespace escgen::blocks {

struct MacUnitParams {
  int max_k = 3;          // largest kernel size (odd or even)
  int max_d = 4;          // largest number of bases
  int max_w = 8;          // largest input width (line buffer columns)
  int max_h = 16;         // largest input height (counter widths)
  int max_stride = 2;     // largest stride
  int z_bits = 8;         // signed width of Z
  int basis_bits = 8;     // signed width of a basis tap
  int acc_bits = 0;       // signed output width; 0 = exact worst case (mac_unit_exact_bits)
  int macs = 2;           // multipliers (macs_per_row), 1 <= macs <= max_d * max_k * max_k
  int basis_lanes = 1;    // basis taps per store write (a write beat carries taps a*T .. a*T + T-1)
  bool last_out = false;  // an out_last port marking the layer's last output
};

// Bits that hold every sum of max_d*max_k*max_k products of z_bits x basis_bits signed values.
int mac_unit_exact_bits(const MacUnitParams& p);

// Adds the unit (and its submodules, once per shape) to the design; returns the top module name.
// Throws InternalError on bad parameters.
//
// Ports (widths from the parameters; layer values are sampled at `start`, held for the layer):
//   clk, rst_n
//   start                      begins a layer when not busy or in a `finishing` cycle (ignored
//                              while busy otherwise)
//   next                       a started pass of the same layer (same k, stride, pad, h, w) waits
//                              for the next start: once this pass's input is complete, that
//                              pass's pixels are taken (into the line-buffer rows this pass no
//                              longer reads) before its start, which keeps them
//   k [bits_for(max_k)]        1..max_k        d [bits_for(max_d)]      1..max_d
//   stride [bits_for(max_s)]   1..max_stride   pad [bits_for(max_k-1)]  0..k-1
//   h [bits_for(max_h)]        1..max_h        w [bits_for(max_w)]      1..max_w
//     (the caller guarantees h + 2*pad >= k and w + 2*pad >= k)
//   busy                       high from the edge after start until done
//   finishing                  the pass finishes this cycle, decided from registers (the last
//                              taps of an output already in progress, or every output issued
//                              before, with every input taken): a start in this cycle is
//                              taken, and its pass issues from the next cycle (busy stays high,
//                              no done); not raised when the last output takes one cycle only
//   done                       one-cycle pulse once every output has been issued to the
//                              multipliers and every input of the layer (all h*w pixels) taken,
//                              unless a start was taken with `finishing`; the last outputs may
//                              still be in the pipeline (a next start is accepted from the next
//                              cycle; its outputs follow them)
//   drained                    nothing between the multipliers and out_acc: with busy low,
//                              every output has left
//   basis_we, basis_addr, basis_data [basis_lanes*basis_bits]: basis store write of T =
//     basis_lanes taps: beat a holds taps a*T .. a*T + T-1, tap i = j*k*k + p*k + q (the layer's
//     own k) in lane i % T (load before start; not reset)
//   in_valid, in_ready, in_z [max_d*z_bits]: one input pixel, Z[j] at bits [j*z_bits +: z_bits],
//     lanes >= d ignored; exactly h*w pixels per layer in raster order (with `next`, the
//     waiting pass's pixels may follow this pass's before its start)
//   out_valid, out_ready, out_acc [acc_bits]: one output pixel (signed), raster order over
//     h_out x w_out, h_out = (h + 2*pad - k)/stride + 1
//   out_last (with last_out)   out_acc is the layer's last output
//   stat_issue                 the multipliers take taps this cycle (for busy counters)
// in_ready is a register; out_valid/out_acc/out_last come from a skid buffer's registers.
std::string build_mac_unit(netlist::Design& design, const MacUnitParams& p);

// The unit's timing.
// - A start taken in cycle t raises busy in cycle t + kMacStartLatency; the lane offsets then take
//   mac_unit_setup_cycles(macs) more cycles when the pass's k is not the one they were computed
//   for (none otherwise) before the first issue.
// - An output whose last taps issue in cycle t is at out_valid in cycle t + kMacOutLatency: the
//   operand, product, partial-sum and sum registers (kMacPipelineStages), then the output skid
//   buffer.
// - busy falls kMacIdleAfterIssue cycles after the last issue and kMacIdleAfterInput cycles after
//   the last input pixel is taken (in_done_q registers it), whichever is later.
inline constexpr int kMacStartLatency = 1;
inline constexpr int mac_unit_setup_cycles(int macs) {
  return macs;
}
inline constexpr int kMacPipelineStages = 4;
inline constexpr int kMacOutLatency = kMacPipelineStages + kStreamLatency;
inline constexpr int kMacIdleAfterIssue = 1;
inline constexpr int kMacIdleAfterInput = 2;

// One layer for the model and the testbench.
struct MacLayer {
  int k = 1, d = 1, stride = 1, pad = 0, h = 1, w = 1;
  int h_out() const { return (h + 2 * pad - k) / stride + 1; }
  int w_out() const { return (w + 2 * pad - k) / stride + 1; }
};

// The C++ reference: the contract's formula, padding positions zero. basis has d*k*k values at
// j*k*k + p*k + q; z has h*w*d values, pixel (y, x) basis j at (y*w + x)*d + j. Returns the
// h_out*w_out accumulators in raster order (exact int64, no bias).
std::vector<int64_t> mac_unit_model(const MacLayer& l, std::span<const int64_t> basis,
                                    std::span<const int64_t> z);

}  // namespace escgen::blocks
