// The simulation driver (testbench/sim) against a C++ mock of the accelerator top: every beat of
// the stimulus reaches the ports in order, output beats are collected, seeded stalls are
// deterministic and cost cycles, a hang names the stuck stream and STATUS, STATUS.error names
// the failing check; the stimulus file reader agrees with BitVec; options.
#include <boost/test/unit_test.hpp>

#include <set>

#include "config/config.h"
#include "driver.h"
#include "interface/stimulus.h"
#include "mock_accelerator.h"
#include "model/random_layer.h"
#include "sim_report.h"
#include "test_model_util.h"
#include "util/error.h"

namespace {

namespace sim = escgen::sim;
using escgen::test::MockAccelerator;

const std::string kTiny = std::string(ESCGEN_SOURCE_DIR) + "/configs/tiny.json";

struct Fixture {
  escgen::test::ModelTempDir dir;
  escgen::Stimulus stim;
  sim::StimFiles files;
  Fixture() {
    const escgen::Config c = escgen::Config::from_file(kTiny);
    escgen::RandomLayerSpec spec;
    spec.c_in = 6, spec.c_out = 3, spec.h = 4, spec.w = 3, spec.k = 3, spec.pad = 1, spec.d = 3;
    const escgen::RandomLayer r = escgen::random_layer(spec, 5);
    stim = escgen::build_stimulus(c, r.layer, r.x);
    escgen::write_stimulus(dir.path, stim);
    files = sim::read_stim_dir(dir.path.string());
  }
};

std::string failure_of(MockAccelerator& m, const sim::StimFiles& f, const sim::SimOptions& o) {
  try {
    sim::Driver<MockAccelerator>(m, f, o).run();
  } catch (const sim::SimFailure& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sim_driver)

BOOST_AUTO_TEST_CASE(runs_a_layer) {
  Fixture f;
  for (uint64_t seed : {1, 2, 3}) {
    MockAccelerator m;
    sim::SimOptions o;
    o.seed = seed;
    const sim::SimResult r = sim::Driver<MockAccelerator>(m, f.files, o).run();
    // Register writes in order (the last one start), after the ID read.
    BOOST_TEST(m.writes.size() == f.stim.regs.size());
    for (size_t i = 0; i < m.writes.size(); ++i) {
      BOOST_TEST(m.writes[i].first == f.stim.regs[i].addr);
      BOOST_TEST(m.writes[i].second == f.stim.regs[i].data);
    }
    BOOST_TEST_REQUIRE(m.wgt_seen.size() == f.stim.wgt.size());
    for (size_t i = 0; i < m.wgt_seen.size(); ++i)
      BOOST_TEST(m.wgt_seen[i] == f.stim.wgt[i].get(0, 54));
    BOOST_TEST_REQUIRE(m.act_seen.size() == f.stim.act.size());
    for (size_t i = 0; i < m.act_seen.size(); ++i)
      BOOST_TEST(m.act_seen[i] == f.stim.act[i].get(0, 36));
    BOOST_TEST_REQUIRE(r.out.count == static_cast<size_t>(f.stim.out_beats));
    for (size_t i = 0; i < r.out.count; ++i) {
      BOOST_TEST(r.out.beat(i)[0] == i);
      BOOST_TEST(r.out.beat(i)[2] == 0u);
    }
    BOOST_TEST(r.counters.size() == 8u);
    BOOST_TEST(r.counters[0].first == "CYCLES");
    BOOST_TEST(r.counters[0].second > 0u);
    BOOST_TEST(r.cycles >= r.counters[0].second);
    BOOST_TEST(r.cycles < r.counters[0].second + 20);
    BOOST_TEST(r.counters[6].first == "OUT_STALL");
    BOOST_TEST(r.counters[6].second > 0u);  // back-pressure happened
  }
}

// Three layers queued in one stimulus (append_stimulus): the driver writes each later start
// only once STATUS.queued is clear, every beat reaches the mock in order, cycles count from the
// first start; with --no-queue-wait the third start meets a queued one and answers SLVERR.
BOOST_AUTO_TEST_CASE(queued_layers) {
  const escgen::Config c = escgen::Config::from_file(kTiny);
  escgen::Stimulus stim;
  std::vector<escgen::Stimulus> parts;
  for (int i = 0; i < 3; ++i) {
    escgen::RandomLayerSpec spec;
    spec.c_in = 6 - i, spec.c_out = 3 + i, spec.h = 4, spec.w = 3 + i, spec.k = 3, spec.pad = 1;
    spec.d = 3 - i;
    const escgen::RandomLayer r = escgen::random_layer(spec, static_cast<uint64_t>(20 + i));
    parts.push_back(escgen::build_stimulus(c, r.layer, r.x));
    if (i == 0)
      stim = parts[0];
    else
      escgen::append_stimulus(stim, parts.back());
  }
  BOOST_TEST(stim.regs.size() == 3 * parts[0].regs.size());
  BOOST_TEST(stim.wgt.size() == parts[0].wgt.size() + parts[1].wgt.size() + parts[2].wgt.size());
  BOOST_TEST(stim.out_beats == parts[0].out_beats + parts[1].out_beats + parts[2].out_beats);
  escgen::test::ModelTempDir dir;
  escgen::write_stimulus(dir.path, stim);
  const sim::StimFiles files = sim::read_stim_dir(dir.path.string());
  for (uint64_t seed : {1, 2}) {
    MockAccelerator m;
    sim::SimOptions o;
    o.seed = seed;
    const sim::SimResult r = sim::Driver<MockAccelerator>(m, files, o).run();
    BOOST_TEST(m.writes.size() == stim.regs.size());
    BOOST_TEST_REQUIRE(m.wgt_seen.size() == stim.wgt.size());
    for (size_t i = 0; i < m.wgt_seen.size(); ++i)
      BOOST_TEST(m.wgt_seen[i] == stim.wgt[i].get(0, 54));
    BOOST_TEST_REQUIRE(m.act_seen.size() == stim.act.size());
    BOOST_TEST(r.out.count == static_cast<size_t>(stim.out_beats));
    // The mock's CYCLES runs from the first start over all three layers.
    BOOST_TEST(r.cycles >= r.counters[0].second);
    BOOST_TEST(r.cycles < r.counters[0].second + 20);
  }
  MockAccelerator m;
  sim::SimOptions o;
  o.queue_wait = false;
  BOOST_TEST(failure_of(m, files, o) ==
             "AXI4-Lite: write of 0x00000001 to 0x00000000 answered bresp 2");
  // Beat widths must agree.
  escgen::Stimulus other = parts[1];
  other.wgt_bits += 1;
  BOOST_CHECK_THROW(escgen::append_stimulus(other, parts[2]), escgen::InternalError);
}

BOOST_AUTO_TEST_CASE(stalls_are_seeded) {
  Fixture f;
  auto cycles = [&](uint64_t seed, bool no_stall) {
    MockAccelerator m;
    sim::SimOptions o;
    o.seed = seed;
    if (no_stall) o.valid_prob = o.ready_prob = 1.0;
    const sim::SimResult r = sim::Driver<MockAccelerator>(m, f.files, o).run();
    if (no_stall) BOOST_TEST(r.counters[6].second == 0u);
    return r.cycles;
  };
  BOOST_TEST(cycles(7, false) == cycles(7, false));
  std::set<uint64_t> distinct;
  for (uint64_t seed = 7; seed < 13; ++seed) distinct.insert(cycles(seed, false));
  BOOST_TEST(distinct.size() > 1u);
  BOOST_TEST(cycles(7, true) < cycles(7, false));
}

BOOST_AUTO_TEST_CASE(hang_names_the_stream) {
  Fixture f;
  MockAccelerator m;
  m.stop_act_after = 3;
  sim::SimOptions o;
  o.max_cycles = 5000;
  const std::string e = failure_of(m, f.files, o);
  BOOST_TEST_MESSAGE(e);
  BOOST_TEST(e.find("timeout after 5000 cycles (limit 5000, --max-cycles): ") == 0u);
  BOOST_TEST(e.find("input stream at beat 3 of 48, no transfer since cycle") != std::string::npos);
  BOOST_TEST(e.find("(tvalid high, tready low)") != std::string::npos);
  BOOST_TEST(e.find("output stream at beat 0 of 24") != std::string::npos);
  BOOST_TEST(e.find("weight stream") == std::string::npos);  // complete: not named
  BOOST_TEST(e.find("; STATUS 0x00000001 (busy)") != std::string::npos);
  // The default limit is 64 x beats + 100000.
  BOOST_TEST(sim::default_cycle_limit(f.files) ==
             64 * (f.stim.wgt.size() + f.stim.act.size() + 24) + 100000);
}

BOOST_AUTO_TEST_CASE(status_error) {
  Fixture f;
  f.files.regs[0].second = 99;  // C_IN beyond the mock's limit
  MockAccelerator m;
  BOOST_TEST(failure_of(m, f.files, {}) ==
             "STATUS.error set (0x00000104 (error 1 (C_IN))): the accelerator refused the layer, "
             "first failing check 1 (C_IN)");
}

BOOST_AUTO_TEST_CASE(stim_files_and_hex) {
  escgen::Rng rng(11);
  for (int bits = 1; bits < 140; bits += 3) {
    escgen::BitVec v(bits);
    for (int lsb = 0; lsb < bits; lsb += 16) v.set(lsb, std::min(16, bits - lsb), rng.next());
    std::vector<uint32_t> words;
    BOOST_TEST_REQUIRE(sim::parse_hex_beat(v.to_hex(), bits, words));
    BOOST_TEST(words.size() == static_cast<size_t>((bits + 31) / 32));
    for (size_t i = 0; i < words.size(); ++i)
      BOOST_TEST(words[i] ==
                 v.get(static_cast<int>(32 * i), std::min(32, bits - static_cast<int>(32 * i))));
    BOOST_TEST(sim::hex_beat(words.data(), bits) == v.to_hex());
  }
  std::vector<uint32_t> w;
  BOOST_TEST(!sim::parse_hex_beat("4", 2, w));   // wider than 2 bits
  BOOST_TEST(!sim::parse_hex_beat("01", 2, w));  // too many digits
  BOOST_TEST(!sim::parse_hex_beat("z", 2, w));
  Fixture f;
  BOOST_TEST(f.files.regs.size() == 10u);
  BOOST_TEST(f.files.wgt.count == f.stim.wgt.size());
  BOOST_TEST(f.files.act.bits == 36);
  BOOST_TEST(f.files.out_bits == 66);
  escgen::test::write_bytes(f.dir / "act.hex", "000000000\n");
  try {
    (void)sim::read_stim_dir(f.dir.path.string());
    BOOST_FAIL("no error");
  } catch (const sim::UsageError& e) {
    BOOST_TEST(std::string(e.what()) == f.dir / "act.hex" + ": 1 lines, meta.txt says 48");
  }
}

BOOST_AUTO_TEST_CASE(options) {
  sim::SimOptions o;
  const char* argv[] = {"x", "D", "--seed", "9", "--no-stall", "--max-cycles", "77"};
  BOOST_TEST(sim::parse_options(7, argv, o));
  BOOST_TEST(o.stim_dir == "D");
  BOOST_TEST(o.seed == 9u);
  BOOST_TEST(o.valid_prob == 1.0);
  BOOST_TEST(o.out_file == "D/out.hex");
  BOOST_TEST(o.stats_file == "D/stats.json");
  BOOST_TEST(o.max_cycles == 77u);
  sim::SimOptions p;
  const char* bad[] = {"x", "D", "--ready-prob", "0"};
  BOOST_CHECK_THROW(sim::parse_options(4, bad, p), sim::UsageError);
  const char* unknown[] = {"x", "D", "--fast"};
  BOOST_CHECK_THROW(sim::parse_options(3, unknown, p), sim::UsageError);
}

BOOST_AUTO_TEST_SUITE_END()
