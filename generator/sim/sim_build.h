// The Verilator simulator of an accelerator: the toolchain found at run time, the content hash
// that names a build (RTL bytes, driver sources, Verilator version and root, trace flag, build
// flags, thread count when > 1, hierarchical), and the cached build itself (`verilator --cc --exe
// --build`, see build_cache.h).
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace escgen {

struct Verilator {
  std::string bin;      // full path
  std::string version;  // `verilator --version`
  std::string root;     // `verilator --getenv VERILATOR_ROOT`
};

// InputError ("sim: verilator not found on PATH ...") when it is missing: exit status 2.
Verilator find_verilator();

// $ESCGEN_CACHE, else $XDG_CACHE_HOME/escgen, else $HOME/.cache/escgen.
std::filesystem::path default_cache_root();

// The driver sources (testbench/sim, generator/interface/regmap.h), embedded at build time.
struct SimSource {
  const char* name;
  const char* text;
};
const std::vector<SimSource>& sim_driver_sources();

struct SimBuildRequest {
  std::filesystem::path design_dir;  // DIR/files.f and DIR/rtl/*.v (netlist::write_design)
  std::filesystem::path cache_root;  // builds go to cache_root/sim/<hash>
  bool trace = false;                // --trace-fst build (a separate cache entry)
  int jobs = 2;
  int threads = 1;  // verilator --threads; > 1 is a separate cache entry (hashed with the count)
  // Verilate the row (escgen_row) once as a hierarchical block (`--hierarchical`, a separate
  // cache entry). Flat, Verilator expands every row instance: about 0.5 GB per row of `paper`
  // (64 rows: out of memory at 16 GB), against 0.7 GB for all of paper hierarchically. Not with
  // `trace` (Verilator cannot trace inside hierarchical blocks).
  bool hierarchical = false;
};

struct SimModel {
  std::filesystem::path exe;  // cache_root/sim/<hash>/escgen_sim_model
  std::string hash;
  bool built = false;  // false: reused from the cache
  double seconds = 0;  // build time
};

std::string sim_model_hash(const SimBuildRequest& r, const Verilator& v);

// Reuses or builds the simulator; progress lines ("sim: ...") on `progress`.
SimModel build_sim_model(const SimBuildRequest& r, const Verilator& v, std::ostream& progress);

}  // namespace escgen
