// MAC unit testbench: the generated basis-convolution unit (Verilated, the 5 parameter sets
// testbench/CMakeLists.txt declares) against the C++ model blocks::mac_unit_model. Per set: random
// layers back to back in one simulation (every k in 1..max_k, every stride, every pad in 0..k-1, d
// from 1 to max_d, h or w = 1 and w = max_w, Z and basis at their extremes), random valid gaps on
// the input, random ready on the output, a stray start pulse while busy (ignored, except in a
// `finishing` cycle, where a start is taken: some passes start their follow-up pass there); every
// output value and the output count are checked, nothing may come out after the last output,
// `finishing` must be followed by done unless a start was taken with it, and each layer must finish
// within a cycle bound. Then full-speed layers measure cycles against the ideal
// h*w*ceil(d*k*k/macs).
#define BOOST_TEST_MODULE escgen MAC unit testbench
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <deque>
#include <memory>
#include <random>
#include <sstream>
#include <vector>

#include "blocks/mac_unit.h"
#include "common/ports.h"
#include "tb_mac_unit_shapes.h"

namespace {

using escgen::blocks::mac_unit_model;
using escgen::blocks::MacLayer;
using escgen::blocks::MacUnitParams;
using escgen::tb::get_field;
using escgen::tb::set_field;
using escgen::tb::tick;

enum class Values { Random, ZMin, ZMax, Extreme };

struct LayerCase {
  MacLayer l;
  std::vector<int64_t> basis;  // d*k*k, j*k*k + p*k + q
  std::vector<int64_t> z;      // h*w*d
};

struct Traffic {
  double valid = 1.0;  // probability that a new input pixel is offered in a cycle
  double ready = 1.0;  // probability of out_ready
  bool stray_start = false;
};

int64_t smin(int bits) {
  return -(int64_t{1} << (bits - 1));
}
int64_t smax(int bits) {
  return (int64_t{1} << (bits - 1)) - 1;
}
uint64_t mask(int bits) {
  return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
}
int64_t sign_extend(uint64_t v, int bits) {
  const uint64_t m = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v & mask(bits)) ^ m) - static_cast<int64_t>(m);
}
template <class Port>
void put(Port& port, int value) {
  port = static_cast<Port>(value);
}
int64_t uniform(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}
std::string describe(const MacLayer& l) {
  std::ostringstream s;
  s << "k=" << l.k << " d=" << l.d << " s=" << l.stride << " pad=" << l.pad << " h=" << l.h
    << " w=" << l.w;
  return s.str();
}

LayerCase make_case(const MacUnitParams& sh, const MacLayer& l, Values v, std::mt19937_64& rng) {
  LayerCase c{l, {}, {}};
  const size_t taps = static_cast<size_t>(l.d * l.k * l.k);
  const size_t zs = static_cast<size_t>(l.h * l.w * l.d);
  for (size_t t = 0; t < taps; ++t) {
    int64_t b = uniform(rng, smin(sh.basis_bits), smax(sh.basis_bits));
    if (v == Values::Extreme) b = smin(sh.basis_bits);
    c.basis.push_back(b);
  }
  for (size_t i = 0; i < zs; ++i) {
    int64_t z = uniform(rng, smin(sh.z_bits), smax(sh.z_bits));
    if (v == Values::ZMin || v == Values::Extreme) z = smin(sh.z_bits);
    if (v == Values::ZMax) z = smax(sh.z_bits);
    c.z.push_back(z);
  }
  return c;
}

// A random valid layer; k is given (the caller sweeps all of them).
MacLayer random_layer(const MacUnitParams& sh, int k, std::mt19937_64& rng) {
  MacLayer l;
  l.k = k;
  // Enough padding that a window fits the largest input (k may exceed max_w or max_h).
  const int pad_min = std::max(0, (k - std::min(sh.max_w, sh.max_h) + 1) / 2);
  l.pad = static_cast<int>(uniform(rng, pad_min, k - 1));
  l.stride = static_cast<int>(uniform(rng, 1, sh.max_stride));
  l.d = static_cast<int>(uniform(rng, 0, 3) == 0 ? sh.max_d : uniform(rng, 1, sh.max_d));
  const int lo = std::max(1, k - 2 * l.pad);  // h + 2*pad >= k
  const int hmax = std::max(lo, std::min(sh.max_h, 7));
  switch (uniform(rng, 0, 6)) {
    case 6:
      l.h = sh.max_h, l.w = std::min(sh.max_w, lo + 1);
      break;  // tallest input
    case 0:
      l.h = lo, l.w = sh.max_w;
      break;  // smallest height (1 when the padding allows)
    case 1:
      l.h = static_cast<int>(uniform(rng, lo, hmax)), l.w = lo;
      break;
    case 2:
      l.h = static_cast<int>(uniform(rng, lo, hmax)), l.w = sh.max_w;
      break;
    default:
      l.h = static_cast<int>(uniform(rng, lo, hmax));
      l.w = static_cast<int>(uniform(rng, lo, sh.max_w));
  }
  l.h = std::max(l.h, lo);
  return l;
}

template <class Model>
class MacBench {
 public:
  explicit MacBench(const MacUnitParams& sh) : sh_(sh) {
    ctx_ = std::make_unique<VerilatedContext>();
    dut_ = std::make_unique<Model>(ctx_.get());
    dut_->rst_n = 0;
    dut_->start = 0;
    dut_->next = 0;
    dut_->basis_we = 0;
    dut_->in_valid = 0;
    dut_->out_ready = 0;
    tick(*dut_);
    tick(*dut_);
    dut_->rst_n = 1;
    BOOST_TEST_REQUIRE(!idle_outputs_bad());
  }
  ~MacBench() { dut_->final(); }

  long layers() const { return layers_; }
  long outputs() const { return outputs_; }
  long cycles() const { return cycles_; }
  long overlapped() const { return overlapped_; }      // starts with outputs still in the pipeline
  long early_passes() const { return early_passes_; }  // passes with pixels taken before start
  long early_pixels() const { return early_pixels_; }
  long finish_starts() const { return finish_starts_; }  // passes started in a finishing cycle

  // Runs one layer; returns the cycles from the start edge to the done pulse, or -1 on failure
  // (after reporting it). The done pulse comes once every output has been issued: the layer's
  // last outputs (at most kPipeOutputs) may still be in the pipeline, checked by the cycles that
  // follow (the next layer's basis load and run, or drain()). With reload false the basis of the
  // previous layer (same k and d) is kept and the layer starts in the cycle after done, as the
  // accelerator's next pass does. With `follow` (that next pass, of the same layer) `next` is
  // raised from a random cycle on, as the row does when the next pass has started, and once
  // this pass's pixels are all taken the follow-up pass's are offered: those taken before done
  // (and one still offered) carry over to its run. With `with_finish` as well, the follow-up
  // pass's start is raised in the cycle the unit signals `finishing` (the row's rule): the run
  // then ends at that edge and the next run (reload false) begins without a start of its own; if
  // the unit never signals it (its last output's last taps are also its first), at done as usual.
  long run(const LayerCase& c, const Traffic& t, std::mt19937_64& rng, bool reload = true,
           const LayerCase* follow = nullptr, bool with_finish = false) {
    const MacLayer& l = c.l;
    const auto want = mac_unit_model(l, c.basis, c.z);
    for (int64_t v : want)
      BOOST_TEST_REQUIRE((v >= smin(sh_.acc_bits) && v <= smax(sh_.acc_bits)),
                         "test layer exceeds acc_bits: " << describe(l));
    BOOST_TEST_REQUIRE((!reload || (carry_ == 0 && !carry_offering_ && !started_)),
                       "early pixels or a start carried into a reloaded layer");
    traffic_ = t;
    if (reload && !load_basis(c, rng)) return -1;
    set_layer(l);
    // The pixels the previous run took early (and one it still offers) belong to this pass.
    size_t in_idx = carry_;
    bool offering = carry_offering_;
    if (carry_ > 0) ++early_passes_;
    early_pixels_ += static_cast<long>(carry_);
    carry_ = 0;
    carry_offering_ = false;
    size_t early = 0;  // follow-up pixels taken
    bool offering_early = false;
    // The offered pixel is taken when in_ready is high before the edge.
    const auto handshake = [&] {
      if (!offering || !dut_->in_ready) return;
      ++(offering_early ? early : in_idx);
      offering = offering_early = false;
    };
    // The edge that takes a start (start and the layer ports set by the caller).
    const auto start_edge = [&] {
      dut_->start = 1;
      handshake();
      const bool ok = step(l, rng);
      dut_->start = 0;
      dut_->next = 0;  // the waiting pass has started
      return ok;
    };
    // The run ends: the follow-up pixels taken early (and one still offered) carry over.
    const auto end_run = [&](long cyc) {
      carry_ = early;
      carry_offering_ = offering;
      dut_->in_valid = offering;
      ++layers_;
      cycles_ += cyc;
      return cyc;
    };
    dut_->in_valid = offering;
    if (started_) {  // the previous run's last edge took this pass's start
      started_ = false;
    } else {
      dut_->next = offering || in_idx > 0;  // the row's waiting pass is this one until it starts
      if (!start_edge()) return -1;
    }
    if (!dut_->busy) return fail(l, "busy not set after start");
    if (!pending_.empty()) ++overlapped_;
    for (size_t i = 0; i < want.size(); ++i) pending_.push_back({want[i], i + 1 == want.size()});

    const size_t pixels = static_cast<size_t>(l.h * l.w);
    const long ideal = ideal_cycles(l);
    const long limit = 20 * (ideal + static_cast<long>(pixels) + 200);
    const long next_from = follow ? static_cast<long>(uniform(rng, 1, ideal + 2)) : 0;
    bool was_finishing = false;  // finishing was high before the last edge, no start taken
    for (long cyc = 1;; ++cyc) {
      if (cyc > limit) return fail(l, "no done within the cycle limit (deadlock?)");
      if (was_finishing && !dut_->done) return fail(l, "finishing without done after it");
      if (dut_->finishing && !dut_->busy) return fail(l, "finishing while not busy");
      // Inputs of this cycle: a new pixel is offered with probability t.valid and then held.
      if (follow && cyc >= next_from) dut_->next = 1;
      if (!offering && in_idx < pixels && chance(rng, t.valid)) {
        offering = true;
        drive_pixel(c, in_idx, rng);
      } else if (!offering && follow && in_idx == pixels && dut_->next &&
                 early < static_cast<size_t>(follow->l.h * follow->l.w) && chance(rng, t.valid)) {
        offering = offering_early = true;
        drive_pixel(*follow, early, rng);
      }
      dut_->in_valid = offering;
      if (with_finish && dut_->finishing) {  // the follow-up pass starts with the finish
        if (in_idx != pixels) return fail(l, "finishing before every input was taken");
        set_layer(follow->l);
        if (!start_edge()) return -1;
        started_ = true;
        ++finish_starts_;
        return end_run(cyc);
      }
      was_finishing = dut_->finishing;
      if (t.stray_start && cyc % 37 == 5 && !dut_->finishing) {  // ignored while busy
        dut_->start = 1;
        set_layer({.k = 1, .d = 1, .stride = 1, .pad = 0, .h = 1, .w = 1});
      }
      // Outputs (registered: they reflect the state after the last edge).
      if (dut_->done) {
        if (in_idx != pixels || pending_.size() > kPipeOutputs)
          return fail(l, "done with " + std::to_string(pending_.size()) +
                             " outputs still to come, " + std::to_string(in_idx) + " of " +
                             std::to_string(pixels) + " inputs taken");
        if (dut_->busy || (dut_->in_ready && !dut_->next))
          return fail(l, "busy, or in_ready without next, with done");
        dut_->start = 0;
        set_layer(l);
        return end_run(cyc);
      }
      if (in_idx == pixels && dut_->in_ready && !dut_->next)
        return fail(l, "in_ready after the last pixel without next");
      handshake();
      if (!step(l, rng)) return -1;
      dut_->start = 0;
      if (t.stray_start) set_layer(l);
    }
  }

  // Takes the outputs still in the pipeline (out_ready always high); then the unit must be idle
  // and drained.
  bool drain(std::mt19937_64& rng) {
    const MacLayer none{};
    traffic_ = Traffic{};
    for (size_t i = 0; i < 4 * kPipeOutputs + 8 && !pending_.empty(); ++i)
      if (!step(none, rng)) return false;
    if (!pending_.empty()) return failed(none, "outputs missing after the last layer");
    if (!step(none, rng)) return false;
    if (idle_outputs_bad() || !dut_->drained)
      return failed(none, "unit not idle and drained after its last output");
    return true;
  }

  long ideal_cycles(const MacLayer& l) const {
    return static_cast<long>(l.h) * l.w * ((l.d * l.k * l.k + sh_.macs - 1) / sh_.macs);
  }

 private:
  static bool chance(std::mt19937_64& rng, double p) {
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < p;
  }

  bool idle_outputs_bad() const {
    return dut_->busy || dut_->done || dut_->in_ready || dut_->out_valid;
  }

  // One clock edge with a random out_ready (traffic_.ready). The registered outputs are checked
  // first: a held output must not change or vanish, a taken one must be the next expected value
  // (and out_last must mark exactly each layer's last), and `drained` must say whether anything
  // is still in the pipeline while the unit is not busy.
  bool step(const MacLayer& l, std::mt19937_64& rng) {
    dut_->out_ready = chance(rng, traffic_.ready);
    const uint64_t acc = get_field(dut_->out_acc, 0, sh_.acc_bits);
    if (held_ && (!dut_->out_valid || acc != held_acc_))
      return failed(l, "output dropped or changed while out_ready was low");
    held_ = dut_->out_valid && !dut_->out_ready;
    held_acc_ = acc;
    if (!dut_->busy && static_cast<bool>(dut_->drained) != pending_.empty())
      return failed(l, "drained " + std::to_string(dut_->drained) + " with " +
                           std::to_string(pending_.size()) + " outputs to come");
    if (dut_->out_valid && dut_->out_ready) {
      if (pending_.empty()) return failed(l, "output beyond h_out*w_out");
      const Expect e = pending_.front();
      pending_.pop_front();
      const int64_t got = sign_extend(acc, sh_.acc_bits);
      if (got != e.value)
        return failed(l, "output " + std::to_string(outputs_) + " got " + std::to_string(got) +
                             " want " + std::to_string(e.value));
      if constexpr (requires { dut_->out_last; })
        if (static_cast<bool>(dut_->out_last) != e.last)
          return failed(l, "out_last " + std::to_string(dut_->out_last) + " on output " +
                               std::to_string(outputs_));
      ++outputs_;
    }
    tick(*dut_);
    return true;
  }

  long fail(const MacLayer& l, const std::string& what) {
    BOOST_ERROR("mac_unit max_k=" << sh_.max_k << " macs=" << sh_.macs << " layer " << describe(l)
                                  << ": " << what);
    return -1;
  }
  bool failed(const MacLayer& l, const std::string& what) {
    fail(l, what);
    return false;
  }

  // Garbage first at beat addresses the layer does not use (they must be ignored), then the
  // basis in a random order of beats (basis_lanes taps each: tap a*T + i in lane i; lanes past
  // the layer's taps carry garbage).
  bool load_basis(const LayerCase& c, std::mt19937_64& rng) {
    const int T = sh_.basis_lanes, taps = c.l.d * c.l.k * c.l.k;
    const int beats = (taps + T - 1) / T;
    const int store = (sh_.max_d * sh_.max_k * sh_.max_k + T - 1) / T;
    auto garbage = [&] { return uniform(rng, smin(sh_.basis_bits), smax(sh_.basis_bits)); };
    std::vector<int> order(static_cast<size_t>(beats));
    for (int a = 0; a < beats; ++a) order[static_cast<size_t>(a)] = a;
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<int64_t> lanes(static_cast<size_t>(T));
    for (int i = 0; i < 3 && beats < store; ++i) {
      for (auto& v : lanes) v = garbage();
      if (!write_basis(c.l, static_cast<int>(uniform(rng, beats, store - 1)), lanes, rng))
        return false;
    }
    for (int a : order) {
      for (int i = 0; i < T; ++i)
        lanes[static_cast<size_t>(i)] =
            a * T + i < taps ? c.basis[static_cast<size_t>(a * T + i)] : garbage();
      if (!write_basis(c.l, a, lanes, rng)) return false;
    }
    dut_->basis_we = 0;
    return true;
  }

  // One basis write; the previous layer's last outputs may leave meanwhile (step checks them).
  bool write_basis(const MacLayer& l, int addr, const std::vector<int64_t>& lanes,
                   std::mt19937_64& rng) {
    dut_->basis_we = 1;
    put(dut_->basis_addr, addr);
    for (size_t i = 0; i < lanes.size(); ++i)
      set_field(dut_->basis_data, static_cast<int>(i) * sh_.basis_bits, sh_.basis_bits,
                static_cast<uint64_t>(lanes[i]));
    return step(l, rng);
  }

  void set_layer(const MacLayer& l) {
    put(dut_->k, l.k);
    put(dut_->d, l.d);
    put(dut_->stride, l.stride);
    put(dut_->pad, l.pad);
    put(dut_->h, l.h);
    put(dut_->w, l.w);
  }

  // Pixel i's d values; lanes >= d get random values (the unit must ignore them).
  void drive_pixel(const LayerCase& c, size_t i, std::mt19937_64& rng) {
    for (int j = 0; j < sh_.max_d; ++j) {
      const int64_t v = j < c.l.d ? c.z[i * static_cast<size_t>(c.l.d) + static_cast<size_t>(j)]
                                  : uniform(rng, smin(sh_.z_bits), smax(sh_.z_bits));
      set_field(dut_->in_z, j * sh_.z_bits, sh_.z_bits, static_cast<uint64_t>(v));
    }
  }

  struct Expect {
    int64_t value;
    bool last;  // the layer's last output
  };
  // Outputs between the issue and the port at most: operand, product, partial-sum and sum
  // registers, the two-entry skid buffer.
  static constexpr size_t kPipeOutputs = 6;

  MacUnitParams sh_;
  long layers_ = 0, outputs_ = 0, cycles_ = 0, overlapped_ = 0;
  long early_passes_ = 0, early_pixels_ = 0, finish_starts_ = 0;
  bool started_ = false;         // the next run's start was taken with this one's finish
  size_t carry_ = 0;             // pixels of the next run taken early
  bool carry_offering_ = false;  // and one of its pixels still offered
  std::deque<Expect> pending_;   // expected outputs not yet taken, in order (across layers)
  Traffic traffic_;              // of the layer running (out_ready's probability)
  bool held_ = false;            // out_valid was high without out_ready
  uint64_t held_acc_ = 0;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> dut_;
};

// Random layers with random traffic, then the full-speed performance table.
template <class Shape>
void random_layers(int layers_per_k, uint64_t seed) {
  const MacUnitParams& sh = Shape::params;
  MacBench<typename Shape::Model> tb(sh);
  std::mt19937_64 rng(seed);
  const Values modes[] = {Values::Random, Values::Random, Values::ZMin, Values::ZMax,
                          Values::Extreme};
  int n = 0, passes = 0, early_runs = 0;
  // The first round runs each k twice in a row: the second start keeps the lane offsets of the
  // first (no setup cycles), the others recompute them.
  for (int rep = 0; rep < layers_per_k; ++rep)
    for (int i = 0; i < (rep == 0 ? 2 : 1) * sh.max_k; ++i, ++n) {
      const int k = rep == 0 ? 1 + i / 2 : 1 + i;
      const MacLayer l = random_layer(sh, k, rng);
      const LayerCase c = make_case(sh, l, modes[n % 5], rng);
      Traffic t;
      t.valid = n % 4 == 0 ? 1.0 : 0.3 + 0.6 * std::uniform_real_distribution<>(0, 1)(rng);
      t.ready = n % 4 == 1 ? 1.0 : 0.3 + 0.6 * std::uniform_real_distribution<>(0, 1)(rng);
      t.stray_start = n % 7 == 3;
      // Every third layer is followed by a pass of the same layer (basis kept, new Z) started
      // in the cycle after done, while the first pass's last outputs are still in the pipeline;
      // every other such pass has `next` raised during the first and its pixels offered early;
      // every other pair of such passes starts the second in the first's finishing cycle.
      if (n % 3 == 2) {
        LayerCase again = make_case(sh, l, Values::Random, rng);
        again.basis = c.basis;
        const bool early = n % 6 == 5, with_finish = n % 12 < 6;
        if (tb.run(c, t, rng, true, early || with_finish ? &again : nullptr, with_finish) < 0)
          return;
        if (tb.run(again, t, rng, false) < 0) return;
        ++passes;
        early_runs += early;
      } else if (tb.run(c, t, rng) < 0) {
        return;
      }
    }
  if (!tb.drain(rng)) return;
  BOOST_TEST(tb.layers() == static_cast<long>(layers_per_k + 1) * sh.max_k + passes);
  BOOST_TEST(tb.overlapped() >= passes / 2, "few starts overlapped the previous pass's outputs");
  // finishing needs an output of more than one cycle (or trailing input pixels no output reads).
  if (sh.max_d * sh.max_k * sh.max_k > sh.macs)
    BOOST_TEST(tb.finish_starts() >= passes / 8, "few passes started in a finishing cycle");
  // With one line-buffer row (max_k 1) the next pass's first row replaces this pass's last.
  if (sh.max_k > 1)
    BOOST_TEST(tb.early_passes() >= early_runs / 4, "few passes took pixels before their start");
  BOOST_TEST_MESSAGE("mac_unit max_k=" << sh.max_k << " max_d=" << sh.max_d << " max_w=" << sh.max_w
                                       << " macs=" << sh.macs << ": " << tb.layers()
                                       << " random layers (" << tb.overlapped()
                                       << " started with the previous one's outputs in the "
                                          "pipeline, "
                                       << tb.early_passes() << " with " << tb.early_pixels()
                                       << " pixels taken before their start, " << tb.finish_starts()
                                       << " started in a finishing cycle), " << tb.outputs()
                                       << " outputs checked, " << tb.cycles() << " cycles");

  // Full speed (input always valid, output always ready): cycles vs h*w*ceil(d*k*k/macs).
  std::ostringstream table;
  long sum = 0, sum_ideal = 0;
  const int h = std::min(sh.max_h, 8), w = sh.max_w;
  for (int k = 1; k <= sh.max_k; ++k)
    for (int stride = 1; stride <= std::min(2, sh.max_stride); ++stride) {
      const MacLayer l{.k = k, .d = sh.max_d, .stride = stride, .pad = (k - 1) / 2, .h = h, .w = w};
      if (l.h + 2 * l.pad < l.k || l.w + 2 * l.pad < l.k) continue;
      const long cyc = tb.run(make_case(sh, l, Values::Random, rng), Traffic{}, rng);
      if (cyc < 0) return;
      const long ideal = tb.ideal_cycles(l);
      sum += cyc, sum_ideal += ideal;
      table << "\n  " << describe(l) << ": " << cyc << " cycles, ideal " << ideal << " ("
            << (100 * cyc + ideal / 2) / ideal << "%)";
    }
  if (!tb.drain(rng)) return;
  BOOST_TEST_MESSAGE("mac_unit max_k=" << sh.max_k << " macs=" << sh.macs
                                       << " full speed, cycles start..done vs h*w*ceil(d*k*k/macs):"
                                       << table.str() << "\n  total " << sum << " vs "
                                       << sum_ideal);
}

}  // namespace

namespace shapes = escgen::tb::shapes;

BOOST_AUTO_TEST_SUITE(mac_unit)

BOOST_AUTO_TEST_CASE(small_k3_d4_w8_macs2) {
  random_layers<shapes::mac_small>(150, 1);
}
BOOST_AUTO_TEST_CASE(default_k5_d9_w16_macs9) {
  random_layers<shapes::mac_default>(60, 2);
}
BOOST_AUTO_TEST_CASE(wide_k4_d6_w12_macs16_z20) {
  random_layers<shapes::mac_wide>(80, 3);
}
BOOST_AUTO_TEST_CASE(tiny_k1_d1_w1_macs1) {
  random_layers<shapes::mac_tiny>(60, 4);
}
BOOST_AUTO_TEST_CASE(odd_k8_d3_w3_macs5) {
  random_layers<shapes::mac_odd>(25, 5);
}

BOOST_AUTO_TEST_SUITE_END()
