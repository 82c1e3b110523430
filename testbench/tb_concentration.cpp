// Concentration testbench: the generated block (Verilated, 7 shapes, three of them taking 3, 5
// and 10 vectors per cycle, the last in groups of 2 with their total counts given) against the
// cycle-accurate ConcentrationModel, every cycle (in_ready, out_valid, and each offered beat), with
// random target lengths (including empty targets), random densities, random garbage beyond each
// vector's count, empty input slots between the vectors of a multi-input cycle, random in_valid
// gaps and random out_ready back-pressure. Independently of the model, the per-target sums and the
// element order are checked against the input stream, and each beat crosses at most `lookaside`
// target ends. A full-rate run reports lane utilisation.
#define BOOST_TEST_MODULE escgen concentration testbench
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

#include "blocks/concentration.h"
#include "common/ports.h"
#include "tb_concentration_shapes.h"
#include "util/bits.h"

namespace {

using escgen::blocks::ConcentrationModel;
using escgen::blocks::ConcentrationParams;
using escgen::tb::get_field;
using escgen::tb::set_field;
using escgen::tb::tick;

struct InVec {
  int count;
  std::vector<int64_t> data;
  bool last;
};

// A stream of targets: each target a few vectors (possibly none non-empty), ending with last.
std::vector<InVec> make_stream(std::mt19937_64& rng, const ConcentrationParams& p, int targets,
                               int density_pct) {
  std::vector<InVec> s;
  const int64_t lo = -(int64_t{1} << (p.value_bits - 1)), span = int64_t{1} << p.value_bits;
  for (int t = 0; t < targets; ++t) {
    const int vectors = static_cast<int>(rng() % 6);  // 0: an empty target (one zero marker)
    if (vectors == 0) {
      // The marker's lane 0 is passed through (a payload such as a tag may ride on it).
      InVec marker{0, std::vector<int64_t>(static_cast<size_t>(p.width), 0), true};
      if (rng() % 2) marker.data[0] = lo + static_cast<int64_t>(rng() % span);
      s.push_back(marker);
      continue;
    }
    for (int v = 0; v < vectors; ++v) {
      InVec iv{0, std::vector<int64_t>(static_cast<size_t>(p.width), 0), v == vectors - 1};
      for (int k = 0; k < p.width; ++k)
        if (static_cast<int>(rng() % 100) < density_pct) ++iv.count;
      for (int k = 0; k < iv.count; ++k) {
        const int r = static_cast<int>(rng() % 16);
        iv.data[static_cast<size_t>(k)] = r == 0   ? lo
                                          : r == 1 ? lo + span - 1
                                                   : lo + static_cast<int64_t>(rng() % span);
      }
      s.push_back(iv);
    }
  }
  return s;
}

int64_t sign_extend(uint64_t v, int bits) {
  const uint64_t m = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ m) - m);
}

template <class Model>
struct Result {
  long cycles = 0, beats = 0, elements = 0;
};

// The reference of a stream, independent of the model: the element stream with target ends, and
// the per-target sums.
struct Expected {
  std::vector<std::pair<int64_t, bool>> elements;
  std::vector<int64_t> target_sums;
};

Expected expected_of(const std::vector<InVec>& stream) {
  Expected e;
  int64_t acc = 0;
  for (const InVec& v : stream) {
    if (v.count == 0 && v.last) e.elements.push_back({v.data[0], true}), acc += v.data[0];
    for (int k = 0; k < v.count; ++k) {
      e.elements.push_back({v.data[static_cast<size_t>(k)], v.last && k == v.count - 1});
      acc += v.data[static_cast<size_t>(k)];
    }
    if (v.last) e.target_sums.push_back(acc), acc = 0;
  }
  return e;
}

// What the DUT has delivered so far: elements taken, per-target sums.
struct Delivered {
  size_t next_out = 0;
  std::vector<int64_t> sums;
  int64_t acc = 0;
};

template <class Model>
void reset(Model& dut) {
  dut.rst_n = 0;
  dut.in_valid = 0;
  dut.out_ready = 0;
  tick(dut);
  dut.rst_n = 1;
}

// Drives this cycle's input slots: the next stream vectors (from next_in), with (inputs > 1) random
// empty slots; lanes beyond each vector's count hold garbage, which the block must ignore.
// With groups, a group takes vectors while its total count stays exact for the block: an empty
// vector ending its target only as the group's sole end with no elements (the Dilution parts'
// rule); a vector that would break it goes to the next group. Returns the slots as the model
// takes them; `used`: the stream vectors they hold.
template <class Model>
std::vector<ConcentrationModel::Input> drive_inputs(Model& dut, const ConcentrationParams& p,
                                                    const std::vector<InVec>& stream,
                                                    size_t next_in, std::mt19937_64& rng,
                                                    size_t& used) {
  std::vector<ConcentrationModel::Input> slots;
  used = 0;
  const int64_t lo = -(int64_t{1} << (p.value_bits - 1)), span = int64_t{1} << p.value_bits;
  int g_total = 0;
  bool g_marker = false, g_closed = false;
  for (int q = 0; q < p.inputs; ++q) {
    if (q % p.group == 0) g_total = 0, g_marker = false, g_closed = false;
    ConcentrationModel::Input in{0, std::vector<int64_t>(static_cast<size_t>(p.width), 0), false};
    if (next_in + used < stream.size() && !g_closed && (p.inputs == 1 || rng() % 5 != 0)) {
      const InVec& v = stream[next_in + used];
      const bool marker = v.count == 0 && v.last;
      if (p.group > 1 && (g_marker || (marker && g_total > 0))) {
        g_closed = true;
      } else {
        ++used;
        in = {v.count, v.data, v.last};
        g_total += v.count;
        g_marker |= marker;
      }
    }
    for (int k = std::max(in.count, in.last ? 1 : 0); k < p.width; ++k)
      if (rng() % 2) in.data[static_cast<size_t>(k)] = lo + static_cast<int64_t>(rng() % span);
    const int nb = escgen::bits_for(static_cast<uint64_t>(p.width));
    set_field(dut.in_count, q * nb, nb, static_cast<uint64_t>(in.count));
    for (int k = 0; k < p.width; ++k)
      set_field(dut.in_data, (q * p.width + k) * p.value_bits, p.value_bits,
                static_cast<uint64_t>(in.data[static_cast<size_t>(k)]));
    set_field(dut.in_last, q, 1, in.last);
    slots.push_back(std::move(in));
    if constexpr (requires { dut.in_total; }) {
      if ((q + 1) % p.group == 0) {
        const int tb = escgen::bits_for(static_cast<uint64_t>(p.group * p.width));
        set_field(dut.in_total, (q / p.group) * tb, tb, static_cast<uint64_t>(g_total));
      }
    }
  }
  return slots;
}

// Whether the DUT's offered beat is the model's: count, data, last, each lane's segment (one-hot
// in out_seg: the target ends before it) and at most lookaside + 1 target ends.
template <class Model>
bool beat_matches(const Model& dut, const ConcentrationParams& p,
                  const ConcentrationModel::Beat& beat) {
  bool ok = true;
  int ends = 0;
  ok &= static_cast<int>(get_field(dut.out_count, 0, 16)) == beat.count;
  for (int k = 0; k < p.lanes; ++k) {
    const int64_t val =
        sign_extend(get_field(dut.out_data, k * p.value_bits, p.value_bits), p.value_bits);
    const bool last = get_field(dut.out_last, k, 1);
    if (k < beat.count)  // lane k's segment: the target ends before it, one-hot in out_seg
      for (int s = 0; s <= p.lookaside; ++s)
        ok &= static_cast<int>(get_field(dut.out_seg, s * p.lanes + k, 1)) == (ends == s);
    ok &= val == beat.data[static_cast<size_t>(k)];
    ok &= last == static_cast<bool>(beat.last[static_cast<size_t>(k)]);
    ends += last;
  }
  ok &= ends <= p.lookaside + 1;
  return ok;
}

// Takes an accepted beat: its elements against the expected stream, summed per target.
bool take_beat(const ConcentrationModel::Beat& beat, const Expected& e, Delivered& got) {
  bool ok = true;
  for (int k = 0; k < beat.count; ++k) {
    ok &= got.next_out < e.elements.size() &&
          e.elements[got.next_out].first == beat.data[static_cast<size_t>(k)] &&
          e.elements[got.next_out].second == static_cast<bool>(beat.last[static_cast<size_t>(k)]);
    got.acc += beat.data[static_cast<size_t>(k)];
    if (beat.last[static_cast<size_t>(k)]) got.sums.push_back(got.acc), got.acc = 0;
    ++got.next_out;
  }
  return ok;
}

// Runs `stream` through the DUT and the model; returns cycles/beats/elements.
template <class Model>
Result<Model> run(const ConcentrationParams& p, const std::vector<InVec>& stream,
                  std::mt19937_64& rng, int in_gap_pct, int stall_pct) {
  auto ctx = std::make_unique<VerilatedContext>();
  auto dut = std::make_unique<Model>(ctx.get());
  ConcentrationModel model(p);
  reset(*dut);
  const Expected expect = expected_of(stream);

  Result<Model> r;
  size_t next_in = 0;
  Delivered got;
  const long limit = 20L * static_cast<long>(stream.size() + 10) + 1000;
  bool ok = true;
  while ((next_in < stream.size() || got.next_out < expect.elements.size()) && r.cycles < limit &&
         ok) {
    const bool in_valid = next_in < stream.size() && static_cast<int>(rng() % 100) >= in_gap_pct;
    const bool out_ready = static_cast<int>(rng() % 100) >= stall_pct;
    size_t used = 0;
    const std::vector<ConcentrationModel::Input> slots =
        drive_inputs(*dut, p, stream, next_in, rng, used);
    dut->in_valid = in_valid;
    dut->out_ready = out_ready;
    dut->clk = 0;
    dut->eval();
    // Compare this cycle's outputs.
    const bool dut_in_ready = dut->in_ready;
    const bool dut_out_valid = dut->out_valid;
    ok &= dut_in_ready == model.in_ready();
    ok &= dut_out_valid == model.out_valid(in_valid);
    if (dut_out_valid && ok) {
      const auto beat = model.out_beat();
      ok &= beat_matches(*dut, p, beat);
      if (out_ready && ok) {
        ++r.beats;
        ok &= take_beat(beat, expect, got);
        r.elements += beat.count;
      }
    }
    if (!ok)
      BOOST_ERROR("mismatch at cycle " << r.cycles << ": in_ready " << dut_in_ready << "/"
                                       << model.in_ready() << " out_valid " << dut_out_valid << "/"
                                       << model.out_valid(in_valid) << " queue " << model.count());
    model.step(in_valid, slots, out_ready);
    dut->clk = 1;
    dut->eval();
    if (in_valid && dut_in_ready) next_in += used;
    ++r.cycles;
  }
  BOOST_TEST(r.cycles < limit, "no progress: deadlock?");
  BOOST_TEST(got.next_out == expect.elements.size());
  BOOST_TEST(got.sums == expect.target_sums, boost::test_tools::per_element());
  dut->final();
  return r;
}

template <class Shape>
void random_runs() {
  using Model = typename Shape::Model;
  const ConcentrationParams& p = Shape::params;
  std::mt19937_64 rng(
      static_cast<uint64_t>(p.width * 1000 + p.lanes * 10 + p.lookaside + 7 * p.inputs));
  long cycles = 0;
  for (int density : {3, 10, 30, 60, 100}) {
    for (int rep = 0; rep < 4; ++rep) {
      const auto stream = make_stream(rng, p, 60, density);
      cycles += run<Model>(p, stream, rng, rep == 0 ? 0 : 30, rep < 2 ? 0 : 40).cycles;
    }
  }
  // Full rate (no gaps, no stalls) at 30% density: utilisation of the adder lanes.
  const auto stream = make_stream(rng, p, 200, 30);
  const auto r = run<Model>(p, stream, rng, 0, 0);
  BOOST_TEST_MESSAGE("concentration n=" << p.width << " l=" << p.lanes << " a=" << p.lookahead
                                        << " s=" << p.lookaside << " i=" << p.inputs << ": "
                                        << cycles << " random cycles; full rate 30%: " << r.elements
                                        << " elements in " << r.cycles << " cycles, " << r.beats
                                        << " beats, lane utilisation "
                                        << 100.0 * static_cast<double>(r.elements) /
                                               static_cast<double>(r.cycles * p.lanes)
                                        << "%");
}

}  // namespace

namespace shapes = escgen::tb::shapes;

BOOST_AUTO_TEST_SUITE(concentration)

BOOST_AUTO_TEST_CASE(n4_l2_a0_s0) {
  random_runs<shapes::conc_n4_l2_a0_s0_i1>();
}
BOOST_AUTO_TEST_CASE(n8_l4_a1_s1) {
  random_runs<shapes::conc_n8_l4_a1_s1_i1>();
}
BOOST_AUTO_TEST_CASE(n16_l8_a4_s1) {
  random_runs<shapes::conc_n16_l8_a4_s1_i1>();
}
BOOST_AUTO_TEST_CASE(n32_l16_a2_s2) {
  random_runs<shapes::conc_n32_l16_a2_s2_i1>();
}
BOOST_AUTO_TEST_CASE(n4_l4_a1_s2_i3) {
  random_runs<shapes::conc_n4_l4_a1_s2_i3>();
}
BOOST_AUTO_TEST_CASE(n16_l8_a2_s4_i5) {
  random_runs<shapes::conc_n16_l8_a2_s4_i5>();
}
BOOST_AUTO_TEST_CASE(n8_l8_a4_s4_i10_g2) {
  random_runs<shapes::conc_n8_l8_a4_s4_i10_g2>();
}

BOOST_AUTO_TEST_SUITE_END()
