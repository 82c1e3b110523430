// One layer (or a sequence of queued layers) through the RTL: validate (config, layer, fit), write
// the stimulus, generate the RTL, build or reuse the cached Verilator simulator, run it, decode its
// output, compare with the golden model. The logic of `escgen sim`; the output helpers are shared
// with `escgen stimulus`.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "interface/channel_assignment.h"
#include "model/layer.h"

namespace escgen {

struct SimRunOptions {
  std::string config, layer_dir, input, output;  // required
  // Layers queued behind it in the same run (each CTRL.start written while the one before runs,
  // docs/interface.md "Queued layers"), each checked like the first.
  struct Queued {
    std::string layer_dir, input, output;
  };
  std::vector<Queued> queued;
  std::string stats;      // copy of stats.json (optional)
  std::string trace;      // FST file (optional; builds the traced variant)
  std::string work_dir;   // keep the stimulus, RTL and out.hex here (default: a temporary dir)
  std::string cache_dir;  // default default_cache_root()
  std::string sim_args;   // extra driver options, space separated (e.g. "--no-stall")
  uint64_t seed = 1;
  bool check = true;
  int jobs = 2;
  int threads = 1;  // Verilator --threads of the simulator (a separate build when > 1)
  // Simulator build: "flat", "hierarchical" (escgen_row verilated once, see SimBuildRequest) or
  // "auto": hierarchical when the configuration has more than kFlatMaxRows rows and no trace.
  std::string build = "auto";
  ChannelAssign assign = ChannelAssign::Balanced;  // output channels to rows
};

struct SimRunResult {
  uint64_t cycles = 0;                       // driver-measured, first start .. done
  std::map<std::string, uint64_t> counters;  // counter registers by name
  bool checked = false;                      // compared with the golden model (and equal)
  size_t values = 0;                         // output values
  std::string hash;                          // simulator cache key
  bool built = false;                        // the simulator was built (not reused)
  int rows = 0;                              // rows of the configuration (for utilisation)
};

// `auto` builds flat up to this many rows (small: 8 rows, flat 1.3 GB in Verilator; paper: 64).
inline constexpr int kFlatMaxRows = 16;

SimRunResult run_sim(const SimRunOptions& o, std::ostream& progress);

// Writes y as `escgen golden` does: uint8/uint16 (by act_bits) for requant_relu, int32 for raw.
void write_output_npy(const std::string& path, const Layer& l, const std::vector<int64_t>& y);

// Throws InternalError naming the first differing index (o, y, x), both values and how many
// differ, when rtl != golden.
void check_against_golden(const Layer& l, const std::vector<int64_t>& rtl,
                          const std::vector<int64_t>& golden);

}  // namespace escgen
