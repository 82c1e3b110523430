// The escgen command line, in process: exit statuses, one-line messages, generated files.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

#include "cli/cli.h"
#include "cli_runner.h"
#include "config/emit.h"

namespace fs = std::filesystem;

namespace {

using Result = escgen::test::CliResult;
constexpr auto run = &escgen::test::run_cli;

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("escgen_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = read(e.path());
  return files;
}

const std::string kTiny = std::string(ESCGEN_SOURCE_DIR) + "/configs/tiny.json";

}  // namespace

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(bad_configuration_exits_2_naming_file_and_key) {
  TempDir t;
  const fs::path cfg = t.path / "bad.json";
  write(cfg, R"({"tiles": 0, "rows_per_tile": 2, "row_width": 4, "input_buffer_depth": 8,
    "act_bits": 8, "basis_bits": 8, "coef_bits": 2, "max_c_in": 16, "max_c_out": 8,
    "max_k": 3, "max_d": 4, "max_w": 16})");
  Result r = run({"generate", "--config", cfg.string(), "--out", (t.path / "o").string()});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "escgen: error: " + cfg.string() + ": tiles: must be in [1, 64] (got 0)\n");
  BOOST_TEST(!fs::exists(t.path / "o"));

  r = run({"generate", "--config", (t.path / "missing.json").string(), "--out", "x"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err.find("missing.json: (file): cannot open configuration file") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2_help_exits_0) {
  BOOST_TEST(run({}).status == 2);
  BOOST_TEST(run({"frobnicate"}).status == 2);
  BOOST_TEST(run({"generate", "--out", "x"}).status == 2);  // --config required
  // A queued layer needs its input and output: refused before any file is read.
  Result q = run({"sim", "--config", "c.json", "--layer", "L", "--input", "x.npy", "--output",
                  "y.npy", "--then-layer", "L2", "--then-input", "x2.npy"});
  BOOST_TEST(q.status == 2);
  BOOST_TEST(q.err ==
             "escgen: error: sim: 1 --then-layer, 1 --then-input and 0 --then-output: give one of "
             "each per queued layer\n");
  Result h = run({"--help"});
  BOOST_TEST(h.status == 0);
  BOOST_TEST(h.out.find("generate") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(generate_writes_everything_deterministically) {
  TempDir t;
  const fs::path out = t.path / "gen";
  Result r = run({"generate", "--config", kTiny, "--out", out.string()});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  BOOST_TEST(fs::exists(out / "files.f"));
  BOOST_TEST(fs::exists(out / "escgen_params.h"));
  BOOST_TEST(fs::exists(out / "config.elab.json"));
  const auto first = snapshot(out);
  // files.f lists every rtl/*.v file, one per module.
  std::istringstream list(first.at("files.f"));
  int listed = 0;
  for (std::string line; std::getline(list, line); ++listed) BOOST_TEST(first.contains(line), line);
  BOOST_TEST(listed + 3 == static_cast<int>(first.size()));
  // A stale module file in rtl/ is removed; the second run gives the same bytes.
  write(out / "rtl" / "stale_module.v", "module stale_module; endmodule\n");
  BOOST_TEST(run({"generate", "--config", kTiny, "--out", out.string()}).status == 0);
  BOOST_TEST((snapshot(out) == first));
  for (const auto& [name, text] : first)
    if (name.ends_with(".v"))
      BOOST_TEST(text.find("// Regenerate: escgen generate --config " + kTiny) !=
                 std::string::npos);
}

BOOST_AUTO_TEST_CASE(block_command) {
  TempDir t;
  Result r = run({"block", "bit_gather", "--param", "width=4", "--param", "data_bits=3", "--out",
                  t.path.string()});
  BOOST_TEST_REQUIRE(r.status == 0, r.err);
  BOOST_TEST(fs::exists(t.path / "rtl" / "escgen_bit_gather_n4_b3.v"));
  BOOST_TEST(run({"block", "bit_gather", "--param", "width=6", "--out", t.path.string()}).status ==
             2);
  BOOST_TEST(run({"block", "bit_gather", "--param", "depth=6", "--out", t.path.string()}).status ==
             2);
  BOOST_TEST(run({"block", "nope", "--out", t.path.string()}).status == 2);
  BOOST_TEST(run({"block", "--list"}).out.find("bit_gather") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(docs_config_matches_the_table) {
  Result r = run({"docs", "config"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out == escgen::config_reference_markdown());
}

BOOST_AUTO_TEST_SUITE_END()
