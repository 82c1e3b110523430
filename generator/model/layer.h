// A PENNI layer: the layer directory of the contract (layer.json, basis.npy, coef.npy,
// bias.npy, scale.npy, shift.npy), loaded and validated once, and written back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace escgen {

enum class OutputMode { RequantRelu, Raw };

struct Layer {
  // layer.json
  int c_in = 0, c_out = 0, h = 0, w = 0, k = 0, stride = 1, pad = 0, d = 0;
  int act_bits = 8, basis_bits = 8, coef_bits = 2;
  OutputMode output = OutputMode::RequantRelu;
  // tensors, C order
  std::vector<int32_t> basis;  // (d, k, k)
  std::vector<int8_t> coef;    // (c_out, c_in, d)
  std::vector<int32_t> bias;   // (c_out)
  std::vector<int32_t> scale;  // (c_out) requantisation multiplier M
  std::vector<int32_t> shift;  // (c_out) requantisation shift S
  // The directory the layer was loaded from (for messages; empty for an in-memory layer).
  std::string dir;

  int h_out() const { return (h + 2 * pad - k) / stride + 1; }
  int w_out() const { return (w + 2 * pad - k) / stride + 1; }
  int8_t c(int o, int i, int j) const { return coef[(static_cast<size_t>(o) * c_in + i) * d + j]; }
  int32_t b(int j, int p, int q) const { return basis[(static_cast<size_t>(j) * k + p) * k + q]; }
};

// Loads and validates a layer directory (every rule of the contract). `mult_bits` bounds M.
// Throws InputError("<file>: <field>: <problem>").
Layer load_layer(const std::string& dir, int mult_bits = 16);
// Validates an in-memory layer with the same rules and messages (file names as in a directory).
void validate_layer(const Layer& l, const std::string& dir, int mult_bits = 16);
// Writes a layer directory (creates it); validates first.
void save_layer(const std::string& dir, const Layer& l, int mult_bits = 16);

// The contract's int32 rule: the worst-case |acc - bias| = c_in * (2^act_bits - 1) * coef_max *
// d * k*k * 2^(basis_bits-1), coef_max = 2^(coef_bits-1) - 1. A layer is accepted only when it is
// < 2^31. Saturates at UINT64_MAX.
uint64_t worst_case_conv(const Layer& l);

// Input activations x.npy (c_in, h, w), uint8 or uint16 by act_bits, values < 2^act_bits.
std::vector<uint16_t> load_input(const std::string& path, const Layer& l);
void save_input(const std::string& path, const Layer& l, const std::vector<uint16_t>& x);

}  // namespace escgen
