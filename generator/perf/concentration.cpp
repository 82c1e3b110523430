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
  // Non-empty vectors, per target.
  std::vector<std::vector<int>> q(targets.size());
  ConcentrationStats s;
  s.lanes = p.lanes;
  for (size_t t = 0; t < targets.size(); ++t)
    for (int m : targets[t]) {
      if (m < 0) throw InternalError("simulate_concentration: negative vector length");
      if (m > 0) q[t].push_back(m);
      s.elements += m;
    }
  s.ideal_cycles = (s.elements + p.lanes - 1) / p.lanes;
  // The gathered vectors form one in-order stream: target by target (basis-major within a
  // pixel), each target's vectors by chunk. The tree's window is a prefix of that stream.
  struct Vec {
    size_t target;
    int left;
  };
  std::deque<Vec> stream;
  for (size_t t = 0; t < q.size(); ++t)
    for (int m : q[t]) stream.push_back({t, m});
  while (!stream.empty()) {
    int free_lanes = p.lanes;
    int targets_served = 0, vectors_of_target = 0;
    size_t v = 0;
    size_t current = stream.front().target;
    while (v < stream.size() && free_lanes > 0) {
      if (stream[v].target != current) {
        // Crossing into the next target: only when look-aside allows another segment.
        if (targets_served + 1 > p.lookaside) break;
        ++targets_served;
        current = stream[v].target;
        vectors_of_target = 0;
      }
      if (vectors_of_target > p.lookahead) break;  // window: head + lookahead vectors per target
      ++vectors_of_target;
      const int take = std::min(free_lanes, stream[v].left);
      stream[v].left -= take;
      free_lanes -= take;
      if (stream[v].left > 0) break;
      ++v;
    }
    while (!stream.empty() && stream.front().left == 0) stream.pop_front();
    ++s.cycles;
  }
  return s;
}

}  // namespace escgen::perf
