// Cycle model of a layer on the accelerator: the controller's weight side (basis, then each
// group's rows, loaded during the previous pass with weight_prefetch), the passes (one per
// output-channel group), the input stream through the decoder into each tile's ring buffer, per
// row the CA unit (chunk stage issuing up to ca_issue_width (chunk, basis) vectors per cycle,
// issue buffer, Dilution, Concentration element queue with look-ahead and look-aside, segment
// register, Z accumulation), the Z queue, the MAC unit (ceil(d*k*k/macs) cycles per output,
// line-buffer hazards of max_k rows), the output path and the collector (one beat when every
// row has its next output). Stages are queues with their capacities and one-cycle latencies; no
// value is computed.
#pragma once

#include <cstdint>
#include <vector>

#include "config/config.h"
#include "perf/layer_work.h"

namespace escgen::perf {

struct PassResult {
  int64_t cycles = 0;        // this group's start .. the next group's (the last: the layer's end)
  int64_t load_exposed = 0;  // cycles loading this group's rows while its pass could have started
  int64_t inbuf_full = 0;    // cycles a decoded chunk of this pass waited for the ring buffers
  int64_t ca_issue = 0;      // sum over rows of chunk-stage issue cycles
  int64_t mac_busy = 0;      // sum over rows of MAC issue cycles
};

struct LayerRun {
  int64_t cycles = 0;  // CYCLES: the first weight beat .. the layer's end
  std::vector<PassResult> passes;
};

// work[g][r]: row r of group g (tile t holds rows t*rows_per_tile ..); loads[g]: group g's
// weight beats. With weight_prefetch a group's pass starts once the previous pass's input is
// taken and every row's CA unit has taken it, while the MAC units finish the previous pass.
LayerRun simulate_layer(const Config& c, const LayerShape& s,
                        const std::vector<std::vector<RowWork>>& work,
                        const std::vector<int64_t>& loads, int64_t basis_load);

}  // namespace escgen::perf
