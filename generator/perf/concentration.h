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
  int64_t elements = 0;        // matched elements summed
  int64_t ideal_cycles = 0;    // ceil(elements / lanes)
  int lanes = 1;
  double utilisation() const;  // elements / (cycles * lanes); 1.0 for an empty stream
};

// targets[t] lists the lengths of target t's gathered vectors in arrival order (one per chunk;
// targets are the d bases of each pixel in turn). Empty vectors are dropped by dilution and cost
// nothing. Each cycle the tree takes, in target order, up to `lanes` elements: from the oldest
// unfinished target's window (its partly consumed head vector + `lookahead` further vectors),
// then from the windows of up to `lookaside` further targets. The supply of vectors is assumed
// never to run dry (this models the concentration step alone).
ConcentrationStats simulate_concentration(const std::vector<std::vector<int>>& targets,
                                          const ConcentrationParams& p);

}  // namespace escgen::perf
