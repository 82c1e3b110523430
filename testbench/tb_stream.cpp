// Skid buffer and FIFO testbench: each generated block (Verilated, 3 skid and 5 FIFO shapes)
// runs against blocks::StreamQueueModel cycle for cycle (in_ready, out_valid, out_data, and
// count/full/empty for the FIFO) under random valid gaps and random ready stalls, while an
// independent scoreboard checks every transferred item in order (no loss, no duplication) and
// the AXI rule that a stalled output holds. Also: a synchronous reset while full, the drain
// bound, and one transfer per cycle in and out when never stalled (counted).
#define BOOST_TEST_MODULE escgen stream testbench
#include <boost/test/unit_test.hpp>

#include <deque>
#include <memory>
#include <random>

#include "blocks/stream.h"
#include "common/ports.h"
#include "common/stream_bench.h"
#include "tb_stream_shapes.h"

namespace {

using escgen::blocks::StreamQueueModel;
using escgen::tb::chance;
using escgen::tb::get_field;
using escgen::tb::payload_is;
using escgen::tb::set_payload;
using escgen::tb::tick;
using escgen::tb::Traffic;

// Status ports of the FIFO (-1 for the skid buffer, which has none).
template <class Dut>
int full_of(const Dut& d) {
  if constexpr (requires { d.full; }) return d.full;
  return -1;
}
template <class Dut>
int empty_of(const Dut& d) {
  if constexpr (requires { d.empty; }) return d.empty;
  return -1;
}

template <class Dut, bool kHasStatus>
class QueueBench {
 public:
  QueueBench(int capacity, int bits, uint64_t seed)
      : capacity_(capacity), bits_(bits), rng_(seed), model_(capacity) {
    ctx_ = std::make_unique<VerilatedContext>();
    dut_ = std::make_unique<Dut>(ctx_.get());
    reset();
  }
  ~QueueBench() { dut_->final(); }

  void reset() {
    dut_->rst_n = 0;
    dut_->in_valid = 0;
    dut_->out_ready = 0;
    tick(*dut_);
    dut_->rst_n = 1;
    model_ = StreamQueueModel(capacity_);
    sent_.clear();
    src_valid_ = held_ = false;
  }

  // `n` cycles of random traffic; false after the first mismatch (reported).
  bool run(Traffic t, int n) {
    for (int c = 0; c < n; ++c)
      if (!cycle(chance(rng_, t.valid_pct), chance(rng_, t.ready_pct))) return false;
    return true;
  }

  // No new items, sink always ready: the queue must be empty within capacity + 1 cycles.
  bool drain() {
    for (int c = 0; c <= capacity_ + 1; ++c) {
      if (!src_valid_ && model_.empty() && !dut_->out_valid) return true;
      if (!cycle(false, true)) return false;
    }
    BOOST_ERROR("queue not drained within " << capacity_ + 1 << " cycles");
    return false;
  }

  long in_fires = 0, out_fires = 0, full_stalls = 0, cycles = 0;

 private:
  bool cycle(bool offer, bool ready) {
    if (!src_valid_ && offer) {
      src_valid_ = true;
      src_token_ = next_token_++;
    }
    dut_->in_valid = src_valid_;
    // Garbage payload when not valid: the DUT must not take it.
    set_payload(dut_->in_data, 0, bits_, src_valid_ ? src_token_ : rng_() | (1ull << 63));
    dut_->out_ready = ready;
    dut_->eval();
    ++cycles;

    bool ok = static_cast<bool>(dut_->in_ready) == model_.in_ready();
    ok &= static_cast<bool>(dut_->out_valid) == model_.out_valid();
    if (ok && model_.out_valid()) ok &= payload_is(dut_->out_data, 0, bits_, model_.out_data());
    if constexpr (kHasStatus) {
      ok &= static_cast<int>(get_field(dut_->count, 0, 16)) == model_.count();
      ok &= static_cast<bool>(dut_->full) == model_.full();
      ok &= static_cast<bool>(dut_->empty) == model_.empty();
    }
    // A stalled output holds its item.
    if (held_ && !(dut_->out_valid && payload_is(dut_->out_data, 0, bits_, held_token_))) {
      BOOST_ERROR("cycle " << cycles << ": stalled output changed");
      return false;
    }
    if (!ok) {
      int count = -1;
      if constexpr (kHasStatus) count = static_cast<int>(get_field(dut_->count, 0, 16));
      BOOST_ERROR(
          "cycle " << cycles << ": DUT differs from the queue model (held " << model_.count() << "/"
                   << capacity_ << "): in_ready " << int(dut_->in_ready) << " want "
                   << model_.in_ready() << ", out_valid " << int(dut_->out_valid) << " want "
                   << model_.out_valid() << ", out_data "
                   << (model_.out_valid() && payload_is(dut_->out_data, 0, bits_, model_.out_data())
                           ? "matches"
                           : "differs")
                   << ", count/full/empty " << count << "/" << int(full_of(*dut_)) << "/"
                   << int(empty_of(*dut_)));
      return false;
    }

    const bool offered = src_valid_;
    const bool in_fire = offered && dut_->in_ready;
    const bool out_fire = dut_->out_valid && ready;
    full_stalls += src_valid_ && !dut_->in_ready;
    if (out_fire) {  // scoreboard: the oldest item sent and not yet received
      if (sent_.empty() || !payload_is(dut_->out_data, 0, bits_, sent_.front())) {
        BOOST_ERROR("cycle " << cycles << ": item out of order, lost or duplicated");
        return false;
      }
      sent_.pop_front();
      ++out_fires;
    }
    if (in_fire) {
      sent_.push_back(src_token_);
      src_valid_ = false;
      ++in_fires;
    }
    held_ = dut_->out_valid && !ready;
    held_token_ = held_ ? model_.out_data() : 0;
    const auto fired = model_.step(offered, src_token_, ready);
    if (fired.in != in_fire || fired.out != out_fire) {
      BOOST_ERROR("cycle " << cycles << ": transfers differ from the model");
      return false;
    }
    tick(*dut_);
    return true;
  }

  int capacity_, bits_;
  std::mt19937_64 rng_;
  StreamQueueModel model_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Dut> dut_;
  std::deque<uint64_t> sent_;
  bool src_valid_ = false, held_ = false;
  uint64_t src_token_ = 0, next_token_ = 1, held_token_ = 0;
};

// Capacity and status ports (count/full/empty) of each queue.
constexpr int capacity_of(const escgen::blocks::SkidBufferParams&) {
  return 2;
}
constexpr int capacity_of(const escgen::blocks::FifoParams& p) {
  return p.depth;
}
constexpr bool has_status(const escgen::blocks::SkidBufferParams&) {
  return false;
}
constexpr bool has_status(const escgen::blocks::FifoParams& p) {
  return p.with_status;
}

template <class Shape>
void run_queue() {
  constexpr int capacity = capacity_of(Shape::params), bits = Shape::params.data_bits;
  QueueBench<typename Shape::Model, has_status(Shape::params)> tb(
      capacity, bits, static_cast<uint64_t>(capacity * 1000 + bits));
  constexpr int kPhaseCycles = 5000;
  for (int round = 0; round < 2; ++round)
    for (const Traffic& t : escgen::tb::traffic_phases())
      if (!tb.run(t, kPhaseCycles)) return;
  BOOST_TEST(tb.full_stalls > 0);  // the queue did fill up

  // Never stalled: from empty, one item in per cycle and, after the latency, one out per cycle.
  if (!tb.drain()) return;
  const long in0 = tb.in_fires, out0 = tb.out_fires;
  constexpr int kFree = 1000;
  if (!tb.run({100, 100}, kFree)) return;
  BOOST_TEST(tb.in_fires - in0 == kFree);
  BOOST_TEST(tb.out_fires - out0 == kFree - 1);  // latency one clock

  // Synchronous reset while full empties it.
  if (!tb.run({100, 0}, capacity + 2)) return;
  tb.reset();
  if (!tb.run({60, 60}, 2000) || !tb.drain()) return;
  BOOST_TEST(tb.in_fires > 30000);
  BOOST_TEST_MESSAGE(Shape::name << ": " << tb.cycles << " cycles, " << tb.in_fires << " items in, "
                                 << tb.out_fires << " out, " << tb.full_stalls << " full stalls");
}

}  // namespace

namespace shapes = escgen::tb::shapes;

BOOST_AUTO_TEST_SUITE(skid_buffer)
BOOST_AUTO_TEST_CASE(payload_1_bit) {
  run_queue<shapes::skid_b1>();
}
BOOST_AUTO_TEST_CASE(payload_8_bits) {
  run_queue<shapes::skid_b8>();
}
BOOST_AUTO_TEST_CASE(payload_100_bits) {
  run_queue<shapes::skid_b100>();
}
BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fifo)
BOOST_AUTO_TEST_CASE(depth_2) {
  run_queue<shapes::fifo_d2_b8>();
}
BOOST_AUTO_TEST_CASE(depth_3_payload_1_bit) {
  run_queue<shapes::fifo_d3_b1>();
}
BOOST_AUTO_TEST_CASE(depth_4) {
  run_queue<shapes::fifo_d4_b8>();
}
BOOST_AUTO_TEST_CASE(depth_5) {
  run_queue<shapes::fifo_d5_b16>();
}
BOOST_AUTO_TEST_CASE(depth_17_payload_100_bits) {
  run_queue<shapes::fifo_d17_b100>();
}
BOOST_AUTO_TEST_SUITE_END()
