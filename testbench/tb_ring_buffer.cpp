// Ring input buffer testbench: each generated buffer (Verilated, 4 shapes: 1 to 6 readers,
// depths 2 to 13, 4- to 80-bit entries) runs against blocks::RingBufferModel cycle for cycle
// (in_ready, every out_valid and out_data) while readers take items at independent random
// speeds that change every phase. Independent of the model, a scoreboard checks each reader
// receives exactly the written sequence (no entry lost, duplicated or overwritten early), full
// back-pressure is counted and must occur, readers must drift apart by the buffer depth, a
// drain with every reader ready must finish within a fixed bound (no deadlock), and without
// stalls one entry per cycle goes in and out of every reader.
#define BOOST_TEST_MODULE escgen ring buffer testbench
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

#include "blocks/ring_buffer.h"
#include "common/ports.h"
#include "common/stream_bench.h"
#include "tb_ring_buffer_shapes.h"

namespace {

using escgen::blocks::RingBufferModel;
using escgen::blocks::RingBufferParams;
using escgen::tb::chance;
using escgen::tb::get_field;
using escgen::tb::payload_is;
using escgen::tb::set_field;
using escgen::tb::set_payload;
using escgen::tb::tick;

template <class Dut>
class RingBench {
 public:
  RingBench(const RingBufferParams& p, uint64_t seed)
      : p_(p),
        rng_(seed),
        model_(p),
        next_(static_cast<size_t>(p.readers), 0),
        speed_(static_cast<size_t>(p.readers), 100) {
    ctx_ = std::make_unique<VerilatedContext>();
    dut_ = std::make_unique<Dut>(ctx_.get());
    dut_->rst_n = 0;
    dut_->in_valid = 0;
    tick(*dut_);
    dut_->rst_n = 1;
  }
  ~RingBench() { dut_->final(); }

  // Per-reader probability of being ready, percent.
  void set_speeds(std::vector<int> s) { speed_ = std::move(s); }
  void random_speeds() {
    static const int kSpeeds[] = {3, 10, 30, 60, 90, 100};
    for (int& s : speed_) s = kSpeeds[rng_() % 6];
  }

  bool run(int valid_pct, int n) {
    for (int c = 0; c < n; ++c)
      if (!cycle(chance(rng_, valid_pct), true)) return false;
    return true;
  }

  // No new entries, every reader ready: everything written must reach every reader within
  // depth + 3 cycles.
  bool drain() {
    const int bound = p_.depth + 3;
    for (int c = 0; c <= bound; ++c) {
      bool done = !src_valid_;
      for (uint64_t n : next_) done &= n == written_;
      if (done && model_.held() == 0) return true;
      if (!cycle(false, false)) return false;
    }
    BOOST_ERROR("ring buffer not drained within " << bound << " cycles");
    return false;
  }

  long writes() const { return static_cast<long>(written_); }
  long cycles = 0, full_stalls = 0, reads = 0;
  uint64_t max_drift = 0;

 private:
  bool cycle(bool offer, bool random_ready) {
    const int nr = p_.readers, w = p_.entry_bits;
    if (!src_valid_ && offer) {
      src_valid_ = true;
      src_token_ = next_token_++;
    }
    dut_->in_valid = src_valid_;
    set_payload(dut_->in_data, 0, w, src_valid_ ? src_token_ : rng_() | (1ull << 63));
    std::vector<bool> ready(static_cast<size_t>(nr));
    for (int r = 0; r < nr; ++r) {
      ready[static_cast<size_t>(r)] = !random_ready || chance(rng_, speed_[static_cast<size_t>(r)]);
      set_field(dut_->out_ready, r, 1, ready[static_cast<size_t>(r)]);
    }
    dut_->eval();
    ++cycles;

    if (static_cast<bool>(dut_->in_ready) != model_.in_ready()) {
      BOOST_ERROR("cycle " << cycles << ": in_ready " << int(dut_->in_ready) << ", model "
                           << model_.in_ready() << " (" << model_.held() << " held)");
      return false;
    }
    for (int r = 0; r < nr; ++r) {
      const bool v = get_field(dut_->out_valid, r, 1);
      if (v != model_.out_valid(r) ||
          (v && !payload_is(dut_->out_data, r * w, w, model_.out_data(r)))) {
        BOOST_ERROR("cycle " << cycles << ": reader " << r << " output differs from the model");
        return false;
      }
      if (v && ready[static_cast<size_t>(r)]) {  // scoreboard: the next written entry, in order
        uint64_t& n = next_[static_cast<size_t>(r)];
        if (n >= written_ || !payload_is(dut_->out_data, r * w, w, tokens_[n])) {
          BOOST_ERROR("cycle " << cycles << ": reader " << r << " got a wrong entry (expected #"
                               << n << " of " << written_ << ")");
          return false;
        }
        ++n;
        ++reads;
      }
    }
    const auto [lo, hi] = std::minmax_element(next_.begin(), next_.end());
    max_drift = std::max(max_drift, *hi - *lo);
    const bool offered = src_valid_;
    full_stalls += offered && !dut_->in_ready;
    if (offered && dut_->in_ready) {
      tokens_.push_back(src_token_);
      ++written_;
      src_valid_ = false;
    }
    model_.step(offered, src_token_, ready);
    tick(*dut_);
    return true;
  }

  RingBufferParams p_;
  std::mt19937_64 rng_;
  RingBufferModel model_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Dut> dut_;
  std::vector<uint64_t> tokens_;  // every entry written, in order
  uint64_t written_ = 0;
  std::vector<uint64_t> next_;  // per reader: index of the next entry it must receive
  std::vector<int> speed_;
  bool src_valid_ = false;
  uint64_t src_token_ = 0, next_token_ = 1;
};

template <class Shape>
void run_ring() {
  using Dut = typename Shape::Model;
  const RingBufferParams& p = Shape::params;
  RingBench<Dut> tb(p, static_cast<uint64_t>(p.depth * 7919 + p.entry_bits * 31 + p.readers));
  constexpr int kPhases = 48, kPhaseCycles = 2000;
  for (int ph = 0; ph < kPhases; ++ph) {
    tb.random_speeds();
    if (ph % 6 == 0) {  // one reader much slower than the others: the others drift ahead
      std::vector<int> s(static_cast<size_t>(p.readers), 100);
      s[static_cast<size_t>(ph / 6) % s.size()] = 5;
      tb.set_speeds(s);
    }
    if (!tb.run(ph % 4 == 3 ? 30 : 90, kPhaseCycles)) return;
  }
  BOOST_TEST(tb.full_stalls > 0);  // the buffer filled and back-pressured the writer
  if (p.readers > 1) BOOST_TEST(tb.max_drift >= static_cast<uint64_t>(p.depth));
  if (!tb.drain()) return;
  BOOST_TEST(tb.reads == tb.writes() * p.readers);

  // Never stalled: one entry per cycle in, and (after two cycles) one per cycle to every reader.
  const long w0 = tb.writes(), r0 = tb.reads;
  constexpr int kFree = 1000;
  tb.set_speeds(std::vector<int>(static_cast<size_t>(p.readers), 100));
  if (!tb.run(100, kFree) || !tb.drain()) return;
  BOOST_TEST(tb.writes() - w0 == kFree);
  BOOST_TEST(tb.reads - r0 == static_cast<long>(kFree) * p.readers);
  BOOST_TEST(tb.cycles > 0);
  BOOST_TEST_MESSAGE("ring_buffer d"
                     << p.depth << " b" << p.entry_bits << " r" << p.readers << ": " << tb.cycles
                     << " cycles, " << tb.writes() << " entries written, " << tb.reads << " reads, "
                     << tb.full_stalls << " full stalls, max drift " << tb.max_drift);
}

}  // namespace

namespace shapes = escgen::tb::shapes;

BOOST_AUTO_TEST_SUITE(ring_buffer)
BOOST_AUTO_TEST_CASE(depth_2_one_reader) {
  run_ring<shapes::ring_d2_b4_r1>();
}
BOOST_AUTO_TEST_CASE(depth_3_three_readers) {
  run_ring<shapes::ring_d3_b8_r3>();
}
BOOST_AUTO_TEST_CASE(depth_4_two_readers) {
  run_ring<shapes::ring_d4_b8_r2>();
}
BOOST_AUTO_TEST_CASE(depth_13_six_readers_80_bits) {
  run_ring<shapes::ring_d13_b80_r6>();
}
BOOST_AUTO_TEST_SUITE_END()
