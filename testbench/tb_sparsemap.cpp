// SparseMap codec testbench: the generated encoder and decoder (Verilated, the 4 shapes each
// testbench/CMakeLists.txt declares) against the C++ models blocks::sparsemap_encode /
// sparsemap_decode, and the encoder feeding the decoder (encode -> decode == identity in RTL).
// Stimuli: corner chunks (empty, full, all at the maximum, every single lane, every lane but
// one) then random chunks at densities 0..100 %, and every one of the 65536 masks for the 16-lane
// decoder; decoder inputs also carry random values past the count (which it must ignore);
// random valid gaps and random ready stalls on every stream.
#define BOOST_TEST_MODULE escgen SparseMap testbench
#include <boost/test/unit_test.hpp>

#include <memory>
#include <random>
#include <vector>

#include "blocks/sparsemap.h"
#include "common/ports.h"
#include "common/stream_check.h"
#include "tb_sparsemap_shapes.h"

namespace {

using escgen::tb::Fields;
using escgen::tb::Flow;
using escgen::tb::get_field;
using escgen::tb::percent;
using escgen::tb::set_field;
using escgen::tb::StreamHooks;
using escgen::tb::StreamStats;
using Chunk = std::vector<uint64_t>;

const Flow kFlows[] = {{100, 100}, {70, 70}, {95, 20}, {20, 95}, {50, 50}, {100, 60}};

uint64_t value_mask(int bits) {
  return (uint64_t{1} << bits) - 1;
}

// Corner chunks first, then `random` chunks whose density is itself random (0..100 %).
std::vector<Chunk> make_chunks(int n, int b, int random, std::mt19937_64& rng) {
  const uint64_t vmax = value_mask(b);
  auto nonzero = [&] { return 1 + rng() % vmax; };
  std::vector<Chunk> chunks;
  chunks.emplace_back(n, 0);     // empty
  chunks.emplace_back(n, vmax);  // full, every value at the maximum
  Chunk full(static_cast<size_t>(n));
  for (auto& x : full) x = nonzero();
  chunks.push_back(full);
  for (int i = 0; i < n; ++i) {
    Chunk single(static_cast<size_t>(n), 0);  // one lane
    single[static_cast<size_t>(i)] = i % 2 ? vmax : nonzero();
    chunks.push_back(single);
    Chunk all_but(static_cast<size_t>(n));  // every lane but one
    for (auto& x : all_but) x = nonzero();
    all_but[static_cast<size_t>(i)] = 0;
    chunks.push_back(all_but);
  }
  for (int k = 0; k < random; ++k) {
    const int density = static_cast<int>(rng() % 101);
    Chunk c(static_cast<size_t>(n), 0);
    for (auto& x : c)
      if (percent(rng, density)) x = rng() % 4 == 0 ? vmax : nonzero();
    chunks.push_back(c);
  }
  return chunks;
}

template <class Dut>
void set_lanes(Dut& dut, int b, const Chunk& c) {
  for (size_t i = 0; i < c.size(); ++i) set_field(dut.in_data, static_cast<int>(i) * b, b, c[i]);
}

template <class Dut>
void random_lanes(Dut& dut, int n, int b, std::mt19937_64& rng) {
  for (int i = 0; i < n; ++i) set_field(dut.in_data, i * b, b, rng() & value_mask(b));
}

// Output item of both blocks: {count (encoder only), mask lanes..., data lanes...}.
template <class Dut>
Fields read_output(const Dut& dut, int n, int b) {
  Fields f;
  if constexpr (requires { dut.out_count; }) f.push_back(get_field(dut.out_count, 0, 16));
  for (int i = 0; i < n; ++i) f.push_back(get_field(dut.out_mask, i, 1));
  for (int i = 0; i < n; ++i) f.push_back(get_field(dut.out_data, i * b, b));
  return f;
}

Fields encoded_fields(const escgen::blocks::SparseMapChunk& e, bool with_count, const Chunk& data) {
  Fields f;
  if (with_count) f.push_back(static_cast<uint64_t>(e.count));
  for (uint8_t m : e.mask) f.push_back(m);
  f.insert(f.end(), data.begin(), data.end());
  return f;
}

template <class Dut>
std::unique_ptr<Dut> make_dut(VerilatedContext& ctx) {
  auto dut = std::make_unique<Dut>(&ctx);
  escgen::tb::reset(*dut);
  BOOST_TEST_REQUIRE(static_cast<int>(dut->out_valid) == 0);
  return dut;
}

template <class Shape>
void encoder_vs_model(int random) {
  using Enc = typename Shape::Model;
  const int n = Shape::params.row_width, b = Shape::params.act_bits;
  std::mt19937_64 rng(static_cast<uint64_t>(n * 1009 + b));
  VerilatedContext ctx;
  auto dut = make_dut<Enc>(ctx);
  const auto chunks = make_chunks(n, b, random, rng);
  std::vector<Fields> expected;
  for (const Chunk& c : chunks) {
    const auto e = escgen::blocks::sparsemap_encode(c);
    expected.push_back(encoded_fields(e, true, e.packed));
  }
  StreamHooks<Enc> hooks{[&](Enc& d, size_t i) { set_lanes(d, b, chunks[i]); },
                         [&](Enc& d, std::mt19937_64& r) { random_lanes(d, n, b, r); },
                         [&](const Enc& d) { return read_output(d, n, b); }};
  StreamStats stats;
  for (const Flow& f : kFlows)
    BOOST_TEST_REQUIRE(
        escgen::tb::run_stream(*dut, hooks, chunks.size(), expected, f, rng, &stats));
  BOOST_TEST_MESSAGE("sparsemap encoder n=" << n << " b=" << b << ": " << stats.out_transfers
                                            << " chunks checked in " << stats.cycles << " cycles");
  BOOST_TEST(stats.out_transfers == static_cast<long>(std::size(kFlows) * chunks.size()));
  dut->final();
}

// Every mask (row_width <= 16) with random non-zero values, instead of corners + random chunks.
std::vector<Chunk> all_masks(int n, int b, std::mt19937_64& rng) {
  std::vector<Chunk> chunks;
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    Chunk c(static_cast<size_t>(n), 0);
    for (int i = 0; i < n; ++i)
      if ((mask >> i) & 1u) c[static_cast<size_t>(i)] = 1 + rng() % value_mask(b);
    chunks.push_back(c);
  }
  return chunks;
}

// random < 0: every mask, once, at full rate and with stalls.
template <class Shape>
void decoder_vs_model(int random) {
  using Dec = typename Shape::Model;
  const int n = Shape::params.row_width, b = Shape::params.act_bits;
  std::mt19937_64 rng(static_cast<uint64_t>(n * 2003 + b));
  VerilatedContext ctx;
  auto dut = make_dut<Dec>(ctx);
  struct In {
    std::vector<uint8_t> mask;
    Chunk packed;
  };
  std::vector<In> ins;
  std::vector<Fields> expected;
  for (const Chunk& c : random < 0 ? all_masks(n, b, rng) : make_chunks(n, b, random, rng)) {
    auto e = escgen::blocks::sparsemap_encode(c);
    // Lanes past the count carry random values half of the time: the decoder ignores them.
    if (rng() % 2)
      for (size_t i = static_cast<size_t>(e.count); i < e.packed.size(); ++i)
        e.packed[i] = rng() & value_mask(b);
    const Chunk dense = escgen::blocks::sparsemap_decode(e.mask, e.packed);
    BOOST_TEST_REQUIRE(dense == c);  // the models invert each other
    expected.push_back(encoded_fields(e, false, dense));
    ins.push_back({e.mask, e.packed});
  }
  StreamHooks<Dec> hooks{[&](Dec& d, size_t i) {
                           for (int k = 0; k < n; ++k)
                             set_field(d.in_mask, k, 1, ins[i].mask[static_cast<size_t>(k)]);
                           set_lanes(d, b, ins[i].packed);
                         },
                         [&](Dec& d, std::mt19937_64& r) {
                           set_field(d.in_mask, 0, n, r());
                           random_lanes(d, n, b, r);
                         },
                         [&](const Dec& d) { return read_output(d, n, b); }};
  StreamStats stats;
  const std::vector<Flow> flows = random < 0
                                      ? std::vector<Flow>{{100, 100}, {70, 70}}
                                      : std::vector<Flow>(std::begin(kFlows), std::end(kFlows));
  for (const Flow& f : flows)
    BOOST_TEST_REQUIRE(escgen::tb::run_stream(*dut, hooks, ins.size(), expected, f, rng, &stats));
  BOOST_TEST_MESSAGE("sparsemap decoder n=" << n << " b=" << b << ": " << stats.out_transfers
                                            << " chunks checked in " << stats.cycles << " cycles"
                                            << (random < 0 ? ", every mask" : ""));
  BOOST_TEST(stats.out_transfers == static_cast<long>(flows.size() * ins.size()));
  dut->final();
}

// Encoder -> decoder, linked directly (the decoder's in_ready back-pressures the encoder):
// every dense chunk must come out unchanged, with its non-zero mask.
template <class EncShape, class DecShape>
void round_trip(int random) {
  using Enc = typename EncShape::Model;
  using Dec = typename DecShape::Model;
  const int n = EncShape::params.row_width, b = EncShape::params.act_bits;
  static_assert(DecShape::params.row_width == EncShape::params.row_width &&
                DecShape::params.act_bits == EncShape::params.act_bits);
  std::mt19937_64 rng(static_cast<uint64_t>(n * 3001 + b));
  VerilatedContext ctx;
  auto enc = make_dut<Enc>(ctx);
  auto dec = make_dut<Dec>(ctx);
  const auto chunks = make_chunks(n, b, random, rng);
  long cycles = 0, checked = 0;
  for (const Flow& f : kFlows) {
    size_t next_in = 0, next_out = 0;
    bool offering = false, link_stalled = false;
    Fields link_held;
    for (long cyc = 0; next_out < chunks.size(); ++cyc, ++cycles) {
      BOOST_TEST_REQUIRE(cyc < 100000);
      if (!offering && next_in < chunks.size() && percent(rng, f.valid_pct)) offering = true;
      enc->in_valid = offering;
      if (offering)
        set_lanes(*enc, b, chunks[next_in]);
      else
        random_lanes(*enc, n, b, rng);
      const bool ready = percent(rng, f.ready_pct);
      enc->clk = 0;
      dec->clk = 0;
      enc->eval();
      // Link: the decoder sees the encoder's output; the encoder sees the decoder's in_ready.
      dec->in_valid = enc->out_valid;
      dec->in_mask = enc->out_mask;
      for (int i = 0; i < n; ++i)
        set_field(dec->in_data, i * b, b, get_field(enc->out_data, i * b, b));
      enc->out_ready = dec->in_ready;
      dec->out_ready = ready;
      enc->eval();
      dec->eval();
      const Fields link = read_output(*enc, n, b);
      if (link_stalled) BOOST_TEST_REQUIRE((enc->out_valid && link == link_held));
      link_stalled = enc->out_valid && !dec->in_ready;
      link_held = link;
      const bool in_fire = offering && enc->in_ready;
      if (dec->out_valid && ready) {
        const Chunk& want = chunks[next_out];
        Fields exp;
        for (uint64_t x : want) exp.push_back(x != 0);
        exp.insert(exp.end(), want.begin(), want.end());
        const Fields got = read_output(*dec, n, b);
        if (got != exp) {
          BOOST_ERROR("round trip n=" << n << " chunk " << next_out << ": got "
                                      << escgen::tb::show(got) << "\n  want "
                                      << escgen::tb::show(exp));
          return;
        }
        ++next_out;
        ++checked;
      }
      enc->clk = 1;
      dec->clk = 1;
      enc->eval();
      dec->eval();
      if (in_fire) {
        ++next_in;
        offering = false;
      }
    }
  }
  BOOST_TEST_MESSAGE("sparsemap round trip n=" << n << " b=" << b << ": " << checked
                                               << " chunks in " << cycles << " cycles");
  BOOST_TEST(checked == static_cast<long>(std::size(kFlows) * chunks.size()));
  enc->final();
  dec->final();
}

}  // namespace

namespace shapes = escgen::tb::shapes;

BOOST_AUTO_TEST_SUITE(sparsemap)

BOOST_AUTO_TEST_CASE(encoder_n4_b8) {
  encoder_vs_model<shapes::sm_enc_n4_b8>(2500);
}
BOOST_AUTO_TEST_CASE(encoder_n16_b8) {
  encoder_vs_model<shapes::sm_enc_n16_b8>(2500);
}
BOOST_AUTO_TEST_CASE(encoder_n64_b4) {
  encoder_vs_model<shapes::sm_enc_n64_b4>(2500);
}
BOOST_AUTO_TEST_CASE(encoder_n2_b1) {
  encoder_vs_model<shapes::sm_enc_n2_b1>(300);
}
BOOST_AUTO_TEST_CASE(decoder_n4_b8) {
  decoder_vs_model<shapes::sm_dec_n4_b8>(2500);
}
BOOST_AUTO_TEST_CASE(decoder_n16_b8) {
  decoder_vs_model<shapes::sm_dec_n16_b8>(2500);
}
BOOST_AUTO_TEST_CASE(decoder_n64_b4) {
  decoder_vs_model<shapes::sm_dec_n64_b4>(2500);
}
BOOST_AUTO_TEST_CASE(decoder_n2_b1) {
  decoder_vs_model<shapes::sm_dec_n2_b1>(300);
}
BOOST_AUTO_TEST_CASE(decoder_n16_b8_every_mask) {
  decoder_vs_model<shapes::sm_dec_n16_b8>(-1);
}
BOOST_AUTO_TEST_CASE(round_trip_n4_b8) {
  round_trip<shapes::sm_enc_n4_b8, shapes::sm_dec_n4_b8>(2500);
}
BOOST_AUTO_TEST_CASE(round_trip_n16_b8) {
  round_trip<shapes::sm_enc_n16_b8, shapes::sm_dec_n16_b8>(2500);
}
BOOST_AUTO_TEST_CASE(round_trip_n64_b4) {
  round_trip<shapes::sm_enc_n64_b4, shapes::sm_dec_n64_b4>(2500);
}
BOOST_AUTO_TEST_CASE(round_trip_n2_b1) {
  round_trip<shapes::sm_enc_n2_b1, shapes::sm_dec_n2_b1>(300);
}

BOOST_AUTO_TEST_SUITE_END()
