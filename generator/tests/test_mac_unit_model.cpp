// The MAC unit's C++ model against a hand-computed case and against the golden PENNI model
// (random layers: Z planes built from the layer's coefficients and input, then acc - bias per
// output channel), plus the generator's structure and parameter checks. No simulator here: the
// Verilator testbench checks the RTL against this model.
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include "blocks/mac_unit.h"
#include "model/golden.h"
#include "model/random_layer.h"
#include "netlist/netlist.h"
#include "util/error.h"

namespace {

using escgen::blocks::mac_unit_model;
using escgen::blocks::MacLayer;
using escgen::blocks::MacUnitParams;

size_t n(int v) {
  return static_cast<size_t>(v);
}

// Z[o][j] of pixel (y, x) for the model's (h, w, d) layout: sum_i C[o][i][j] * x[i][y][x].
std::vector<int64_t> z_planes(const escgen::Layer& l, const std::vector<uint16_t>& x, int o) {
  std::vector<int64_t> z(n(l.h) * n(l.w) * n(l.d), 0);
  for (int y = 0; y < l.h; ++y)
    for (int xx = 0; xx < l.w; ++xx)
      for (int j = 0; j < l.d; ++j) {
        int64_t s = 0;
        for (int i = 0; i < l.c_in; ++i)
          s += int64_t{l.c(o, i, j)} * x[(n(i) * n(l.h) + n(y)) * n(l.w) + n(xx)];
        z[(n(y) * n(l.w) + n(xx)) * n(l.d) + n(j)] = s;
      }
  return z;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mac_unit)

BOOST_AUTO_TEST_CASE(model_hand_computed) {
  // B = [[1, 2], [3, 4]], Z = [[1, 2, 3], [4, 5, 6]] (d = 1):
  // acc(0,0) = 1*1 + 2*2 + 3*4 + 4*5 = 37, acc(0,1) = 1*2 + 2*3 + 3*5 + 4*6 = 47.
  const std::vector<int64_t> b = {1, 2, 3, 4}, z = {1, 2, 3, 4, 5, 6};
  const MacLayer l{.k = 2, .d = 1, .stride = 1, .pad = 0, .h = 2, .w = 3};
  BOOST_TEST(mac_unit_model(l, b, z) == (std::vector<int64_t>{37, 47}),
             boost::test_tools::per_element());
  // pad 1, stride 2: h_out = (2 + 2 - 2)/2 + 1 = 2, w_out = (3 + 2 - 2)/2 + 1 = 2.
  // (0,0) window rows -1..0, cols -1..0: only Z(0,0) under B[1][1]: 4*1 = 4.
  // (0,1) cols 1..2: Z(0,1)*3 + Z(0,2)*4 = 6 + 12 = 18. (1,0) rows 1..2: Z(1,0)*2 = 8.
  // (1,1): Z(1,1)*1 + Z(1,2)*2 = 5 + 12 = 17.
  const MacLayer lp{.k = 2, .d = 1, .stride = 2, .pad = 1, .h = 2, .w = 3};
  BOOST_TEST(mac_unit_model(lp, b, z) == (std::vector<int64_t>{4, 18, 8, 17}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(model_matches_golden_accumulators) {
  int layers = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    escgen::Rng r(seed);
    escgen::RandomLayerSpec spec;
    spec.k = static_cast<int>(r.between(1, 5));
    spec.pad = static_cast<int>(r.between(0, spec.k - 1));
    spec.stride = static_cast<int>(r.between(1, 3));
    spec.d = static_cast<int>(r.between(1, std::min(9, spec.k * spec.k)));
    const int lo = std::max(1, spec.k - 2 * spec.pad);
    spec.h = static_cast<int>(r.between(lo, 7));
    spec.w = static_cast<int>(r.between(lo, 9));
    spec.c_in = static_cast<int>(r.between(1, 6));
    spec.c_out = 2;
    spec.output = escgen::OutputMode::Raw;
    const auto rl = escgen::random_layer(spec, seed);
    const escgen::Layer& l = rl.layer;
    const auto golden = escgen::golden_accumulators(l, rl.x);
    const MacLayer ml{.k = l.k, .d = l.d, .stride = l.stride, .pad = l.pad, .h = l.h, .w = l.w};
    BOOST_TEST_REQUIRE(ml.h_out() == l.h_out());
    BOOST_TEST_REQUIRE(ml.w_out() == l.w_out());
    const std::vector<int64_t> basis(l.basis.begin(), l.basis.end());
    const size_t plane = n(l.h_out()) * n(l.w_out());
    for (int o = 0; o < l.c_out; ++o) {
      const auto got = mac_unit_model(ml, basis, z_planes(l, rl.x, o));
      BOOST_TEST_REQUIRE(got.size() == plane);
      for (size_t i = 0; i < plane; ++i)
        BOOST_TEST_REQUIRE(got[i] == golden[n(o) * plane + i] - l.bias[n(o)],
                           fmt::format("seed {} o {} output {}", seed, o, i));
    }
    ++layers;
  }
  BOOST_TEST_MESSAGE("mac_unit model = golden acc - bias on " << layers << " random layers");
}

BOOST_AUTO_TEST_CASE(model_rejects_bad_layers) {
  const std::vector<int64_t> b(4, 1), z(6, 1);
  BOOST_CHECK_THROW(mac_unit_model({.k = 2, .d = 1, .stride = 1, .pad = 2, .h = 2, .w = 3}, b, z),
                    escgen::InternalError);
  BOOST_CHECK_THROW(mac_unit_model({.k = 2, .d = 2, .stride = 1, .pad = 0, .h = 2, .w = 3}, b, z),
                    escgen::InternalError);
  BOOST_CHECK_THROW(mac_unit_model({.k = 3, .d = 1, .stride = 1, .pad = 0, .h = 2, .w = 3},
                                   std::vector<int64_t>(9, 1), z),
                    escgen::InternalError);
}

BOOST_AUTO_TEST_CASE(generator_structure_and_parameters) {
  escgen::netlist::Design d;
  const MacUnitParams p{.max_k = 3,
                        .max_d = 4,
                        .max_w = 8,
                        .max_h = 8,
                        .max_stride = 2,
                        .z_bits = 8,
                        .basis_bits = 8,
                        .acc_bits = 0,
                        .macs = 2};
  BOOST_TEST(escgen::blocks::mac_unit_exact_bits(p) == 21);  // 36 * 2^14 < 2^20
  const std::string top = escgen::blocks::build_mac_unit(d, p);
  BOOST_TEST(top == "escgen_mac_unit_k3_d4_w8_h8_s2_z8_b8_a21_m2");
  BOOST_CHECK_NO_THROW(d.check());
  const size_t modules = d.modules().size();
  escgen::blocks::build_mac_unit(d, p);
  BOOST_TEST(d.modules().size() == modules);
  // The line buffer: max_k x max_w pixels of max_d x z_bits; one reader per MAC.
  const auto& m = d.get(top);
  BOOST_TEST(m.width_of("zbuf_all") == 3 * 8 * 4 * 8);
  int readers = 0;
  for (const auto& inst : m.instances()) readers += inst.module.starts_with("escgen_mac_reader");
  BOOST_TEST(readers == 2);

  auto bad = [&](MacUnitParams q) {
    escgen::netlist::Design dd;
    BOOST_CHECK_THROW(escgen::blocks::build_mac_unit(dd, q), escgen::InternalError);
  };
  MacUnitParams q = p;
  q.macs = 37;  // > max_d * max_k^2
  bad(q);
  q = p, q.acc_bits = 7;  // < z_bits
  bad(q);
  q = p, q.max_k = 0;
  bad(q);
  q = p, q.z_bits = 1;
  bad(q);
}

BOOST_AUTO_TEST_SUITE_END()
