// Options of the simulation driver (`escgen_sim_model STIMDIR [options]`) and their parsing.
#pragma once

#include <cstdint>
#include <string>

namespace escgen::sim {

struct SimOptions {
  std::string stim_dir;
  std::string out_file;    // default STIMDIR/out.hex
  std::string stats_file;  // default STIMDIR/stats.json
  std::string trace_file;  // FST waveform (needs a --trace-fst build); empty: none
  uint64_t seed = 1;
  double valid_prob = 0.75;  // probability that a source offers its next beat in a cycle
  double ready_prob = 0.75;  // probability that the output stream is ready in a cycle
  uint64_t max_cycles = 0;   // 0: 64 x (all beats) + 100000
  bool quiet = false;
  // Wait for STATUS.queued to clear before each later layer's CTRL.start (the start queue holds
  // one); --no-queue-wait writes them at once (a test of the accelerator's SLVERR answer).
  bool queue_wait = true;
  // --late-start N:D: each later layer's CTRL.start only once N output beats have been taken,
  // then D more cycles (a test of starts that reach the accelerator near a layer's end).
  int64_t late_start_out = -1;
  uint64_t late_start_delay = 0;
};

const char* usage_text();
// Throws UsageError for an unknown option or a bad value; returns false for --help.
bool parse_options(int argc, const char* const* argv, SimOptions& o);

}  // namespace escgen::sim
