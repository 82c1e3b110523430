// The synthesis flow without the tools: Yosys stat and OpenSTA log parsers on captured output
// (tests/fixtures/synth/, from `escgen synth --config configs/tiny.json`), the liberty scanner,
// the instance tree, and `escgen synth` option and tool errors (exit 2 / exit 1).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "cli_runner.h"
#include "synth/hierarchy.h"
#include "synth/liberty_info.h"
#include "synth/limiters.h"
#include "synth/sta_log.h"
#include "synth/yosys_stat.h"
#include "util/error.h"

namespace fs = std::filesystem;
using namespace escgen::synth;

namespace {

const fs::path kFixtures = fs::path(ESCGEN_SOURCE_DIR) / "generator/tests/fixtures/synth";
const std::string kTiny = std::string(ESCGEN_SOURCE_DIR) + "/configs/tiny.json";

std::string fixture(const std::string& name) {
  std::ifstream in(kFixtures / name, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "missing fixture " << name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_dir() {
  static int n = 0;
  const fs::path p = fs::temp_directory_path() /
                     ("escgen_synth_test_" + std::to_string(getpid()) + "_" + std::to_string(n++));
  fs::remove_all(p);
  return p.string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(synth)

BOOST_AUTO_TEST_CASE(yosys_stat_liberty) {
  const YosysStat s = parse_yosys_stat(fixture("yosys_stat_tiny_osu018.txt"));
  BOOST_TEST(s.modules.size() == 4u);
  BOOST_TEST(s.top == "escgen_bit_gather_n4_b8");
  BOOST_TEST(!s.transistors);
  const StatModule* top = s.find("escgen_bit_gather_n4_b8");
  BOOST_REQUIRE(top);
  BOOST_TEST(top->area == 4896.0);
  BOOST_TEST(top->cells == 76);
  BOOST_TEST(top->cell_counts.at("DFFPOSX1") == 40);
  BOOST_TEST(top->cell_counts.at("escgen_bit_gather_stage_n4_b8_s1") == 1);
  BOOST_TEST(s.find("escgen_bit_gather_scan_n4")->area == 566.0);
  BOOST_TEST(s.total.area == 9052.0);
  BOOST_TEST(s.total.cells == 226);
  BOOST_TEST(s.total.cell_counts.at("INVX1") == 56);
  BOOST_TEST(!s.total.cell_counts.contains("escgen_bit_gather_scan_n4"));
  BOOST_REQUIRE(s.hierarchy.size() == 4u);
  BOOST_TEST(s.hierarchy[0].depth == 0);
  BOOST_TEST(s.hierarchy[1].depth == 1);
  BOOST_TEST(s.hierarchy[3].module == "escgen_bit_gather_stage_n4_b8_s2");
}

BOOST_AUTO_TEST_CASE(yosys_stat_generic) {
  const YosysStat s = parse_yosys_stat(fixture("yosys_stat_tiny_generic.txt"));
  BOOST_TEST(s.transistors);
  BOOST_TEST(s.find("escgen_bit_gather_n4_b8")->area == 844.0);  // "844+": submodules unknown
  BOOST_TEST(s.total.area == 1590.0);
  BOOST_TEST(s.total.cell_counts.at("$_DFF_P_") == 40);
  BOOST_TEST(s.top == "escgen_bit_gather_n4_b8");
}

BOOST_AUTO_TEST_CASE(yosys_stat_single_module_and_garbage) {
  const YosysStat s = parse_yosys_stat(
      "=== m ===\n\n   Number of cells:                  3\n     INVX1   2\n     DFFPOSX1  1\n\n"
      "   Chip area for module '\\m': 128.000000\n\n");
  BOOST_TEST(s.top == "m");
  BOOST_TEST(s.total.area == 128.0);
  BOOST_TEST(s.total.cells == 3);
  BOOST_CHECK_THROW(parse_yosys_stat("ERROR: nothing here\n"), escgen::InternalError);
}

BOOST_AUTO_TEST_CASE(sta_log) {
  const StaLog log = parse_sta_log(fixture("sta_tiny_osu018.log"));
  BOOST_TEST(log.complete);
  BOOST_TEST(log.errors.empty());
  BOOST_TEST(log.clock == "port clk");
  BOOST_REQUIRE(log.worst_setup_slack_ns);
  BOOST_TEST(*log.worst_setup_slack_ns == 1.8129491754317852, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(*log.worst_hold_slack_ns == 0.08396321375823938, boost::test_tools::tolerance(1e-9));
  const auto& critical = log.paths.at("critical");
  BOOST_REQUIRE(critical);
  BOOST_TEST(critical->startpoint == "in_mask[2] (input port clocked by clk)");
  BOOST_TEST(critical->endpoint == "_42_ (rising edge-triggered flip-flop clocked by clk)");
  BOOST_TEST(critical->arrival_ns == 2.0);
  BOOST_TEST(critical->required_ns == 3.813);
  BOOST_TEST(critical->slack_ns == 1.813);
  BOOST_TEST(critical->met);
  BOOST_TEST(!log.paths.at("reg_to_reg"));
  BOOST_TEST(!log.paths.at("in_to_out"));
  BOOST_TEST(log.paths.at("reg_to_out")->slack_ns == 3.825);
  BOOST_TEST(log.paths.at("hold")->arrival_ns == 0.086);
  BOOST_REQUIRE(log.power);
  BOOST_TEST(log.power->total_w == 3.12e-03);
}

BOOST_AUTO_TEST_CASE(sta_log_errors_and_truncation) {
  std::string text = fixture("sta_tiny_osu018.log");
  text = text.substr(0, text.find("escgen: section power"));
  text += "Error: sta.tcl, 26 port 'Q' not found.\n";
  const StaLog log = parse_sta_log(text);
  BOOST_TEST(!log.complete);
  BOOST_REQUIRE(log.errors.size() == 1u);
  BOOST_TEST(log.errors[0] == "Error: sta.tcl, 26 port 'Q' not found.");
  BOOST_TEST(!log.power);
  // A violated path, and INF worst slack (nothing constrained).
  const StaLog v = parse_sta_log(
      "escgen: worst_setup_slack 1e+30\nescgen: section critical\nStartpoint: a (in)\n"
      "Endpoint: b (out)\n  1.5  1.5  data arrival time\n  1.0  1.0  data required time\n"
      "  -0.5  slack (VIOLATED)\n");
  BOOST_TEST(!v.worst_setup_slack_ns);
  BOOST_TEST(!v.paths.at("critical")->met);
  BOOST_TEST(v.paths.at("critical")->slack_ns == -0.5);
}

BOOST_AUTO_TEST_CASE(limiters) {
  const StaLog log = parse_sta_log(
      "escgen: section limiters\n"
      "escgen: limiter -2.292 6.111 u_tile0/u_row0/u_rq/_9255_/CLK u_tile0/u_row0/u_rq/b_ps[8] "
      "u_tile0/u_row0/u_rq/_9238_/D u_tile0/u_row0/u_rq/p_prod[48]\n"
      "escgen: limiter -2.290 6.109 u_tile0/u_row1/u_rq/_9255_/CLK u_tile0/u_row1/u_rq/b_ps[8] "
      "u_tile0/u_row1/u_rq/_9238_/D u_tile0/u_row1/u_rq/p_prod[48]\n"
      "escgen: limiter -0.9 4.7 u_mac/_2_/CLK u_mac/prod_3[1] u_mac/u_out/_272_/D "
      "u_mac/u_out/out_data[25]\n"
      "escgen: limiter -0.5 4.3 rst_n - u_ca/_7_/D u_ca/chunk_v\n"
      "escgen: limiter 3.5 0.5 _42_/CLK - s_act_tready -\n"
      "escgen: section hold\n");
  BOOST_REQUIRE(log.limiters.size() == 5u);
  BOOST_TEST(log.limiters[0].slack_ns == -2.292);
  BOOST_TEST(log.limiters[0].arrival_ns == 6.111);
  BOOST_TEST(log.limiters[0].start_reg == "u_tile0/u_row0/u_rq/b_ps[8]");
  BOOST_TEST(log.limiters[4].end_pin == "s_act_tready");
  BOOST_TEST(fold_register_name("u_tile0/u_row12/u_ca/acc_3[7]") == "u_tile*/u_row*/u_ca/acc_*");
  BOOST_TEST(fold_register_name("u_ring/_70080_/D") == "u_ring/_70080_/D");  // no letters
  BOOST_TEST(fold_register_name("rst_n") == "rst_n");
  const std::vector<LimiterGroup> g = group_limiters(log.limiters);
  BOOST_REQUIRE(g.size() == 4u);  // the two rows' b_ps -> p_prod fold into one group
  BOOST_TEST(g[0].from == "u_tile*/u_row*/u_rq/b_ps");
  BOOST_TEST(g[0].to == "u_tile*/u_row*/u_rq/p_prod");
  BOOST_TEST(g[0].endpoints == 2);
  BOOST_TEST(g[0].worst_slack_ns == -2.292);
  BOOST_TEST(g[0].example_end == "u_tile0/u_row0/u_rq/_9238_/D");
  BOOST_TEST(g[1].from == "u_mac/prod_*");
  BOOST_TEST(g[2].from == "rst_n");  // a port: its pin names it
  BOOST_TEST(g[2].to == "u_ca/chunk_v");
  BOOST_TEST(g[3].from == "_42_/CLK");  // a flop with no named Q net: its pin
  BOOST_TEST(g[3].to == "s_act_tready");
  BOOST_CHECK_THROW(parse_sta_log("escgen: limiter -1 2 a b c\n"), escgen::InputError);
}

BOOST_AUTO_TEST_CASE(liberty_scanner) {
  const LibertyInfo lib = parse_liberty(
      "/* cell (FAKE) { area : 1; } */ library (demo) {\n cell (NAND2X1) {\n area : 24;\n"
      " pin(A) { capacitance : 0.01; }\n }\n cell(\"DFFX\") { area: 96 ; ff (IQ, IQN) { } }\n"
      " cell (LAT) { area : 60; latch (IQ,IQN) { } }\n}\n");
  BOOST_TEST(lib.library == "demo");
  BOOST_TEST(lib.area.size() == 3u);
  BOOST_TEST(lib.area.at("DFFX") == 96.0);
  BOOST_TEST(*lib.nand2_area() == 24.0);
  BOOST_TEST(lib.flops.contains("DFFX"));
  BOOST_TEST(lib.latches.contains("LAT"));
  BOOST_TEST(!lib.flops.contains("NAND2X1"));
  BOOST_CHECK_THROW(read_liberty_info("/nonexistent.lib"), escgen::InputError);
}

BOOST_AUTO_TEST_CASE(instance_tree) {
  const YosysStat s = parse_yosys_stat(
      "=== top ===\n\n   Number of cells: 4\n     row 2\n     INVX1 2\n\n"
      "   Chip area for module '\\top': 32\n\n=== row ===\n\n   Number of cells: 2\n     mac 1\n"
      "     INVX1 1\n\n   Chip area for module '\\row': 16\n\n=== mac ===\n\n"
      "   Number of cells: 1\n     DFFPOSX1 1\n\n   Chip area for module '\\mac': 96\n\n");
  const InstanceMap inst = parse_netlist_instances(
      "module top(a);\n  INVX1 _1_ (\n  );\n  row \\u_row[0]  (\n  );\n  row u_row1 (\n  );\n"
      "endmodule\nmodule row(a);\n  mac u_mac (\n    .a(a)\n  );\nendmodule\nmodule mac(a);\n"
      "endmodule\n",
      {"top", "row", "mac"});
  BOOST_REQUIRE(inst.at("top").size() == 2u);
  BOOST_TEST(inst.at("top")[0].second == "u_row[0]");
  const InstanceNode tree = build_instance_tree("top", inst, s);
  BOOST_TEST(tree.subtree_area == 32.0 + 2 * (16.0 + 96.0));
  BOOST_TEST(tree.children[1].children[0].instance == "u_mac");
  const auto modules = module_areas(tree, s);
  BOOST_REQUIRE(modules.size() == 3u);
  BOOST_TEST(modules[1].module == "row");
  BOOST_TEST(modules[1].instances == 2);
  BOOST_TEST(modules[1].cells_each == 1);
  BOOST_TEST(modules[2].instances == 2);
  BOOST_TEST(modules[2].subtree_area_each == 96.0);
}

BOOST_AUTO_TEST_CASE(option_errors) {
  using escgen::test::run_cli;
  const std::string out = temp_dir();
  // CLI11's own conversion errors add a "Run with --help" line; escgen's are one line.
  auto expect2 = [&](std::vector<std::string> extra, const std::string& words,
                     bool one_line = true) {
    std::vector<std::string> args{"synth", "--config", kTiny, "--out", out};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_cli(args);
    BOOST_TEST(r.status == 2, words << ": " << r.err);
    BOOST_TEST(r.err.find(words) != std::string::npos, r.err);
    if (one_line) BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r.err);
  };
  const std::vector<std::string> fake{"--yosys", "/bin/true", "--sta", "/bin/true"};
  auto with_fake = [&](std::vector<std::string> v) {
    v.insert(v.end(), fake.begin(), fake.end());
    return v;
  };
  expect2({"--clock-ns", "0"}, "--clock-ns");
  expect2({"--clock-ns", "fast"}, "--clock-ns", false);
  expect2({"--input-delay-ns", "5"}, "--input-delay-ns");
  expect2({"--load-pf", "-1"}, "--load-pf");
  expect2({"--abc-delay-ps", "0"}, "--abc-delay-ps");
  expect2({"--yosys", "no-such-yosys-program"}, "no-such-yosys-program: not found");
  expect2(with_fake({"--liberty", "/nonexistent/x.lib"}), "/nonexistent/x.lib");
  expect2(with_fake({"--top", "no_such_module"}), "--top no_such_module");
  expect2(with_fake({"--driving-cell", "NOPE", "--liberty", (kFixtures / "mini.lib").string()}),
          "--driving-cell NOPE");
  BOOST_TEST(!fs::exists(out));  // nothing written before the options are checked
}

BOOST_AUTO_TEST_CASE(tool_failure_names_the_log) {
  const std::string out = temp_dir();
  const auto r = escgen::test::run_cli(
      {"synth", "--config", kTiny, "--out", out, "--liberty", "none", "--yosys", "/bin/false"});
  BOOST_TEST(r.status == 1, r.err);
  BOOST_TEST(r.err.find("yosys failed") != std::string::npos, r.err);
  BOOST_TEST(r.err.find(out + "/logs/yosys.log") != std::string::npos, r.err);
  BOOST_TEST(fs::exists(fs::path(out) / "run.sh"));
  BOOST_TEST(fs::exists(fs::path(out) / "scripts/yosys.tcl"));
  fs::remove_all(out);
}

BOOST_AUTO_TEST_SUITE_END()
