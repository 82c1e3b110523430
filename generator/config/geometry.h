// The primitive geometry of a layer on the accelerator, written once: how many SparseMap chunks
// c_in input channels take (row_width lanes each), how many output-channel groups c_out channels
// take (one channel per row), and how many weight beats d*k*k basis taps take. The configuration
// (chunks_max, the input buffer check), the coefficient SparseMap, the layer plan and the
// performance model all call these.
#pragma once

#include "config/config.h"

namespace escgen {

// ceil(c_in / row_width): SparseMap chunks of c_in input channels.
constexpr int input_chunks(int c_in, int row_width) {
  return (c_in + row_width - 1) / row_width;
}
inline int input_chunks(const Config& c, int c_in) {
  return input_chunks(c_in, c.row_width);
}

// ceil(c_out / rows): output-channel groups, each computed by all rows at once.
constexpr int output_groups(int c_out, int rows) {
  return (c_out + rows - 1) / rows;
}
inline int output_groups(const Config& c, int c_out) {
  return output_groups(c_out, c.derived.rows);
}

// ceil(taps / taps_per_beat): weight beats of `taps` basis taps.
constexpr int basis_beats(int taps, int taps_per_beat) {
  return (taps + taps_per_beat - 1) / taps_per_beat;
}
// The same for a basis of d bases of k x k taps on a configuration.
inline int basis_beats(const Config& c, int d, int k) {
  return basis_beats(d * k * k, c.derived.basis_taps_per_beat);
}

}  // namespace escgen
