// Coefficient SparseMap: the software side that prepares a row's coefficient store. For one
// output channel o, the ternary coefficients C[o][i][j] are cut into chunks of row_width input
// channels (like the activations); per basis j and chunk c an entry holds a non-zero mask and a
// sign mask (1 = coefficient -1). Dilution matches the mask against the activation mask and
// negates where the sign is set; no coefficient value is stored.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace escgen {

struct CoefSparseMapEntry {
  std::vector<uint8_t> mask;  // row_width lanes: coefficient non-zero
  std::vector<uint8_t> sign;  // row_width lanes: coefficient negative (0 where mask is 0)
};

// Entries in the order a row reads them: for each chunk c, bases 0..d-1 (index c * d + j).
// Channels past c_in (the last chunk's tail) have mask 0.
struct CoefSparseMap {
  int c_in = 0, d = 0, row_width = 0, chunks = 0;
  std::vector<CoefSparseMapEntry> entries;
  const CoefSparseMapEntry& at(int chunk, int basis) const;
};

// coef: one output channel's coefficients, (c_in, d) in C order (coef[i * d + j] = C[o][i][j]).
// Throws InputError when a coefficient is not in {-1, 0, +1} (naming the channel and basis),
// InternalError on inconsistent sizes.
CoefSparseMap encode_coef_sparsemap(std::span<const int8_t> coef, int c_in, int d, int row_width);

// The inverse (for tests and for reading back a store): (c_in, d) ternary coefficients.
std::vector<int8_t> decode_coef_sparsemap(const CoefSparseMap& map);

}  // namespace escgen
