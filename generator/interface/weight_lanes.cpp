// Weight-stream lane packing (see weight_lanes.h).
#include "interface/weight_lanes.h"

#include <fmt/format.h>

#include "util/error.h"

namespace escgen {

namespace {

// Copies `bits` bits of `from` starting at `from_lsb` into `to` at `to_lsb`.
void copy_bits(const BitVec& from, int from_lsb, BitVec& to, int to_lsb, int bits) {
  for (int b = 0; b < bits; b += 64) {
    const int n = std::min(64, bits - b);
    to.set(to_lsb + b, n, from.get(from_lsb + b, n));
  }
}

}  // namespace

std::vector<BitVec> pack_weight_lanes(const Config& c, int basis, int per_row,
                                      std::span<const BitVec> items) {
  const int lanes = c.weight_lanes, rows = c.derived.rows, lb = c.derived.wgt_lane_bits;
  const size_t per_group = static_cast<size_t>(rows) * static_cast<size_t>(per_row);
  const size_t body = items.size() - static_cast<size_t>(basis);
  if (items.size() < static_cast<size_t>(basis) || per_row <= 0 || body % per_group != 0)
    throw InternalError(fmt::format("weight items: {} do not make {} basis items and groups of {}",
                                    items.size(), basis, per_group));
  std::vector<BitVec> beats;
  beats.reserve(static_cast<size_t>(basis) + body / static_cast<size_t>(lanes));
  auto widen = [&](const BitVec& item, BitVec& beat, int at) {
    copy_bits(item, 0, beat, at, std::min(item.width(), lb));
  };
  for (int t = 0; t < basis; ++t) {  // whole beats
    BitVec b(c.derived.wgt_bits);
    const BitVec& item = items[static_cast<size_t>(t)];
    copy_bits(item, 0, b, 0, std::min(item.width(), c.derived.wgt_bits));
    beats.push_back(std::move(b));
  }
  for (size_t g = 0; g < body / per_group; ++g)
    for (int r = 0; r < rows; r += lanes)
      for (int n = 0; n < per_row; ++n) {
        BitVec b(c.derived.wgt_bits);
        for (int i = 0; i < lanes; ++i)
          widen(items[static_cast<size_t>(basis) + g * per_group +
                      static_cast<size_t>((r + i) * per_row + n)],
                b, i * lb);
        beats.push_back(std::move(b));
      }
  return beats;
}

std::vector<BitVec> unpack_weight_lanes(const Config& c, int basis, int per_row,
                                        std::span<const BitVec> beats) {
  const int lanes = c.weight_lanes, rows = c.derived.rows, lb = c.derived.wgt_lane_bits;
  const size_t per_group = static_cast<size_t>(rows / lanes) * static_cast<size_t>(per_row);
  const size_t body = beats.size() - static_cast<size_t>(basis);
  if (beats.size() < static_cast<size_t>(basis) || per_row <= 0 || body % per_group != 0)
    throw InternalError(
        fmt::format("weight stream: {} beats do not make {} basis beats and "
                    "groups of {}",
                    beats.size(), basis, per_group));
  std::vector<BitVec> items;
  items.reserve(static_cast<size_t>(basis) + body * static_cast<size_t>(lanes));
  for (int t = 0; t < basis; ++t) items.push_back(beats[static_cast<size_t>(t)]);  // whole beats
  for (size_t g = 0; g < body / per_group; ++g) {
    const size_t first = static_cast<size_t>(basis) + g * per_group;
    for (int r = 0; r < rows; ++r)
      for (int n = 0; n < per_row; ++n) {
        BitVec item(lb);
        copy_bits(beats[first + static_cast<size_t>((r / lanes) * per_row + n)], (r % lanes) * lb,
                  item, 0, lb);
        items.push_back(std::move(item));
      }
  }
  return items;
}

}  // namespace escgen
