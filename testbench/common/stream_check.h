// Runs a block with one valid/ready input stream and one valid/ready output stream against an
// expected output sequence (computed by the block's C++ model): a source that offers the items
// in order with random gaps (valid and payload held until accepted; random payload while idle),
// a sink with random ready, a scoreboard (outputs equal the expected list, in order, none lost,
// none extra), and the stream rules: a stalled output keeps valid and payload; out_valid does not
// depend combinationally on out_ready.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

namespace escgen::tb {

using Fields = std::vector<uint64_t>;  // an output item as the testbench reads it

inline bool percent(std::mt19937_64& rng, int pct) {
  return static_cast<int>(rng() % 100) < pct;
}

// Probability (percent) that the source offers an item in a cycle and that the sink is ready.
struct Flow {
  int valid_pct;
  int ready_pct;
};

inline std::string show(const Fields& f) {
  std::ostringstream s;
  for (uint64_t x : f) s << x << ' ';
  return s.str();
}

template <class Dut>
struct StreamHooks {
  std::function<void(Dut&, size_t)> drive;               // applies input item i
  std::function<void(Dut&, std::mt19937_64&)> scramble;  // random payload, in_valid low
  std::function<Fields(const Dut&)> read;                // the output payload
};

struct StreamStats {
  long cycles = 0, in_transfers = 0, out_transfers = 0;
};

// Resets the block (synchronous, active low) for one clock.
template <class Dut>
void reset(Dut& dut) {
  dut.rst_n = 0;
  dut.in_valid = 0;
  dut.out_ready = 0;
  dut.clk = 0;
  dut.eval();
  dut.clk = 1;
  dut.eval();
  dut.rst_n = 1;
}

// Random traffic with random payloads for `cycles` cycles (the block fills with junk), then a
// reset: every run starts from a reset taken in a busy state, not from the simulator's zeros.
template <class Dut>
bool busy_reset(Dut& dut, const StreamHooks<Dut>& hooks, std::mt19937_64& rng, int cycles) {
  for (int c = 0; c < cycles; ++c) {
    hooks.scramble(dut, rng);
    dut.in_valid = percent(rng, 70);
    dut.out_ready = percent(rng, 50);
    dut.clk = 0;
    dut.eval();
    dut.clk = 1;
    dut.eval();
  }
  reset(dut);
  dut.clk = 0;
  dut.eval();
  if (dut.out_valid) {
    BOOST_ERROR("out_valid is set after reset");
    return false;
  }
  return true;
}

// Resets `dut` from a busy state, then streams `items` inputs through it under `flow`; returns
// false after the first error (reported with BOOST_ERROR). Stops when every expected output
// arrived, then idles 8 cycles with the sink ready to catch extra outputs.
template <class Dut>
bool run_stream(Dut& dut, const StreamHooks<Dut>& hooks, size_t items,
                const std::vector<Fields>& expected, Flow flow, std::mt19937_64& rng,
                StreamStats* stats = nullptr, long max_cycles = 1'000'000) {
  if (!busy_reset(dut, hooks, rng, 40)) return false;
  size_t next_in = 0, next_out = 0;
  bool offering = false, stalled = false;
  Fields held;
  long idle_after = -1;
  for (long cyc = 0; cyc < max_cycles; ++cyc) {
    if (!offering && next_in < items && percent(rng, flow.valid_pct)) offering = true;
    dut.in_valid = offering;
    if (offering)
      hooks.drive(dut, next_in);
    else
      hooks.scramble(dut, rng);
    const bool ready = idle_after >= 0 || percent(rng, flow.ready_pct);
    dut.clk = 0;
    dut.out_ready = !ready;
    dut.eval();
    const bool valid_other = dut.out_valid;
    dut.out_ready = ready;
    dut.eval();
    if (static_cast<bool>(dut.out_valid) != valid_other) {
      BOOST_ERROR("cycle " << cyc << ": out_valid depends combinationally on out_ready");
      return false;
    }
    if (stalled && (!dut.out_valid || hooks.read(dut) != held)) {
      BOOST_ERROR("cycle " << cyc << ": a stalled output changed (valid " << int(dut.out_valid)
                           << ", payload " << show(hooks.read(dut)) << ", was " << show(held)
                           << ")");
      return false;
    }
    const bool in_fire = offering && dut.in_ready;
    const bool out_fire = dut.out_valid && ready;
    if (out_fire) {
      const Fields got = hooks.read(dut);
      if (next_out >= expected.size()) {
        BOOST_ERROR("cycle " << cyc << ": unexpected output " << show(got) << " after "
                             << expected.size() << " expected outputs");
        return false;
      }
      if (got != expected[next_out]) {
        BOOST_ERROR("cycle " << cyc << ": output " << next_out << " is " << show(got) << "\n  want "
                             << show(expected[next_out]));
        return false;
      }
      ++next_out;
    }
    stalled = dut.out_valid && !ready;
    if (stalled) held = hooks.read(dut);
    dut.clk = 1;
    dut.eval();
    if (in_fire) {
      ++next_in;
      offering = false;
    }
    if (stats) {
      ++stats->cycles;
      stats->in_transfers += in_fire;
      stats->out_transfers += out_fire;
    }
    if (idle_after < 0 && next_in == items && next_out == expected.size()) idle_after = cyc;
    if (idle_after >= 0 && cyc - idle_after >= 8) return true;
  }
  BOOST_ERROR("timeout: " << next_in << " of " << items << " inputs taken, " << next_out << " of "
                          << expected.size() << " outputs seen");
  return false;
}

}  // namespace escgen::tb
