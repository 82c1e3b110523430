// run_sim and the output helpers (see sim_run.h).
#include "sim/sim_run.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "config/config.h"
#include "design/accelerator.h"
#include "interface/layer_plan.h"
#include "interface/stimulus.h"
#include "model/golden.h"
#include "model/npy.h"
#include "netlist/verilog_writer.h"
#include "sim/sim_build.h"
#include "util/error.h"
#include "util/process.h"

namespace escgen {

namespace fs = std::filesystem;

void write_output_npy(const std::string& path, const Layer& l, const std::vector<int64_t>& y) {
  const npy::DType dtype = l.output == OutputMode::Raw ? npy::DType::Int32
                           : l.act_bits > 8            ? npy::DType::UInt16
                                                       : npy::DType::UInt8;
  const std::vector<size_t> shape{static_cast<size_t>(l.c_out), static_cast<size_t>(l.h_out()),
                                  static_cast<size_t>(l.w_out())};
  npy::write(path, npy::make(dtype, shape, y));
}

void check_against_golden(const Layer& l, const std::vector<int64_t>& rtl,
                          const std::vector<int64_t>& golden) {
  if (rtl.size() != golden.size())
    throw InternalError(fmt::format("sim: {} output values from the RTL, {} from the golden model",
                                    rtl.size(), golden.size()));
  size_t first = rtl.size(), count = 0;
  for (size_t i = 0; i < rtl.size(); ++i)
    if (rtl[i] != golden[i]) {
      if (count++ == 0) first = i;
    }
  if (count == 0) return;
  const size_t plane = static_cast<size_t>(l.h_out()) * l.w_out();
  throw InternalError(fmt::format(
      "sim: the RTL differs from the golden model at (o, y, x) = ({}, {}, {}): RTL {}, golden {} "
      "({} of {} values differ)",
      first / plane, first % plane / l.w_out(), first % l.w_out(), rtl[first], golden[first], count,
      rtl.size()));
}

namespace {

// A temporary directory removed at the end (unless the user named the directory).
struct WorkDir {
  fs::path path;
  bool keep = false;
  explicit WorkDir(const std::string& named) {
    if (!named.empty()) {
      path = named;
      keep = true;
      std::error_code ec;
      fs::create_directories(path, ec);
      if (ec) throw InputError(fmt::format("{}: cannot create: {}", named, ec.message()));
      return;
    }
    std::string tmpl = (fs::temp_directory_path() / "escgen-sim.XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw InternalError("sim: cannot create a temporary directory");
    path = tmpl;
  }
  ~WorkDir() {
    std::error_code ec;
    if (!keep) fs::remove_all(path, ec);
  }
};

// One layer of the run.
struct Run {
  std::string output;
  LayerPlan plan;  // plan.placed: the layer as the rows see it (output channels assigned)
  std::vector<uint16_t> x;
  int64_t out_beats = 0;  // its output beats in the run's output stream
};

// The run's layers in order: the first, then the queued ones, each planned with its input loaded.
std::vector<Run> plan_runs(const Config& c, const SimRunOptions& o) {
  std::vector<Run> runs;
  std::vector<SimRunOptions::Queued> all = {{o.layer_dir, o.input, o.output}};
  all.insert(all.end(), o.queued.begin(), o.queued.end());
  for (const SimRunOptions::Queued& q : all) {
    Run r;
    r.output = q.output;
    r.plan = plan_layer(c, q.layer_dir, {.assign = o.assign});
    r.x = load_input(q.input, r.plan.layer);
    runs.push_back(std::move(r));
  }
  return runs;
}

// Writes the stimulus of all layers, one after the other, to stim_dir and returns it; records each
// layer's output beats.
Stimulus write_run_stimulus(const Config& c, std::vector<Run>& runs, const fs::path& stim_dir) {
  Stimulus stim;
  for (Run& run : runs) {
    Stimulus s = build_stimulus(c, run.plan.placed, run.x);
    run.out_beats = s.out_beats;
    if (&run == &runs.front())
      stim = std::move(s);
    else
      append_stimulus(stim, s);
  }
  write_stimulus(stim_dir, stim);
  return stim;
}

// Generates the accelerator's RTL into design_dir.
void write_sim_design(const Config& c, const std::string& config_path, const fs::path& design_dir) {
  const netlist::Design design = build_accelerator(c);
  if (design.top() != "escgen_accelerator")
    throw InternalError(fmt::format(
        "sim: the generated design's top is {}, not escgen_accelerator (no accelerator top yet)",
        design.top()));
  // The provenance names the configuration by file name only, so the simulator cache key (a
  // hash of the RTL bytes) does not depend on how the path was spelled.
  netlist::write_design(design, design_dir,
                        {fmt::format("escgen generate --config {} --out DIR",
                                     fs::path(config_path).filename().string())});
}

// Whether the simulator verilates escgen_row once (--build, see SimRunOptions::build); notes a
// flat build of many rows forced by --trace.
bool hierarchical_build(const std::string& build, int rows, bool trace, std::ostream& progress) {
  const bool many_rows = rows > kFlatMaxRows;
  if (build == "hierarchical") return true;
  if (build == "auto") {
    if (many_rows && trace)
      progress << fmt::format(
          "sim: note: {} rows with --trace: a flat build (Verilator needs about 0.5 GB per row "
          "of paper's size)\n",
          rows);
    return many_rows && !trace;
  }
  if (build != "flat")
    throw InputError(
        fmt::format("sim: --build must be auto, flat or hierarchical (got {})", build));
  return false;
}

// Builds the simulator of the RTL in design_dir, or reuses the cached one.
SimModel build_simulator(const Config& c, const SimRunOptions& o, const fs::path& design_dir,
                         const Verilator& verilator, std::ostream& progress) {
  SimBuildRequest req;
  req.design_dir = design_dir;
  // Absolute: the Verilator build runs in another directory.
  req.cache_root = fs::absolute(o.cache_dir.empty() ? default_cache_root() : fs::path(o.cache_dir));
  req.trace = !o.trace.empty();
  req.jobs = o.jobs;
  req.threads = o.threads;
  req.hierarchical = hierarchical_build(o.build, c.derived.rows, req.trace, progress);
  return build_sim_model(req, verilator, progress);
}

// Runs the simulator on the stimulus in stim_dir, writing out_hex and stats (its output to log).
void run_simulator(const SimModel& model, const SimRunOptions& o, const fs::path& stim_dir,
                   const fs::path& out_hex, const fs::path& stats, const fs::path& log) {
  std::vector<std::string> argv = {model.exe.string(),
                                   stim_dir.string(),
                                   "--seed",
                                   std::to_string(o.seed),
                                   "--out",
                                   out_hex.string(),
                                   "--stats",
                                   stats.string(),
                                   "--quiet"};
  if (!o.trace.empty()) argv.insert(argv.end(), {"--trace", o.trace});
  std::istringstream extra(o.sim_args);
  for (std::string a; extra >> a;) argv.push_back(a);
  const int status = run_logged(argv, log.string());
  if (status != 0)
    throw InternalError(fmt::format("sim: the simulation failed (status {}): {}", status,
                                    tail_of_file(log.string(), 5)));
}

// Splits the output beats among the layers, decodes each layer's output in channel order and
// writes it to the layer's output file.
std::vector<std::vector<int64_t>> decode_runs(const Config& c, const std::vector<Run>& runs,
                                              const std::vector<BitVec>& beats) {
  std::vector<std::vector<int64_t>> ys;
  size_t first_beat = 0;
  for (const Run& run : runs) {
    const size_t n = static_cast<size_t>(run.out_beats);
    const std::span<const BitVec> mine(beats.data() + first_beat, n);
    first_beat += n;
    const Layer& l = run.plan.layer;
    ys.push_back(unpermute_output(decode_output(c, run.plan.placed, mine), run.plan.perm,
                                  int64_t{l.h_out()} * l.w_out()));
    write_output_npy(run.output, l, ys.back());
  }
  return ys;
}

// Reads the driver's stats JSON into r (cycles and counters).
void read_stats(const fs::path& stats, SimRunResult& r) {
  std::ifstream sf(stats);
  const nlohmann::json j = nlohmann::json::parse(sf, nullptr, false);
  if (j.is_discarded() || !j.contains("cycles"))
    throw InternalError(fmt::format("sim: {}: not the driver's stats JSON", stats.string()));
  r.cycles = j["cycles"].get<uint64_t>();
  for (const auto& [name, value] : j["counters"].items()) r.counters[name] = value.get<uint64_t>();
}

// Compares each layer's output with the golden model; names the layer when the run has several.
void check_runs(const std::vector<Run>& runs, const std::vector<std::vector<int64_t>>& ys) {
  for (size_t i = 0; i < runs.size(); ++i) {
    try {
      const Layer& l = runs[i].plan.layer;
      check_against_golden(l, ys[i], golden_output(l, runs[i].x));
    } catch (const InternalError& e) {
      if (runs.size() == 1) throw;
      throw InternalError(fmt::format("layer {} of the run: {}", i + 1, e.what()));
    }
  }
}

}  // namespace

SimRunResult run_sim(const SimRunOptions& o, std::ostream& progress) {
  const Config c = Config::from_file(o.config);
  std::vector<Run> runs = plan_runs(c, o);
  const Verilator verilator = find_verilator();

  WorkDir work(o.work_dir);
  const fs::path stim_dir = work.path / "stim", design_dir = work.path / "design";
  const Stimulus stim = write_run_stimulus(c, runs, stim_dir);
  write_sim_design(c, o.config, design_dir);
  const SimModel model = build_simulator(c, o, design_dir, verilator, progress);

  const fs::path out_hex = stim_dir / "out.hex";
  const fs::path stats = o.stats.empty() ? stim_dir / "stats.json" : fs::path(o.stats);
  run_simulator(model, o, stim_dir, out_hex, stats, work.path / "sim.log");
  const std::vector<BitVec> beats = read_out_hex(out_hex, stim.out_bits, stim.out_beats);
  const std::vector<std::vector<int64_t>> ys = decode_runs(c, runs, beats);

  SimRunResult r;
  r.hash = model.hash;
  r.built = model.built;
  for (const std::vector<int64_t>& y : ys) r.values += y.size();
  r.rows = c.derived.rows;
  read_stats(stats, r);
  if (o.check) {
    check_runs(runs, ys);
    r.checked = true;
  }
  return r;
}

}  // namespace escgen
