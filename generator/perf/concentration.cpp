// Concentration cycle model (see concentration.h).
//
//   lanes 4, lookahead 0: target vectors [3, 2]  -> cycle 1: 3 of v0 (1 hole), cycle 2: 2 of v1
//   lanes 4, lookahead 1: same                   -> cycle 1: 3 of v0 + 1 of v1, cycle 2: 1 of v1
#include "perf/concentration.h"

#include <algorithm>
#include <deque>

#include "util/error.h"

namespace escgen::perf {

double ConcentrationStats::utilisation() const {
  if (cycles == 0) return 1.0;
  return static_cast<double>(elements) / (static_cast<double>(cycles) * lanes);
}

ConcentrationStats simulate_concentration(const std::vector<std::vector<int>>& targets,
                                          const ConcentrationParams& p) {
  if (p.lanes < 1 || p.lookahead < 0 || p.lookaside < 0)
    throw InternalError("simulate_concentration: lanes >= 1, lookahead >= 0, lookaside >= 0");
  // Remaining elements of each non-empty vector, per target.
  std::vector<std::deque<int>> q(targets.size());
  ConcentrationStats s;
  s.lanes = p.lanes;
  for (size_t t = 0; t < targets.size(); ++t)
    for (int m : targets[t]) {
      if (m < 0) throw InternalError("simulate_concentration: negative vector length");
      if (m > 0) q[t].push_back(m);
      s.elements += m;
    }
  s.ideal_cycles = (s.elements + p.lanes - 1) / p.lanes;
  size_t oldest = 0;
  auto skip_done = [&] {
    while (oldest < q.size() && q[oldest].empty()) ++oldest;
  };
  skip_done();
  while (oldest < q.size()) {
    int free_lanes = p.lanes;
    size_t t = oldest;
    for (int served = 0; served <= p.lookaside && t < q.size() && free_lanes > 0; ++t) {
      if (q[t].empty()) continue;  // finished targets do not count as look-aside neighbours
      ++served;
      // Take in order from the head vector and up to `lookahead` further vectors.
      const size_t window = std::min(q[t].size(), static_cast<size_t>(p.lookahead) + 1);
      size_t v = 0;
      while (v < window && free_lanes > 0) {
        const int take = std::min(free_lanes, q[t][v]);
        q[t][v] -= take;
        free_lanes -= take;
        if (q[t][v] == 0) ++v;
        else break;
      }
      q[t].erase(q[t].begin(), q[t].begin() + static_cast<std::ptrdiff_t>(v));
    }
    ++s.cycles;
    skip_done();
  }
  return s;
}

}  // namespace escgen::perf
