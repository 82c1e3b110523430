// The tail contract of a bit-gather without tail clearing (the Dilution's): a lane from the
// count on holds zero or a copy of one of the gathered lanes (so zero when none was gathered).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>

namespace escgen::tb {

inline bool gather_tail_ok(uint64_t lane, std::span<const uint64_t> gathered) {
  return lane == 0 || std::find(gathered.begin(), gathered.end(), lane) != gathered.end();
}

}  // namespace escgen::tb
