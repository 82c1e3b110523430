// Cycle model of one pass (one output-channel group) of the accelerator: the input stream through
// the decoder into each tile's ring buffer, per row the CA unit (chunk stage issuing up to
// ca_issue_width (chunk, basis) vectors per cycle, issue buffer, Dilution, Concentration element queue with
// look-ahead and look-aside, segment register, Z accumulation), the Z queue, the MAC unit
// (ceil(d*k*k/macs) cycles per output, line-buffer hazards of max_k rows), the output path and
// the collector (one beat when every row has its next output). Stages are queues with their
// capacities and one-cycle latencies; no value is computed.
#pragma once

#include <cstdint>
#include <vector>

#include "config/config.h"
#include "perf/layer_work.h"

namespace escgen::perf {

struct PassResult {
  int64_t cycles = 0;       // start of the pass .. every row idle
  int64_t inbuf_full = 0;   // cycles a decoded chunk waited for the ring buffers
  int64_t ca_issue = 0;     // sum over rows of chunk-stage issue cycles
  int64_t mac_busy = 0;     // sum over rows of MAC issue cycles
  int64_t last_input = 0;   // cycle of the last input beat
  int64_t ca_done_max = 0;  // cycle the slowest row's CA unit emitted its last Z
};

// rows: the group's rows (tile t holds rows t*rows_per_tile ..).
PassResult simulate_pass(const Config& c, const LayerShape& s, const std::vector<RowWork>& rows);

}  // namespace escgen::perf
