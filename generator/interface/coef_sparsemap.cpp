// Coefficient SparseMap encoder and decoder (see coef_sparsemap.h).
//
//   row_width 4, d 1, C[o][0..5][0] = [+1 0 -1 0 | -1 +1]:
//   chunk 0: mask 0b0101 sign 0b0100; chunk 1: mask 0b0011 sign 0b0001 (channels 6, 7 absent).
#include "interface/coef_sparsemap.h"

#include <fmt/format.h>

#include "config/geometry.h"
#include "util/error.h"

namespace escgen {

const CoefSparseMapEntry& CoefSparseMap::at(int chunk, int basis) const {
  if (chunk < 0 || chunk >= chunks || basis < 0 || basis >= d)
    throw InternalError(
        fmt::format("coefficient SparseMap: no entry (chunk {}, basis {})", chunk, basis));
  return entries[static_cast<size_t>(chunk) * static_cast<size_t>(d) + static_cast<size_t>(basis)];
}

CoefSparseMap encode_coef_sparsemap(std::span<const int8_t> coef, int c_in, int d, int row_width) {
  if (c_in < 1 || d < 1 || row_width < 1 ||
      coef.size() != static_cast<size_t>(c_in) * static_cast<size_t>(d))
    throw InternalError(
        fmt::format("encode_coef_sparsemap: {} coefficients for c_in {} x d {} (row_width {})",
                    coef.size(), c_in, d, row_width));
  CoefSparseMap map;
  map.c_in = c_in;
  map.d = d;
  map.row_width = row_width;
  map.chunks = input_chunks(c_in, row_width);
  const auto rw = static_cast<size_t>(row_width);
  map.entries.assign(static_cast<size_t>(map.chunks) * static_cast<size_t>(d),
                     {std::vector<uint8_t>(rw, 0), std::vector<uint8_t>(rw, 0)});
  for (int i = 0; i < c_in; ++i) {
    for (int j = 0; j < d; ++j) {
      const int c = coef[static_cast<size_t>(i) * static_cast<size_t>(d) + static_cast<size_t>(j)];
      if (c < -1 || c > 1)
        throw InputError(fmt::format(
            "coefficient SparseMap: input channel {}, basis {}: {} is not ternary (-1, 0, +1)", i,
            j, c));
      if (c == 0) continue;
      auto& e = map.entries[static_cast<size_t>(i / row_width) * static_cast<size_t>(d) +
                            static_cast<size_t>(j)];
      const auto lane = static_cast<size_t>(i % row_width);
      e.mask[lane] = 1;
      e.sign[lane] = c < 0 ? uint8_t{1} : uint8_t{0};
    }
  }
  return map;
}

std::vector<int8_t> decode_coef_sparsemap(const CoefSparseMap& map) {
  std::vector<int8_t> coef(static_cast<size_t>(map.c_in) * static_cast<size_t>(map.d), 0);
  for (int i = 0; i < map.c_in; ++i) {
    for (int j = 0; j < map.d; ++j) {
      const auto& e = map.at(i / map.row_width, j);
      const auto lane = static_cast<size_t>(i % map.row_width);
      if (e.mask[lane])
        coef[static_cast<size_t>(i) * static_cast<size_t>(map.d) + static_cast<size_t>(j)] =
            e.sign[lane] ? int8_t{-1} : int8_t{1};
    }
  }
  return coef;
}

}  // namespace escgen
