// The stimulus of one layer run on the accelerator (docs/interface.md): register writes, weight
// beats, input beats (SparseMap-encoded chunks) and the expected number of output beats; the
// stimulus directory the simulators read (meta.txt, regs.hex, wgt.hex, act.hex) and out.hex they
// write; decoding output beats into the layer's output tensor. The decoders of the weight and
// input beats are the inverses, for tests and debugging.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/layer.h"
#include "util/bitvec.h"

namespace escgen {

struct RegWrite {
  uint32_t addr = 0, data = 0;
  friend bool operator==(const RegWrite&, const RegWrite&) = default;
};

struct Stimulus {
  int wgt_bits = 0, act_bits = 0, out_bits = 0;  // beat widths (act_bits: input_entry_bits)
  std::vector<RegWrite> regs;                    // shape registers, MODE, then CTRL.start
  std::vector<BitVec> wgt, act;
  int64_t out_beats = 0;
};

// The stimulus for layer `l` with input x (c_in, h, w). The layer must fit (check_fit); its
// counts are its layer_geometry (interface/layer_plan.h).
Stimulus build_stimulus(const Config& c, const Layer& l, std::span<const uint16_t> x);

// Appends `next` to `into` as a layer queued behind it (its register writes, CTRL.start last,
// follow; its beats follow on every stream). InternalError when the beat widths differ.
void append_stimulus(Stimulus& into, const Stimulus& next);

// Writes dir/meta.txt, regs.hex, wgt.hex, act.hex (dir is created).
void write_stimulus(const std::filesystem::path& dir, const Stimulus& s);
// Reads a stimulus directory back (InputError "<file>:<line>: <problem>" on malformed files).
Stimulus read_stimulus(const std::filesystem::path& dir);
// Reads `file` (out.hex): exactly `expected` beats of `out_bits` bits.
std::vector<BitVec> read_out_hex(const std::filesystem::path& file, int out_bits, int64_t expected);
void write_out_hex(const std::filesystem::path& file, std::span<const BitVec> beats);

// Output beats -> y (c_out, h_out, w_out), C order: raw sign-extends out_lane_bits,
// requant_relu zero-extends. InternalError when the count is wrong or a lane without an output
// channel is not 0 (names the beat and lane).
std::vector<int64_t> decode_output(const Config& c, const Layer& l, std::span<const BitVec> beats);

// Inverses of build_stimulus, for tests: the layer's tensors from the weight beats (c_in, c_out,
// k, d taken from `shape`), and x from the input beats (InternalError when the groups differ).
struct DecodedWeights {
  std::vector<int32_t> basis;  // (d, k, k)
  std::vector<int8_t> coef;    // (c_out, c_in, d)
  std::vector<int32_t> bias, scale, shift;
};
DecodedWeights decode_weights(const Config& c, const Layer& shape, std::span<const BitVec> wgt);
std::vector<uint16_t> decode_inputs(const Config& c, const Layer& shape,
                                    std::span<const BitVec> act);

}  // namespace escgen
