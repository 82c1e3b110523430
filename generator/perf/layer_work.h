// Operand statistics of a layer on a configuration, as the performance model needs them: per
// output-channel row the (chunk, basis) vectors its CA unit issues (only non-empty matches of the
// chunk's activation mask with the coefficient mask, the pixel's last chunk issuing an empty
// end-of-pixel marker when nothing matched), in the order the RTL issues them.
#pragma once

#include <cstdint>
#include <vector>

#include "config/config.h"
#include "model/layer.h"

namespace escgen::perf {

// The shape of a layer on a configuration.
struct LayerShape {
  int c_in = 0, c_out = 0, h = 0, w = 0, k = 0, stride = 1, pad = 0, d = 0;
  int chunks = 0;  // C = ceil(c_in / row_width)
  int groups = 0;  // G = ceil(c_out / rows)
  int rows = 0;    // tiles * rows_per_tile
  int h_out = 0, w_out = 0;
  int mac_cycles = 0;  // ceil(d*k*k / macs_per_row) per output pixel
};

LayerShape layer_shape(const Config& c, const Layer& l);

// One row's work in one pass: for chunk q (pixel q / C, chunk q % C) the vectors
// vec_size[first[q] .. first[q+1]) (matched elements of each issued vector; 0 = end marker).
struct RowWork {
  std::vector<uint32_t> first;  // chunks + 1 offsets
  std::vector<uint8_t> vec_size;
  int64_t elements = 0;      // matched elements
  int64_t issue_cycles = 0;  // chunk-stage cycles: sum over chunks of max(1, ceil(vectors / ca_issue_width))
  int64_t vectors = 0;       // issued vectors (markers included)
};

// Row r of group g (output channel g*rows + r; a row past c_out has no coefficients).
// x: the input (c_in, h, w), C order.
RowWork row_work(const Config& c, const Layer& l, const std::vector<uint16_t>& x, int g, int r);

}  // namespace escgen::perf
