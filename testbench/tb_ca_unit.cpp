// CA unit testbench: the generated block (Verilated, 7 shapes from 2 to 32 lanes, look-aside 0
// to 4, 1 to 9 bases, 1 to 5 vectors issued per cycle, chunks gathered whole or in 2 or 4 parts)
// against blocks::ca_unit_model. Per shape, a
// series of random layers (c_in not a multiple of row_width, d from 1 to max_d, coefficient
// densities 0 to 100%, activation densities 0 to 100%, maximum values) runs back to back on the
// same instance: the coefficient store is rewritten between layers, chunks arrive with random valid
// gaps and the Z output sees random ready stalls. Every pixel's Z vector must equal the model (and
// 0 for j >= d); the number of issue cycles must equal, per chunk, ceil(non-empty (chunk, basis)
// matches / issue width), plus one end-of-pixel marker per pixel whose last chunk has no match.
#define BOOST_TEST_MODULE escgen ca unit testbench
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

#include "blocks/ca_unit.h"
#include "common/ports.h"
#include "tb_ca_unit_shapes.h"

namespace {

using escgen::blocks::CaUnitParams;
using escgen::tb::get_field;
using escgen::tb::set_field;

struct Layer {
  int c_in, d, chunks;
  std::vector<int8_t> coef;                   // (c_in, d)
  std::vector<std::vector<uint64_t>> pixels;  // per pixel: c_in activations
};

Layer make_layer(const CaUnitParams& p, std::mt19937_64& rng, int idx) {
  Layer l;
  const int cmax = p.chunks_max * p.row_width;
  l.c_in = idx == 0 ? cmax : 1 + static_cast<int>(rng() % static_cast<uint64_t>(cmax));
  l.d = idx == 0 ? p.max_d : 1 + static_cast<int>(rng() % static_cast<uint64_t>(p.max_d));
  l.chunks = (l.c_in + p.row_width - 1) / p.row_width;
  const int coef_pct[] = {100, 0, 2, 30, 60, 100, 10};
  const int act_pct[] = {100, 50, 0, 50, 100, 30, 80};
  const int cp = coef_pct[idx % 7], ap = act_pct[idx % 7];
  const uint64_t amax = (uint64_t{1} << p.act_bits) - 1;
  l.coef.resize(static_cast<size_t>(l.c_in * l.d));
  for (auto& c : l.coef)
    c = static_cast<int>(rng() % 100) < cp ? (rng() % 2 ? int8_t{1} : int8_t{-1}) : int8_t{0};
  const int npix = 1 + static_cast<int>(rng() % 12);
  for (int x = 0; x < npix; ++x) {
    std::vector<uint64_t> a(static_cast<size_t>(l.c_in), 0);
    for (auto& v : a)
      if (static_cast<int>(rng() % 100) < ap) v = rng() % 3 == 0 ? amax : 1 + rng() % amax;
    l.pixels.push_back(std::move(a));
  }
  return l;
}

template <class M>
void settle(M& m) {
  m.clk = 0;
  m.eval();
}

template <class Shape>
void run_shape(uint64_t seed) {
  using M = typename Shape::Model;
  const CaUnitParams& p = Shape::params;
  const int n = p.row_width, b = p.act_bits, zb = escgen::blocks::ca_unit_z_bits(p);
  auto m = std::make_unique<M>();
  std::mt19937_64 rng(seed);
  m->rst_n = 0;
  m->in_valid = 0;
  m->out_ready = 0;
  m->coef_we = 0;
  m->chunks = 1;
  m->d = 1;
  for (int i = 0; i < 3; ++i) escgen::tb::tick(*m);
  m->rst_n = 1;

  for (int li = 0; li < 8; ++li) {
    const Layer l = make_layer(p, rng, li);
    // Load the coefficient store (stale entries of earlier layers stay; the layer uses c < chunks
    // and j < d only; bases >= d get random garbage).
    for (int c = 0; c < l.chunks; ++c) {  // one write per chunk: every basis at once
      for (int j = 0; j < p.max_d; ++j) {
        uint64_t mask = 0, sign = 0;
        for (int i = 0; i < n && j < l.d; ++i) {
          const int ch = c * n + i;
          if (ch >= l.c_in) continue;
          const int8_t v = l.coef[static_cast<size_t>(ch * l.d + j)];
          if (v != 0) mask |= uint64_t{1} << i;
          if (v < 0) sign |= uint64_t{1} << i;
        }
        if (j >= l.d) mask = rng(), sign = rng();  // garbage in bases >= d: must be ignored
        set_field(m->coef_data, j * 2 * n, n, mask);
        set_field(m->coef_data, j * 2 * n + n, n, sign);
      }
      m->coef_we = 1;
      m->coef_chunk = static_cast<uint8_t>(c);
      escgen::tb::tick(*m);
    }
    m->coef_we = 0;
    m->chunks = static_cast<uint8_t>(l.chunks);
    m->d = static_cast<uint8_t>(l.d);

    // Expected Z vectors and issue count.
    std::vector<std::vector<int64_t>> expect;
    int64_t expect_issues = 0;
    for (const auto& px : l.pixels) {
      expect.push_back(escgen::blocks::ca_unit_model(px, l.coef, l.c_in, l.d));
      for (int c = 0; c < l.chunks; ++c) {
        int nonempty = 0;
        for (int j = 0; j < l.d; ++j) {
          bool any = false;
          for (int i = 0; i < n && c * n + i < l.c_in; ++i) {
            const int ch = c * n + i;
            any |=
                px[static_cast<size_t>(ch)] != 0 && l.coef[static_cast<size_t>(ch * l.d + j)] != 0;
          }
          nonempty += any;
        }
        expect_issues += (nonempty + p.issue - 1) / p.issue;
        if (c == l.chunks - 1 && nonempty == 0) ++expect_issues;
      }
    }

    const int gap = static_cast<int>(rng() % 60), stall = static_cast<int>(rng() % 70);
    size_t next_chunk = 0;
    const size_t total_chunks = l.pixels.size() * static_cast<size_t>(l.chunks);
    std::vector<std::vector<int64_t>> got;
    int64_t issues = 0, cycles = 0;
    while (got.size() < expect.size() && cycles < 200000) {
      const bool in_valid = next_chunk < total_chunks && static_cast<int>(rng() % 100) >= gap;
      m->in_valid = in_valid;
      if (next_chunk < total_chunks) {
        const auto& px = l.pixels[next_chunk / static_cast<size_t>(l.chunks)];
        const int c = static_cast<int>(next_chunk % static_cast<size_t>(l.chunks));
        uint64_t mask = 0;
        for (int i = 0; i < n; ++i) {
          const int ch = c * n + i;
          const uint64_t v = ch < l.c_in ? px[static_cast<size_t>(ch)] : 0;
          if (v != 0) mask |= uint64_t{1} << i;
          set_field(m->in_act, i * b, b, v);
        }
        set_field(m->in_mask, 0, n, mask);
      }
      m->out_ready = static_cast<int>(rng() % 100) >= stall;
      settle(*m);
      if (m->in_valid && m->in_ready) ++next_chunk;
      if (m->out_valid && m->out_ready) {
        std::vector<int64_t> z;
        for (int j = 0; j < p.max_d; ++j) {
          uint64_t raw = get_field(m->out_z, j * zb, zb);
          const int64_t v = static_cast<int64_t>(raw << (64 - zb)) >> (64 - zb);
          if (j < l.d)
            z.push_back(v);
          else
            BOOST_TEST(v == 0, "Z[" << j << "] beyond d");
        }
        got.push_back(std::move(z));
      }
      issues += m->stat_issue;
      escgen::tb::tick(*m);
      ++cycles;
    }
    BOOST_TEST_REQUIRE(got.size() == expect.size(),
                       "layer " << li << ": Z vectors after " << cycles << " cycles");
    for (size_t x = 0; x < expect.size(); ++x)
      BOOST_TEST(got[x] == expect[x], boost::test_tools::per_element());
    BOOST_TEST(issues == expect_issues, "layer " << li << " issue cycles");
    // Drain: nothing more comes out.
    m->in_valid = 0;
    m->out_ready = 1;
    for (int i = 0; i < 40; ++i) {
      settle(*m);
      BOOST_TEST(!m->out_valid);
      escgen::tb::tick(*m);
    }
    BOOST_TEST_MESSAGE("layer " << li << ": c_in " << l.c_in << " d " << l.d << " pixels "
                                << l.pixels.size() << " issues " << issues << " cycles " << cycles);
  }
}

}  // namespace

namespace shapes = escgen::tb::shapes;

BOOST_AUTO_TEST_SUITE(ca_unit)

BOOST_AUTO_TEST_CASE(n2_b4_d1_c1_l2_a0_s0_i1) {
  run_shape<shapes::ca_n2_b4_d1_c1_l2_a0_s0_i1>(11);
}
BOOST_AUTO_TEST_CASE(n4_b8_d3_c3_l2_a1_s0_i2) {
  run_shape<shapes::ca_n4_b8_d3_c3_l2_a1_s0_i2>(12);
}
BOOST_AUTO_TEST_CASE(n16_b8_d5_c4_l8_a4_s1_i1) {
  run_shape<shapes::ca_n16_b8_d5_c4_l8_a4_s1_i1>(13);
}
BOOST_AUTO_TEST_CASE(n16_b8_d5_c4_l8_a2_s4_i5) {
  run_shape<shapes::ca_n16_b8_d5_c4_l8_a2_s4_i5>(15);
}
BOOST_AUTO_TEST_CASE(n32_b8_d9_c2_l16_a2_s2_i4) {
  run_shape<shapes::ca_n32_b8_d9_c2_l16_a2_s2_i4>(14);
}
BOOST_AUTO_TEST_CASE(n16_b8_d5_c4_l8_a2_s4_i5_g8) {
  run_shape<shapes::ca_n16_b8_d5_c4_l8_a2_s4_i5_g8>(16);
}
BOOST_AUTO_TEST_CASE(n32_b8_d9_c2_l8_a1_s1_i1_g8) {
  run_shape<shapes::ca_n32_b8_d9_c2_l8_a1_s1_i1_g8>(17);
}

BOOST_AUTO_TEST_SUITE_END()
