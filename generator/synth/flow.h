// The synthesis flow behind `escgen synth`: generates a configuration's RTL into a run folder,
// writes the synth/ scripts (built into escgen), the knobs and run.sh there, runs Yosys and
// OpenSTA, and parses their output into a SynthResult (report.h writes the reports).
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "synth/hierarchy.h"
#include "synth/liberty_info.h"
#include "synth/sta_log.h"
#include "synth/yosys_stat.h"

namespace escgen::synth {

inline constexpr const char* kDefaultLiberty = "/usr/share/qflow/tech/osu018/osu018_stdcells.lib";

// Every knob has a default; `escgen synth` exposes each as an option.
struct SynthOptions {
  std::string config;
  std::filesystem::path out;
  std::optional<std::string> liberty;  // unset: kDefaultLiberty if present; "none": generic gates
  std::string top;                     // empty: the design's top
  double clock_ns = 4.0;
  std::string clock_port = "clk";
  double input_delay_ns = 0;
  double output_delay_ns = 0;
  std::string driving_cell = "INVX1";
  std::string driving_pin = "Y";
  double load_pf = 0.02;
  std::optional<double> abc_delay_ps;  // unset: the clock period in ps
  bool abc_dc2 =
      false;  // Yosys's default ABC script (dc2 ripples prefix adders); false: without dc2
  int limiter_endpoints = 1000;  // worst endpoints OpenSTA lists for the report's limiters
  std::string yosys = "yosys";
  std::string sta = "sta";
};

struct Knob {
  std::string name, value, note;
};

// How OpenSTA's power estimate was obtained: OpenSTA's default activity (0.1 transitions per clock,
// duty 0.5, at the inputs) propagated through the logic, or, when that crashes OpenSTA, the same
// activity set on every net (synth/sta_power_global.tcl).
enum class PowerActivity { propagated, global };

struct SynthResult {
  SynthOptions options;
  std::string top;
  std::string liberty;  // empty: generic gates (no STA)
  std::optional<LibertyInfo> library;
  std::vector<Knob> knobs;
  std::vector<std::string> files;  // files.f, relative to the run folder, top last
  YosysStat stat;
  InstanceNode tree;
  std::vector<ModuleArea> modules;
  long flops = 0, latches = 0;
  std::optional<StaLog> sta;
  PowerActivity power_activity = PowerActivity::propagated;  // how sta->power was obtained
  std::string power_note;   // why the global-activity fallback was used (empty: not used)
  std::string power_error;  // non-empty: both power runs failed (why); the timing is still valid
  std::string yosys_version, sta_version;
  std::vector<std::string> commands;  // escgen's command line, then each tool's
  double yosys_seconds = 0, sta_seconds = 0;
};

// Throws InputError for a bad option, a missing tool or liberty (checked before any work), and
// InternalError naming the log file when a tool fails. Progress lines go to `progress`.
SynthResult run_synth(const SynthOptions& options, std::ostream& progress);

}  // namespace escgen::synth
