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
  // The timeline a layer queued behind this one needs (cycles from this layer's t = 0, the first
  // weight beat, or the previous layer's end when this one was queued too): its last group's go,
  // the first cycle of its last pass with the input taken and every row idle (from then the
  // queued layer's buffered basis may go into the rows), and its end (the last pass_end).
  int64_t last_go = 0, idle_from = 0, end = 0;
};

// A layer queued behind another (docs/interface.md, "Queued layers"; its start written before
// the other's last group went): the queued layer's weight side takes it in the cycle after that
// go and starts its basis the cycle after; t = 0 is then the other layer's end cycle.
struct QueuedStart {
  int64_t weight_lead = 0;  // cycles the weight side runs before t = 0: end - (last_go + 2)
  int64_t idle_lead = 0;    // cycles before t = 0 from which every row was idle: end - idle_from
};
// The queued start behind a layer's run.
QueuedStart queued_behind(const LayerRun& before);

// work[g][r]: row r of group g (tile t holds rows t*rows_per_tile ..); loads[g]: group g's
// weight beats. With weight_prefetch a group's pass starts once the previous pass's input is
// taken and every row's CA unit has taken it, while the MAC units finish the previous pass.
// With `queued`, the layer follows another: its weight side has run weight_lead cycles (the
// basis into the basis buffer, then with weight_prefetch its first group; without, it waits for
// the other layer's end), its first group goes no earlier than t = 0 and the buffered basis's
// last beat, and `cycles` counts from t = 1 (t = 0 is the other layer's last counted cycle).
LayerRun simulate_layer(const Config& c, const LayerShape& s,
                        const std::vector<std::vector<RowWork>>& work,
                        const std::vector<int64_t>& loads, int64_t basis_load,
                        const QueuedStart* queued = nullptr);

}  // namespace escgen::perf
