// What the driver reports: STATUS as text and stats.json (driver-measured cycles, every counter
// register by name, beat counts, stall settings, simulation speed).
#pragma once

#include <string>

#include "driver.h"

namespace escgen::sim {

struct RunInfo {
  const StimFiles* stim = nullptr;
  const SimOptions* options = nullptr;
  double seconds = 0.0;  // wall time of the run
};

std::string stats_json(const SimResult& r, const RunInfo& info);
void write_stats(const std::string& file, const SimResult& r, const RunInfo& info);

}  // namespace escgen::sim
