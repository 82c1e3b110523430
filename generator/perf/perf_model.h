// The performance model of a layer on a configuration (`escgen perf`): predicted RTL cycles
// (weight loading + one modelled pass per output-channel group, pass_model.h) and the ideal
// lower bound: per group the largest of the input-stream bound (h*w*C chunks, one per cycle),
// the CA bound (the slowest row's matched elements / ca_lanes) and the MAC bound
// (h_out*w_out*ceil(d*k*k/macs_per_row)), summed over groups.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/config.h"
#include "model/layer.h"
#include "perf/layer_work.h"
#include "perf/pass_model.h"

namespace escgen::perf {

struct GroupEstimate {
  int64_t load = 0;          // rows / weight_lanes * (1 + C) weight beats
  int64_t load_exposed = 0;  // cycles of it during which the group's pass could have started
  int64_t pass = 0;          // cycles from this group's start to the next's (the last: layer end)
  int64_t input_bound = 0;   // h*w*C
  int64_t ca_bound = 0;      // max over rows of ceil(elements / ca_lanes)
  int64_t issue_bound = 0;   // max over rows of chunk-stage cycles (sum of max(1, vectors))
  int64_t mac_bound = 0;     // h_out*w_out*ceil(d*k*k/macs)
  int64_t ideal = 0;         // max(input, ca, mac)
  std::string binds;         // "input", "ca" or "mac"
  int64_t elements_max = 0, elements_min = 0;  // matched elements, slowest and fastest row
  int64_t inbuf_full = 0, ca_issue = 0, mac_busy = 0;
};

struct PerfEstimate {
  LayerShape shape;
  int64_t cycles = 0;        // predicted CYCLES
  int64_t basis_load = 0;    // ceil(d*k*k / basis_taps_per_beat) basis beats
  int64_t load = 0;          // every weight beat (LOAD_CYCLES)
  int64_t load_exposed = 0;  // basis + groups' exposed loading (a pass waits for its weights)
  int64_t ideal = 0;         // sum over groups of the ideal
  int64_t input_bound = 0, ca_bound = 0, mac_bound = 0, issue_bound = 0;  // summed over groups
  std::string binds;                                   // the part binding the most ideal cycles
  int64_t ca_issue = 0, mac_busy = 0, inbuf_full = 0;  // predicted counters
  int64_t dense_cycles = 0;  // c_out*c_in*k*k*h_out*w_out / (rows*macs_per_row), rounded up
  std::vector<GroupEstimate> groups;
  bool queued = false;  // estimated queued behind another layer (cycles: those it adds)
  QueuedStart behind;   // the start of a layer queued behind this one
};

// x: the input (c_in, h, w), C order. With `queued` (queued_behind of the layer before, or its
// estimate's `behind`), the layer runs queued behind that one (docs/interface.md, "Queued
// layers") and `cycles` are the cycles it adds to the run after the other layer's end.
PerfEstimate estimate(const Config& c, const Layer& l, const std::vector<uint16_t>& x,
                      const QueuedStart* queued = nullptr);

nlohmann::json to_json(const PerfEstimate& e);
std::string to_text(const PerfEstimate& e);

}  // namespace escgen::perf
