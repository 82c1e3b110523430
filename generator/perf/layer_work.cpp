// Operand statistics per row (see layer_work.h).
//
//   row_width 4, d 2, chunk mask 0b0110, coefficient masks j0 0b0100, j1 0b1001:
//   j0 matches 1 element, j1 none -> one vector of size 1; the chunk costs 1 cycle.
#include "perf/layer_work.h"

#include <bit>

#include "config/geometry.h"
#include "util/error.h"

namespace escgen::perf {

LayerShape layer_shape(const Config& c, const Layer& l) {
  LayerShape s;
  s.c_in = l.c_in;
  s.c_out = l.c_out;
  s.h = l.h;
  s.w = l.w;
  s.k = l.k;
  s.stride = l.stride;
  s.pad = l.pad;
  s.d = l.d;
  s.chunks = input_chunks(c, l.c_in);
  s.rows = c.derived.rows;
  s.groups = output_groups(c, l.c_out);
  s.h_out = l.h_out();
  s.w_out = l.w_out();
  s.mac_cycles = (l.d * l.k * l.k + c.macs_per_row - 1) / c.macs_per_row;
  return s;
}

RowWork row_work(const Config& c, const Layer& l, const std::vector<uint16_t>& x, int g, int r) {
  const LayerShape s = layer_shape(c, l);
  const int n = c.row_width, o = g * s.rows + r;
  if (n > 64) throw InternalError("perf: row_width above 64 is not modelled");
  if (x.size() != static_cast<size_t>(l.c_in) * l.h * l.w)
    throw InternalError("perf: input size does not match the layer");
  // Coefficient masks per (chunk, basis).
  std::vector<uint64_t> cm(static_cast<size_t>(s.chunks * l.d), 0);
  if (o < l.c_out)
    for (int i = 0; i < l.c_in; ++i)
      for (int j = 0; j < l.d; ++j)
        if (l.c(o, i, j) != 0) cm[static_cast<size_t>((i / n) * l.d + j)] |= uint64_t{1} << (i % n);
  RowWork w;
  const size_t nchunks = static_cast<size_t>(l.h) * l.w * s.chunks;
  w.first.reserve(nchunks + 1);
  w.first.push_back(0);
  const size_t plane = static_cast<size_t>(l.h) * l.w;
  for (size_t p = 0; p < plane; ++p)
    for (int ch = 0; ch < s.chunks; ++ch) {
      uint64_t am = 0;
      for (int i = 0; i < n && ch * n + i < l.c_in; ++i)
        if (x[static_cast<size_t>(ch * n + i) * plane + p] != 0) am |= uint64_t{1} << i;
      int nv = 0;
      for (int j = 0; j < l.d; ++j) {
        const int m = std::popcount(am & cm[static_cast<size_t>(ch * l.d + j)]);
        if (m == 0) continue;
        w.vec_size.push_back(static_cast<uint8_t>(m));
        w.elements += m;
        ++nv;
      }
      if (nv == 0 && ch == s.chunks - 1) {
        w.vec_size.push_back(0);  // end-of-pixel marker
        nv = 1;
      }
      w.vectors += nv;
      w.issue_cycles += std::max(1, (nv + c.ca_issue_width - 1) / c.ca_issue_width);
      w.first.push_back(static_cast<uint32_t>(w.vec_size.size()));
    }
  return w;
}

}  // namespace escgen::perf
