// Command line of escgen_sim_model (see sim_options.h).
#include "sim_options.h"

#include <cstdlib>
#include <string>

#include "stim_files.h"

namespace escgen::sim {

const char* usage_text() {
  return "usage: escgen_sim_model STIMDIR [options]\n"
         "  runs one layer (or queued layers) on the Verilated escgen_accelerator from the\n"
         "  stimulus directory\n"
         "  (meta.txt, regs.hex, wgt.hex, act.hex; docs/interface.md), writes out.hex and\n"
         "  stats.json\n"
         "  --out FILE          output beats (default STIMDIR/out.hex)\n"
         "  --stats FILE        cycles and counters as JSON (default STIMDIR/stats.json)\n"
         "  --seed N            seed of the valid gaps and ready back-pressure (default 1)\n"
         "  --valid-prob P      probability a source offers a beat in a cycle (default 0.75)\n"
         "  --ready-prob P      probability the output stream is ready in a cycle (default 0.75)\n"
         "  --no-stall          both probabilities 1 (performance runs)\n"
         "  --max-cycles N      cycle limit (default 64 x all beats + 100000)\n"
         "  --trace FILE        FST waveform (simulator built with --trace-fst)\n"
         "  --quiet             no summary line\n"
         "  --no-queue-wait     write a later queued layer's CTRL.start without waiting for\n"
         "                      STATUS.queued to clear (the accelerator must answer SLVERR)\n"
         "  --late-start N:D    write a later layer's CTRL.start only once N output beats\n"
         "                      were taken, then D more cycles (starts near a layer's end)\n"
         "  +verilator+...      Verilator runtime options, e.g. +verilator+rand+reset+2 (random\n"
         "                      initial values: the RTL must not depend on them)\n"
         "exit status: 0 done, 1 the accelerator failed (timeout, STATUS.error, wrong beat\n"
         "counts), 2 bad command line or stimulus files\n";
}

static double prob(const std::string& name, const char* v) {
  char* end = nullptr;
  const double p = std::strtod(v, &end);
  if (end == v || *end != '\0' || !(p > 0.0 && p <= 1.0))
    throw UsageError(name + ": must be a probability in (0, 1] (got " + v + ")");
  return p;
}

static uint64_t number(const std::string& name, const char* v) {
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  if (end == v || *end != '\0' || v[0] == '-')
    throw UsageError(name + ": must be a non-negative integer (got " + v + ")");
  return n;
}

bool parse_options(int argc, const char* const* argv, SimOptions& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) throw UsageError(a + ": needs a value");
      return argv[++i];
    };
    if (a == "--help" || a == "-h") return false;
    if (!a.empty() && a[0] == '+') continue;  // +verilator+... plusargs: for the Verilator runtime
    if (a == "--out")
      o.out_file = value();
    else if (a == "--stats")
      o.stats_file = value();
    else if (a == "--trace")
      o.trace_file = value();
    else if (a == "--seed")
      o.seed = number(a, value());
    else if (a == "--valid-prob")
      o.valid_prob = prob(a, value());
    else if (a == "--ready-prob")
      o.ready_prob = prob(a, value());
    else if (a == "--no-stall")
      o.valid_prob = o.ready_prob = 1.0;
    else if (a == "--max-cycles")
      o.max_cycles = number(a, value());
    else if (a == "--quiet")
      o.quiet = true;
    else if (a == "--no-queue-wait")
      o.queue_wait = false;
    else if (a == "--late-start") {
      const std::string v = value();
      const size_t colon = v.find(':');
      if (colon == std::string::npos) throw UsageError(a + ": must be N:D (got " + v + ")");
      o.late_start_out = static_cast<int64_t>(number(a + " N", v.substr(0, colon).c_str()));
      o.late_start_delay = number(a + " D", v.substr(colon + 1).c_str());
    } else if (!a.empty() && a[0] == '-')
      throw UsageError(a + ": unknown option");
    else if (o.stim_dir.empty())
      o.stim_dir = a;
    else
      throw UsageError(a + ": only one stimulus directory");
  }
  if (o.stim_dir.empty()) throw UsageError("STIMDIR: missing");
  if (o.out_file.empty()) o.out_file = o.stim_dir + "/out.hex";
  if (o.stats_file.empty()) o.stats_file = o.stim_dir + "/stats.json";
  return true;
}

}  // namespace escgen::sim
