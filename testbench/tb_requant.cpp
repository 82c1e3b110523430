// Requantisation testbench: each generated pipeline (Verilated, 4 shapes) against
// blocks::requant_model (which uses escgen::requantize, the contract's one definition), under
// random valid gaps and random ready stalls; an in-order scoreboard checks every output (no
// loss, no duplication), stalled outputs must hold, and without stalls one item per cycle must
// flow with a latency of four clocks. Exhaustive at small widths (every acc, bias, M and S in
// 0..62, both modes); random at full and wide widths with directed corners (S = 0, S = 62,
// M = 0, extreme and negative sums, exact ties), each corner counted and required.
#define BOOST_TEST_MODULE escgen requant testbench
#include <boost/test/unit_test.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <random>

#include "blocks/requant.h"
#include "common/ports.h"
#include "common/stream_bench.h"
#include "tb_requant_shapes.h"

namespace {

using escgen::blocks::requant_model;
using escgen::blocks::requant_out_bits;
using escgen::blocks::RequantItem;
using escgen::blocks::RequantParams;
using escgen::tb::chance;
using escgen::tb::get_field;
using escgen::tb::low_mask;
using escgen::tb::set_field;
using escgen::tb::tick;
using escgen::tb::Traffic;

using Producer = std::function<std::optional<RequantItem>()>;
__extension__ using i128 = __int128;  // classification of test items only

template <class Dut>
class RequantBench {
 public:
  RequantBench(const RequantParams& p, uint64_t seed) : p_(p), rng_(seed) {
    ow_ = requant_out_bits(p);
    ctx_ = std::make_unique<VerilatedContext>();
    dut_ = std::make_unique<Dut>(ctx_.get());
    dut_->rst_n = 0;
    dut_->in_valid = 0;
    dut_->out_ready = 0;
    tick(*dut_);
    dut_->rst_n = 1;
  }
  ~RequantBench() { dut_->final(); }

  // Feeds every item of `next` through the block, with the traffic phases changing every
  // `phase_cycles` cycles, then drains. False after the first mismatch (reported).
  bool run(const Producer& next, int phase_cycles) {
    const auto& phases = escgen::tb::traffic_phases();
    size_t ph = 0;
    long in_phase = 0;
    bool more = true;
    long idle = 0;  // cycles without an output while outputs are due
    while (more || src_ || !expected_.empty()) {
      const long out0 = outputs;
      if (++in_phase > phase_cycles) {
        in_phase = 0;
        ph = (ph + 1) % phases.size();
      }
      const Traffic t = phases[ph];
      if (!src_ && more && chance(rng_, t.valid_pct)) {
        src_ = next();
        more = src_.has_value();
      }
      if (!cycle(more || src_ ? t.ready_pct : 100)) return false;
      idle = outputs != out0 || expected_.empty() ? 0 : idle + 1;
      if (idle > 1000) {
        BOOST_ERROR("no output for 1000 cycles with " << expected_.size() << " items due");
        return false;
      }
    }
    return true;
  }

  // `n` items offered back to back to an always-ready sink, starting empty: returns the
  // number of cycles until the last one is out.
  long unstalled(const Producer& next, int n) {
    long c = 0;
    int fed = 0;
    const long out0 = outputs;
    while (outputs - out0 < n && c < 10L * n) {
      if (!src_ && fed < n) {
        src_ = next();
        ++fed;
      }
      if (!cycle(100)) return -1;
      ++c;
    }
    return c;
  }

  long inputs = 0, outputs = 0, cycles = 0;

 private:
  bool cycle(int ready_pct) {
    dut_->in_valid = src_.has_value();
    if (src_) {
      set_field(dut_->in_acc, 0, p_.acc_bits, static_cast<uint64_t>(src_->acc));
      set_field(dut_->in_bias, 0, p_.bias_bits, static_cast<uint64_t>(src_->bias));
      set_field(dut_->in_mult, 0, p_.mult_bits, static_cast<uint64_t>(src_->mult));
      dut_->in_shift = static_cast<uint8_t>(src_->shift);
      dut_->in_mode = src_->requant_relu;
    } else {  // garbage while not valid
      set_field(dut_->in_acc, 0, p_.acc_bits, rng_());
      set_field(dut_->in_mult, 0, p_.mult_bits, rng_());
    }
    const bool ready = chance(rng_, ready_pct);
    dut_->out_ready = ready;
    dut_->eval();
    ++cycles;

    const bool v = dut_->out_valid;
    const uint64_t got = get_field(dut_->out_data, 0, ow_);
    if (held_ && (!v || got != held_value_)) {
      BOOST_ERROR("cycle " << cycles << ": stalled output changed");
      return false;
    }
    if (v && ready) {
      if (expected_.empty()) {
        BOOST_ERROR("cycle " << cycles << ": output without an input");
        return false;
      }
      const auto [item, want] = expected_.front();
      if (got != (static_cast<uint64_t>(want) & low_mask(ow_))) {
        BOOST_ERROR("cycle " << cycles << ": acc " << item.acc << " bias " << item.bias << " M "
                             << item.mult << " S " << item.shift
                             << (item.requant_relu ? " requant_relu" : " raw") << ": got " << got
                             << " want " << want);
        return false;
      }
      expected_.pop_front();
      ++outputs;
    }
    held_ = v && !ready;
    held_value_ = got;
    if (src_ && dut_->in_ready) {
      expected_.emplace_back(*src_, requant_model(p_, *src_));
      src_.reset();
      ++inputs;
    }
    tick(*dut_);
    return true;
  }

  RequantParams p_;
  int ow_;
  std::mt19937_64 rng_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Dut> dut_;
  std::optional<RequantItem> src_;
  std::deque<std::pair<RequantItem, int64_t>> expected_;
  bool held_ = false;
  uint64_t held_value_ = 0;
};

int64_t smin(int bits) {
  return -(int64_t{1} << (bits - 1));
}
int64_t smax(int bits) {
  return (int64_t{1} << (bits - 1)) - 1;
}

// Every acc, bias, M and S in 0..62 in requant_relu mode, and every acc and bias in raw mode
// (with random M and S, which raw mode must ignore).
Producer exhaustive(const RequantParams& p, long* count) {
  struct State {
    int64_t acc, bias, mult;
    int shift;
    bool raw_done;
  };
  auto s = std::make_shared<State>(State{smin(p.acc_bits), smin(p.bias_bits), 0, 0, false});
  auto rng = std::make_shared<std::mt19937_64>(7);
  return [p, s, rng, count]() -> std::optional<RequantItem> {
    if (s->acc > smax(p.acc_bits)) return std::nullopt;
    RequantItem it{s->acc, s->bias, s->mult, s->shift, true};
    if (!s->raw_done) {  // raw item first for each (acc, bias)
      it.requant_relu = false;
      it.mult = static_cast<int64_t>((*rng)() & low_mask(p.mult_bits));
      it.shift = static_cast<int>((*rng)() % 63);
      s->raw_done = true;
      ++*count;
      return it;
    }
    if (++s->shift > 62) {
      s->shift = 0;
      if (++s->mult > static_cast<int64_t>(low_mask(p.mult_bits))) {
        s->mult = 0;
        s->raw_done = false;
        if (++s->bias > smax(p.bias_bits)) {
          s->bias = smin(p.bias_bits);
          ++s->acc;
        }
      }
    }
    ++*count;
    return it;
  };
}

// Corner classes a random run must hit (counted per item offered).
struct Corners {
  long s0 = 0, s62 = 0, m0 = 0, negative = 0, tie = 0, negative_tie = 0, low = 0, high = 0,
       inside = 0, raw = 0, total = 0;
};

// Random items at full width: uniform operands, operands scaled so the result lands near the
// activation range, exact ties (M = 2^j, sum = odd * 2^(S-1-j)), extremes.
Producer random_items(const RequantParams& p, int n, uint64_t seed, Corners* c) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  auto left = std::make_shared<int>(n);
  return [p, rng, left, c]() -> std::optional<RequantItem> {
    if (*left == 0) return std::nullopt;
    --*left;
    auto& g = *rng;
    auto pick = [&](int64_t lo, int64_t hi) {
      return lo + static_cast<int64_t>(g() % static_cast<uint64_t>(hi - lo + 1));
    };
    auto signed_of_bits = [&](int bits) {  // magnitude of random bit length
      const int b = 1 + static_cast<int>(g() % static_cast<uint64_t>(bits - 1));
      const int64_t v = pick(0, smax(b + 1));
      return g() & 1 ? -v : v;
    };
    const int64_t mmax = static_cast<int64_t>(low_mask(p.mult_bits));
    int64_t sum = 0, mult = 0;
    int shift = 0;
    bool relu = true;
    switch (g() % 8) {
      case 0:  // uniform
        sum = pick(smin(p.acc_bits), smax(p.acc_bits));
        mult = pick(0, mmax);
        shift = static_cast<int>(pick(0, 62));
        break;
      case 1:  // raw
        sum = pick(smin(p.acc_bits) + smin(p.bias_bits), smax(p.acc_bits) + smax(p.bias_bits));
        mult = pick(0, mmax);
        shift = static_cast<int>(pick(0, 62));
        relu = false;
        break;
      case 2:
      case 3: {  // result near the activation range
        sum = signed_of_bits(p.acc_bits);
        mult = pick(0, static_cast<int64_t>(low_mask(1 + static_cast<int>(g() % p.mult_bits))));
        const i128 prod = static_cast<i128>(sum) * mult;
        int len = 0;
        while (len < 126 && (prod < 0 ? -prod : prod) >> len) ++len;
        shift = static_cast<int>(std::clamp<int64_t>(len - p.act_bits + pick(-3, 3), 0, 62));
        break;
      }
      case 4:
      case 5: {  // exact tie: P mod 2^S == 2^(S-1)
        const int j = static_cast<int>(pick(0, p.mult_bits - 1));
        const int e = static_cast<int>(pick(0, p.acc_bits - 3));  // sum = odd * 2^e
        shift = e + j + 1;
        mult = int64_t{1} << j;
        const int64_t kmax = smax(p.acc_bits - e) / 2 - 1;  // odd * 2^e stays in range
        const int64_t odd =
            2 * pick(0, g() & 1 ? std::min<int64_t>(kmax, int64_t{1} << p.act_bits) : kmax) + 1;
        sum = (g() & 1 ? -odd : odd) * (int64_t{1} << e);
        break;
      }
      default: {  // corners
        const int64_t sums[] = {smin(p.acc_bits),
                                smax(p.acc_bits),
                                0,
                                -1,
                                1,
                                smin(p.acc_bits) + smin(p.bias_bits),
                                smax(p.acc_bits) + smax(p.bias_bits)};
        const int64_t mults[] = {0, 1, mmax, pick(0, mmax)};
        const int shifts[] = {0, 62, 1, static_cast<int>(pick(0, 62))};
        sum = sums[g() % 7];
        mult = mults[g() % 4];
        shift = shifts[g() % 4];
        relu = g() % 5 != 0;
      }
    }
    // Split the sum into acc + bias, both in range.
    const int64_t blo = std::max(smin(p.bias_bits), sum - smax(p.acc_bits));
    const int64_t bhi = std::min(smax(p.bias_bits), sum - smin(p.acc_bits));
    const int64_t bias = g() & 1 ? pick(blo, bhi) : std::clamp<int64_t>(0, blo, bhi);
    RequantItem it{sum - bias, bias, mult, shift, relu};

    ++c->total;
    if (!relu) {
      ++c->raw;
    } else {
      const i128 prod = static_cast<i128>(sum) * mult;
      c->s0 += shift == 0;
      c->s62 += shift == 62;
      c->m0 += mult == 0;
      c->negative += sum < 0;
      const i128 mask = (static_cast<i128>(1) << shift) - 1;
      const bool tie = shift > 0 && (prod & mask) == (static_cast<i128>(1) << (shift - 1));
      c->tie += tie;
      c->negative_tie += tie && prod < 0;
      const int64_t y = requant_model(p, it);
      c->low += y == 0 && prod < 0;
      c->high += y == static_cast<int64_t>(low_mask(p.act_bits));
      c->inside += y > 0 && y < static_cast<int64_t>(low_mask(p.act_bits));
    }
    return it;
  };
}

template <class Dut>
void throughput(RequantBench<Dut>& tb, const RequantParams& p) {
  Corners c;
  constexpr int kItems = 1000;
  const long cycles = tb.unstalled(random_items(p, kItems, 99, &c), kItems);
  BOOST_TEST(cycles == kItems + 4);  // one item per cycle, latency four clocks
}

template <class Shape>
void run_exhaustive() {
  using Dut = typename Shape::Model;
  const RequantParams& p = Shape::params;
  RequantBench<Dut> tb(p, 1);
  long offered = 0;
  if (!tb.run(exhaustive(p, &offered), 5000)) return;
  const long combos = (1L << p.acc_bits) * (1L << p.bias_bits) * ((1L << p.mult_bits) * 63 + 1);
  BOOST_TEST(offered == combos);
  BOOST_TEST(tb.outputs == combos);
  throughput(tb, p);
  BOOST_TEST_MESSAGE("requant a" << p.acc_bits << " b" << p.bias_bits << " m" << p.mult_bits << " q"
                                 << p.act_bits << ": all " << combos << " items, " << tb.cycles
                                 << " cycles");
}

template <class Shape>
void run_random(int n) {
  using Dut = typename Shape::Model;
  const RequantParams& p = Shape::params;
  RequantBench<Dut> tb(p, 2);
  Corners c;
  if (!tb.run(random_items(p, n, 12345, &c), 3000)) return;
  BOOST_TEST(tb.outputs == n);
  BOOST_TEST(c.s0 > 0);
  BOOST_TEST(c.s62 > 0);
  BOOST_TEST(c.m0 > 0);
  BOOST_TEST(c.negative > 0);
  BOOST_TEST(c.tie > 100);
  BOOST_TEST(c.negative_tie > 50);
  BOOST_TEST(c.low > 0);
  BOOST_TEST(c.high > 0);
  BOOST_TEST(c.inside > n / 20);
  BOOST_TEST(c.raw > 0);
  throughput(tb, p);
  BOOST_TEST_MESSAGE(
      "requant a" << p.acc_bits << " b" << p.bias_bits << " m" << p.mult_bits << " q" << p.act_bits
                  << ": " << n << " random items (" << c.tie << " ties, " << c.negative_tie
                  << " negative, " << c.inside << " inside the range, " << c.low << " clamped low, "
                  << c.high << " clamped high, " << c.raw << " raw), " << tb.cycles << " cycles");
}

}  // namespace

namespace shapes = escgen::tb::shapes;

BOOST_AUTO_TEST_SUITE(requant)
BOOST_AUTO_TEST_CASE(exhaustive_acc6_bias5_mult4_act3) {
  run_exhaustive<shapes::rq_a6_b5_m4_q3>();
}
BOOST_AUTO_TEST_CASE(exhaustive_acc3_bias2_mult2_act6) {
  run_exhaustive<shapes::rq_a3_b2_m2_q6>();
}
BOOST_AUTO_TEST_CASE(random_acc33_bias32_mult16_act8) {
  run_random<shapes::rq_a33_b32_m16_q8>(200000);
}
BOOST_AUTO_TEST_CASE(random_acc40_bias32_mult24_act16) {
  run_random<shapes::rq_a40_b32_m24_q16>(200000);
}
BOOST_AUTO_TEST_SUITE_END()
