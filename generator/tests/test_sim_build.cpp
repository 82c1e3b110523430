// The simulator build cache without Verilator: SHA-256 test vectors, cached_build with a fake
// build (built once, concurrent callers wait and reuse, a failed build leaves nothing), the
// embedded driver sources, and the `escgen sim` / `escgen stimulus` errors that need no
// simulator.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli_runner.h"
#include "sim/build_cache.h"
#include "sim/sim_build.h"
#include "test_model_util.h"
#include "util/error.h"
#include "util/sha256.h"

namespace {

namespace fs = std::filesystem;
const std::string kTiny = std::string(ESCGEN_SOURCE_DIR) + "/configs/tiny.json";
const escgen::Verilator kVerilator{"/usr/bin/verilator", "Verilator 5.006", "/usr/share/verilator"};

// A one-file design in DIR/design (for hashing; never built), as the request for it.
escgen::SimBuildRequest one_file_design(const fs::path& dir) {
  const fs::path d = dir / "design";
  fs::create_directories(d / "rtl");
  std::ofstream(d / "files.f") << "rtl/top.v\n";
  std::ofstream(d / "rtl" / "top.v") << "module escgen_accelerator; endmodule\n";
  escgen::SimBuildRequest r;
  r.design_dir = d;
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sim_build)

BOOST_AUTO_TEST_CASE(sha256_vectors) {
  BOOST_TEST(escgen::sha256_hex("") ==
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(escgen::sha256_hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(escgen::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  BOOST_TEST(escgen::sha256_hex(std::string(1000000, 'a')) ==
             "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  escgen::Sha256 a, b;
  a.field("ab"), a.field("c");
  b.field("a"), b.field("bc");
  BOOST_TEST(a.hex() != b.hex());
}

BOOST_AUTO_TEST_CASE(cache_builds_once_under_concurrency) {
  escgen::test::ModelTempDir dir;
  std::atomic<int> builds{0}, waits{0};
  const auto build = [&](const fs::path& tmp) {
    ++builds;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::ofstream(tmp / "product") << "built";
  };
  std::vector<escgen::CachedBuild> results(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&, i] {
      results[i] = escgen::cached_build(dir.path / "cache", "k1", build, [&] { ++waits; });
    });
  for (std::thread& t : threads) t.join();
  BOOST_TEST(builds == 1);
  BOOST_TEST(waits >= 1);
  int built = 0;
  for (const escgen::CachedBuild& r : results) {
    BOOST_TEST(r.dir == dir.path / "cache" / "k1");
    built += r.built;
  }
  BOOST_TEST(built == 1);
  BOOST_TEST(escgen::test::read_bytes(dir / "cache/k1/product") == "built");
  // Reused without building; nothing but the entry and its lock file is left.
  BOOST_TEST(!escgen::cached_build(dir.path / "cache", "k1", build).built);
  BOOST_TEST(builds == 1);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path / "cache")) ++entries;
  BOOST_TEST(entries == 2);
}

BOOST_AUTO_TEST_CASE(failed_build_leaves_nothing) {
  escgen::test::ModelTempDir dir;
  const auto failing = [](const fs::path& tmp) {
    std::ofstream(tmp / "half") << "x";
    throw escgen::InternalError("compiler exploded");
  };
  BOOST_CHECK_THROW(escgen::cached_build(dir.path, "k2", failing), escgen::InternalError);
  BOOST_TEST(!fs::exists(dir.path / "k2"));
  for (const auto& e : fs::directory_iterator(dir.path))
    BOOST_TEST(e.path().filename().string().rfind("tmp.", 0) != 0);
  // The next attempt builds.
  const auto ok = [](const fs::path& tmp) { std::ofstream(tmp / "p") << "y"; };
  BOOST_TEST(escgen::cached_build(dir.path, "k2", ok).built);
}

BOOST_AUTO_TEST_CASE(embedded_driver_sources) {
  std::vector<std::string> names;
  for (const escgen::SimSource& s : escgen::sim_driver_sources()) {
    names.push_back(s.name);
    BOOST_TEST(std::string(s.text).size() > 100u);
  }
  for (const char* n : {"sim_main.cpp", "driver.h", "regmap.h", "stim_files.cpp"})
    BOOST_TEST((std::find(names.begin(), names.end(), n) != names.end()), n);
}

BOOST_AUTO_TEST_CASE(thread_count_in_hash) {
  // --threads 1 keeps the hash of a plain build (no rebuild of existing caches); more threads
  // are separate entries, one per count.
  escgen::test::ModelTempDir dir;
  escgen::SimBuildRequest r = one_file_design(dir.path);
  const escgen::Verilator& v = kVerilator;
  const std::string plain = escgen::sim_model_hash(r, v);
  r.threads = 1;
  BOOST_TEST(escgen::sim_model_hash(r, v) == plain);
  r.threads = 2;
  const std::string two = escgen::sim_model_hash(r, v);
  BOOST_TEST(two != plain);
  r.threads = 3;
  BOOST_TEST(escgen::sim_model_hash(r, v) != two);
  BOOST_TEST(escgen::sim_model_hash(r, v) != plain);
}

BOOST_AUTO_TEST_CASE(hierarchical_build) {
  // A hierarchical build is a separate cache entry; a flat one keeps the hash of before. Tracing
  // needs a flat build: refused before anything is built.
  escgen::test::ModelTempDir dir;
  escgen::SimBuildRequest r = one_file_design(dir.path);
  const escgen::Verilator& v = kVerilator;
  r.cache_root = dir / "cache";
  const std::string flat = escgen::sim_model_hash(r, v);
  r.hierarchical = true;
  BOOST_TEST(escgen::sim_model_hash(r, v) != flat);
  r.trace = true;
  std::ostringstream progress;
  BOOST_CHECK_EXCEPTION(escgen::build_sim_model(r, v, progress), escgen::InputError,
                        [](const escgen::InputError& e) {
                          return std::string(e.what()).find("flat build") != std::string::npos;
                        });
  BOOST_TEST(!fs::exists(dir / "cache"));
}

BOOST_AUTO_TEST_CASE(out_of_memory_hint) {
  // A flat build whose Verilator runs out of memory (a fake verilator printing what Verilator
  // 5.006 printed on paper) names the hierarchical build; a hierarchical one does not.
  escgen::test::ModelTempDir dir;
  const fs::path fake = dir.path / "fake_verilator";
  std::ofstream(fake) << "#!/bin/sh\necho \"terminate called after throwing an instance of "
                         "'std::bad_alloc'\"\nexit 255\n";
  fs::permissions(fake, fs::perms::owner_all);
  const escgen::Verilator v{fake.string(), "Verilator 5.006", "/usr/share/verilator"};
  for (const bool hier : {false, true}) {
    escgen::SimBuildRequest r = one_file_design(dir.path);
    r.cache_root = dir.path / "cache";
    r.hierarchical = hier;
    std::ostringstream progress;
    try {
      escgen::build_sim_model(r, v, progress);
      BOOST_FAIL("the fake build succeeded");
    } catch (const escgen::InternalError& e) {
      const std::string m = e.what();
      BOOST_TEST(m.find("bad_alloc") != std::string::npos);
      BOOST_TEST((m.find("try --build hierarchical") != std::string::npos) == !hier, m);
    }
  }
}

BOOST_AUTO_TEST_CASE(cache_root) {
  const char* old = std::getenv("ESCGEN_CACHE");
  const std::string saved = old ? old : "";
  setenv("ESCGEN_CACHE", "/somewhere/c", 1);
  BOOST_TEST(escgen::default_cache_root() == fs::path("/somewhere/c"));
  unsetenv("ESCGEN_CACHE");
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const std::string saved_xdg = xdg ? xdg : "";
  setenv("XDG_CACHE_HOME", "/x", 1);
  BOOST_TEST(escgen::default_cache_root() == fs::path("/x/escgen"));
  if (xdg)
    setenv("XDG_CACHE_HOME", saved_xdg.c_str(), 1);
  else
    unsetenv("XDG_CACHE_HOME");
  if (old) setenv("ESCGEN_CACHE", saved.c_str(), 1);
}

BOOST_AUTO_TEST_CASE(cli_errors) {
  escgen::test::ModelTempDir dir;
  const std::string l = dir / "L";
  BOOST_TEST(escgen::test::run_cli({"layer", "random", "--out", l, "--seed", "1", "--c-in", "20"})
                 .status == 0);
  // Does not fit: exit 2 before anything is built.
  auto r = escgen::test::run_cli(
      {"sim", "--config", kTiny, "--layer", l, "--input", l + "/x.npy", "--output", dir / "y.npy"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "escgen: error: " + l +
                          "/layer.json: c_in: 20 exceeds the configuration's "
                          "max_c_in 16 (" +
                          kTiny + ")\n");
  r = escgen::test::run_cli({"stimulus", "write", "--config", kTiny, "--layer", l, "--input",
                             l + "/x.npy", "--out", dir / "S"});
  BOOST_TEST(r.status == 2);
  // Missing Verilator: exit 2 with a clear message.
  BOOST_TEST(
      escgen::test::run_cli({"layer", "random", "--out", l, "--seed", "1", "--d", "4"}).status ==
      0);
  const std::string path = std::getenv("PATH");
  setenv("PATH", "/nonexistent", 1);
  r = escgen::test::run_cli(
      {"sim", "--config", kTiny, "--layer", l, "--input", l + "/x.npy", "--output", dir / "y.npy"});
  setenv("PATH", path.c_str(), 1);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err.find("sim: verilator not found on PATH") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(stimulus_cli_round_trip) {
  // write, then decode a hand-written out.hex with --input: mismatch exit 1 naming the index.
  escgen::test::ModelTempDir dir;
  const std::string l = dir / "L";
  BOOST_TEST(
      escgen::test::run_cli({"layer",   "random", "--out", l,   "--seed",   "2",  "--c-in", "3",
                             "--c-out", "1",      "--h",   "3", "--w",      "3",  "--k",    "1",
                             "--pad",   "0",      "--d",   "1", "--output", "raw"})
          .status == 0);
  auto r = escgen::test::run_cli({"stimulus", "write", "--config", kTiny, "--layer", l, "--input",
                                  l + "/x.npy", "--out", dir / "S"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out.find("9 output beats expected (66 bits)") != std::string::npos);
  std::string zeros;
  for (int i = 0; i < 9; ++i) zeros += std::string(17, '0') + "\n";
  escgen::test::write_bytes(dir / "S/out.hex", zeros);
  r = escgen::test::run_cli({"stimulus", "decode", "--config", kTiny, "--layer", l, "--stim",
                             dir / "S", "--output", dir / "y.npy"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out.find("not checked") != std::string::npos);
  r = escgen::test::run_cli({"stimulus", "decode", "--config", kTiny, "--layer", l, "--stim",
                             dir / "S", "--output", dir / "y.npy", "--input", l + "/x.npy"});
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.err.find("sim: the RTL differs from the golden model at (o, y, x) = (0, ") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
