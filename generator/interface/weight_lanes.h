// Packing of the weight stream's per-row items into beats of `weight_lanes` rows
// (docs/interface.md, "Weight stream"): the stimulus builder writes one item per row and the
// packer interleaves; the decoder unpacks before it reads the items back.
#pragma once

#include <span>
#include <vector>

#include "config/config.h"
#include "util/bitvec.h"

namespace escgen {

// `items`: `basis` basis beats (at most wgt_bits wide), then per group, per row, `per_row` items
// (each at most wgt_lane_bits wide). Returns the stream's beats (wgt_bits wide): basis beats
// unchanged; per group, for rows r = 0, L, 2L, ..., per item n, one beat whose lane i (bits
// [i * wgt_lane_bits +: wgt_lane_bits]) is item n of row r + i.
std::vector<BitVec> pack_weight_lanes(const Config& c, int basis, int per_row,
                                      std::span<const BitVec> items);

// The inverse: stream beats -> items (wgt_lane_bits wide; basis beats whole, wgt_bits wide).
// InternalError when the beat count does not fit the layout.
std::vector<BitVec> unpack_weight_lanes(const Config& c, int basis, int per_row,
                                        std::span<const BitVec> beats);

}  // namespace escgen
