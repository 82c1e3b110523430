// Cycle model of Concentration: how many cycles a row's CA adder tree of `lanes` inputs needs to
// sum a stream of gathered (diluted) vectors, with look-ahead (later vectors of the same target
// fill holes) and look-aside (neighbouring targets' queues fill the lanes left over, with a
// separate sum per target). Used to choose the defaults of lookahead_depth and
// lookaside_distance, and by the performance model.
#pragma once

#include <cstdint>
#include <vector>

namespace escgen::perf {

struct ConcentrationParams {
  int lanes = 8;      // ca_lanes: adder-tree inputs
  int lookahead = 1;  // vectors beyond the head vector of a target that may fill holes
  int lookaside = 0;  // further targets (after the oldest unfinished one) that may fill lanes
};

struct ConcentrationStats {
  int64_t cycles = 0;
  int64_t elements = 0;      // matched elements summed
  int64_t ideal_cycles = 0;  // ceil(elements / lanes)
  int lanes = 1;
  double utilisation() const;  // elements / (cycles * lanes); 1.0 for an empty stream
};

// targets[t] lists the lengths of target t's gathered vectors (one per chunk). Targets are
// processed basis-major (all chunks of basis j of a pixel, then basis j+1), so the vectors form
// one in-order stream; empty vectors are dropped by dilution and cost nothing. Each cycle the
// tree takes up to `lanes` elements from a prefix of the stream: at most 1 + `lookahead` vectors
// of a target (the partly consumed head counts), crossing into at most `lookaside` following
// targets (one sum segment each). The supply is assumed never to run dry (this models the
// concentration step alone).
ConcentrationStats simulate_concentration(const std::vector<std::vector<int>>& targets,
                                          const ConcentrationParams& p);

}  // namespace escgen::perf
