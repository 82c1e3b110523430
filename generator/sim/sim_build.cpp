// Finding Verilator, hashing and building the cached simulator (see sim_build.h).
#include "sim/sim_build.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "netlist/verilog_writer.h"
#include "sim/build_cache.h"
#include "util/error.h"
#include "util/process.h"
#include "util/sha256.h"

namespace escgen {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTop = "escgen_accelerator";
constexpr const char* kExe = "escgen_sim_model";
// Part of the hash: change when the build command below changes.
constexpr const char* kBuildFlags = "cc exe build -Wno-fatal -O3 c++20 -O2 v1";

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw InputError(fmt::format("{}: cannot read", p.string()));
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// The design's files in files.f order (paths relative to the design directory).
std::vector<std::string> design_files(const fs::path& dir) {
  std::istringstream f(read_file(dir / "files.f"));
  std::vector<std::string> files;
  for (std::string line; std::getline(f, line);)
    if (!trim(line).empty()) files.push_back(trim(line));
  return files;
}

}  // namespace

Verilator find_verilator() {
  const auto bin = find_program("verilator");
  if (!bin)
    throw InputError(
        "sim: verilator not found on PATH (escgen sim needs Verilator 5; on Debian: apt-get "
        "install verilator)");
  Verilator v;
  v.bin = *bin;
  const ProcessResult version = capture_output({v.bin, "--version"});
  if (version.status != 0)
    throw InputError(fmt::format("sim: {} --version failed: {}", v.bin, trim(version.output)));
  v.version = trim(version.output);
  const ProcessResult root = capture_output({v.bin, "--getenv", "VERILATOR_ROOT"});
  if (root.status != 0 || trim(root.output).empty())
    throw InputError(fmt::format("sim: {} --getenv VERILATOR_ROOT failed", v.bin));
  v.root = trim(root.output);
  return v;
}

fs::path default_cache_root() {
  if (const char* e = std::getenv("ESCGEN_CACHE"); e && *e) return e;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "escgen";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "escgen";
  throw InputError("sim: no cache directory: set ESCGEN_CACHE or HOME, or pass --cache");
}

std::string sim_model_hash(const SimBuildRequest& r, const Verilator& v) {
  Sha256 h;
  h.field(kBuildFlags);
  h.field(v.version);
  h.field(v.root);
  h.field(r.trace ? "trace-fst" : "no-trace");
  if (r.threads > 1) h.field(fmt::format("threads {}", r.threads));  // 1: the hash of before
  if (r.hierarchical) h.field("hierarchical escgen_row");            // flat: the hash of before
  h.field(read_file(r.design_dir / "files.f"));
  for (const std::string& f : design_files(r.design_dir)) {
    h.field(f);
    h.field(read_file(r.design_dir / f));
  }
  for (const SimSource& s : sim_driver_sources()) {
    h.field(s.name);
    h.field(s.text);
  }
  return h.hex();
}

SimModel build_sim_model(const SimBuildRequest& r, const Verilator& v, std::ostream& progress) {
  if (r.trace && r.hierarchical)
    throw InputError(
        "sim: a traced simulator must be a flat build (Verilator cannot trace inside "
        "hierarchical blocks): use --build flat with --trace");
  SimModel m;
  m.hash = sim_model_hash(r, v);
  const std::string short_hash = m.hash.substr(0, 16);
  const fs::path root = r.cache_root / "sim";
  const auto t0 = std::chrono::steady_clock::now();
  const auto build = [&](const fs::path& tmp) {
    progress << fmt::format(
                    "sim: building simulator for {}{}{}{} (verilator, this takes a minute) ...\n",
                    short_hash, r.trace ? " with FST tracing" : "",
                    r.threads > 1 ? fmt::format(", {} threads", r.threads) : std::string(),
                    r.hierarchical ? ", hierarchical (escgen_row verilated once)" : "")
             << std::flush;
    fs::create_directories(tmp / "design");
    fs::copy(r.design_dir / "files.f", tmp / "design" / "files.f");
    for (const std::string& f : design_files(r.design_dir)) {
      fs::create_directories((tmp / "design" / f).parent_path());
      fs::copy(r.design_dir / f, tmp / "design" / f);
    }
    fs::create_directories(tmp / "src");
    std::vector<std::string> cpp;
    for (const SimSource& s : sim_driver_sources()) {
      netlist::write_file(tmp / "src" / s.name, s.text);
      if (std::string_view(s.name).ends_with(".cpp"))
        cpp.push_back((tmp / "src" / s.name).string());
    }
    std::vector<std::string> argv = {v.bin,          "--cc",
                                     "--exe",        "--build",
                                     "-j",           std::to_string(std::max(1, r.jobs)),
                                     "-Wno-fatal",   "-O3",
                                     "--top-module", kTop,
                                     "--prefix",     std::string("V") + kTop,
                                     "-Mdir",        (tmp / "obj").string(),
                                     "-o",           kExe,
                                     "-CFLAGS",      "-std=c++20 -O2 -I" + (tmp / "src").string(),
                                     "-MAKEFLAGS",   "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2"};
    if (r.trace) argv.push_back("--trace-fst");
    if (r.threads > 1) argv.insert(argv.end(), {"--threads", std::to_string(r.threads)});
    if (r.hierarchical) {
      netlist::write_file(tmp / "design" / "hier.vlt",
                          "`verilator_config\nhier_block -module \"escgen_row\"\n");
      argv.insert(argv.end(), {"--hierarchical", "hier.vlt"});
    }
    argv.push_back("-f");
    argv.push_back("files.f");
    argv.insert(argv.end(), cpp.begin(), cpp.end());
    const fs::path log = tmp / "build.log";
    {
      std::ofstream l(log);
      for (const std::string& a : argv) l << a << ' ';
      l << "\n";
    }
    const int status = run_logged(argv, log.string(), (tmp / "design").string(), [&](double s) {
      progress << fmt::format("sim: still building ({:.0f} s)\n", s) << std::flush;
    });
    if (status != 0 || !fs::exists(tmp / "obj" / kExe)) {
      const fs::path kept = root / (m.hash + ".failed.log");
      std::error_code ec;
      fs::copy_file(log, kept, fs::copy_options::overwrite_existing, ec);
      const std::string text = read_file(log);
      const bool memory = text.find("bad_alloc") != std::string::npos ||
                          text.find("signal 9") != std::string::npos ||
                          text.find("Cannot allocate memory") != std::string::npos;
      throw InternalError(fmt::format(
          "sim: the Verilator build failed (status {}); log {}:\n{}{}", status, kept.string(),
          tail_of_file(log.string(), 20),
          memory && !r.hierarchical
              ? "\nsim: Verilator ran out of memory: a flat build expands every row (about 0.5 GB "
                "per row of paper's size); try --build hierarchical"
              : ""));
    }
    fs::rename(tmp / "obj" / kExe, tmp / kExe);
    fs::remove_all(tmp / "obj");  // object files: not needed once linked
  };
  const CachedBuild cb = cached_build(root, m.hash, build, [&] {
    progress << fmt::format("sim: waiting for another escgen building {} ...\n", short_hash)
             << std::flush;
  });
  m.exe = cb.dir / kExe;
  m.built = cb.built;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (m.built) progress << fmt::format("sim: built {} in {:.1f} s\n", short_hash, m.seconds);
  return m;
}

}  // namespace escgen
