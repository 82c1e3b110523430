// Dilution testbench: the generated block (Verilated, the 6 shapes testbench/CMakeLists.txt
// declares: 4 gathered whole, 2 gathered as parts of 8 lanes) against
// blocks::dilution_parts_model (each part compacted on its own, with its own count). Stimuli:
// corner chunks (every lane matched with every sign negative at the maximum value, nothing matched,
// empty activations, every single lane matched with either sign, every lane but one) then random
// chunks with random activation and coefficient densities and signs, some with act_mask set on zero
// values or clear on non-zero ones (the masks decide); random `last` flags; random valid gaps and
// random ready stalls. Lanes from the count on: zero or copies of matched values, all zero when
// nothing matched.
#define BOOST_TEST_MODULE escgen dilution testbench
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <random>
#include <span>
#include <vector>

#include "blocks/dilution.h"
#include "common/gather_tail.h"
#include "common/ports.h"
#include "common/stream_check.h"
#include "tb_dilution_shapes.h"
#include "util/bits.h"

namespace {

using escgen::tb::Fields;
using escgen::tb::Flow;
using escgen::tb::get_field;
using escgen::tb::percent;
using escgen::tb::set_field;
using escgen::tb::StreamHooks;
using escgen::tb::StreamStats;
using Mask = std::vector<uint8_t>;

const Flow kFlows[] = {{100, 100}, {70, 70}, {95, 20}, {20, 95}, {50, 50}, {100, 60}};

uint64_t value_mask(int bits) {
  return (uint64_t{1} << bits) - 1;
}

struct Item {
  Mask act_mask, coef_mask, sign_mask;
  std::vector<uint64_t> act;
  bool last = false;
};

std::vector<Item> make_items(int n, int b, int random, std::mt19937_64& rng) {
  const uint64_t vmax = value_mask(b);
  const auto un = static_cast<size_t>(n);
  auto nonzero = [&] { return 1 + rng() % vmax; };
  auto bits = [&](int pct) {
    Mask m(un);
    for (auto& x : m) x = percent(rng, pct) ? 1 : 0;
    return m;
  };
  auto dense = [&](int pct) {
    Item it;
    it.act.assign(un, 0);
    for (auto& x : it.act)
      if (percent(rng, pct)) x = rng() % 4 == 0 ? vmax : nonzero();
    for (uint64_t x : it.act) it.act_mask.push_back(x != 0);
    return it;
  };
  std::vector<Item> items;
  Item all = dense(100);  // every lane matched, every sign negative, values at the maximum
  all.act.assign(un, vmax);
  all.coef_mask = Mask(un, 1);
  all.sign_mask = Mask(un, 1);
  items.push_back(all);
  all.sign_mask = Mask(un, 0);  // every lane matched, positive
  items.push_back(all);
  Item none = dense(100);  // nothing matched: no coefficient
  none.coef_mask = Mask(un, 0);
  none.sign_mask = bits(50);
  items.push_back(none);
  Item empty = dense(0);  // empty activations, every coefficient
  empty.coef_mask = Mask(un, 1);
  empty.sign_mask = bits(50);
  items.push_back(empty);
  for (int i = 0; i < n; ++i) {
    for (int neg = 0; neg < 2; ++neg) {
      Item single = dense(100);  // only lane i matched
      single.coef_mask = Mask(un, 0);
      single.coef_mask[static_cast<size_t>(i)] = 1;
      single.sign_mask = Mask(un, static_cast<uint8_t>(neg));
      items.push_back(single);
    }
    Item but = dense(100);  // every lane but i matched
    but.coef_mask = Mask(un, 1);
    but.coef_mask[static_cast<size_t>(i)] = 0;
    but.sign_mask = bits(50);
    items.push_back(but);
  }
  for (int k = 0; k < random; ++k) {
    Item it = dense(static_cast<int>(rng() % 101));
    it.coef_mask = bits(static_cast<int>(rng() % 101));
    it.sign_mask = bits(50);
    if (k % 8 == 0) {  // masks that disagree with the values: the masks decide
      for (size_t i = 0; i < un; ++i)
        if (rng() % 4 == 0) it.act_mask[i] ^= 1;
    }
    items.push_back(it);
  }
  for (auto& it : items) it.last = rng() % 3 == 0;
  return items;
}

// Output item: {last, then per part of g lanes: count, mask lanes..., value lanes as
// (act_bits+1)-bit two's complement}. A lane from its part's count on may hold zero or a copy of
// a matched value of that part (the gather does not clear its tail; all zero when nothing
// matched): read as 0 when it does, as itself (non-zero, so a mismatch against the model's 0)
// when it does not.
template <class Dut>
Fields read_output(const Dut& d, int n, int b, int g) {
  const int cbits = escgen::bits_for(static_cast<uint64_t>(g));
  Fields f = {get_field(d.out_last, 0, 1)};
  for (int t = 0; t < n / g; ++t) {
    const uint64_t count = get_field(d.out_count, t * cbits, cbits);
    f.push_back(count);
    for (int i = t * g; i < (t + 1) * g; ++i) f.push_back(get_field(d.out_mask, i, 1));
    std::vector<uint64_t> lanes;
    for (int i = t * g; i < (t + 1) * g; ++i)
      lanes.push_back(get_field(d.out_data, i * (b + 1), b + 1));
    const auto head = std::span(lanes).first(std::min<size_t>(count, lanes.size()));
    for (size_t i = 0; i < lanes.size(); ++i)
      f.push_back(i >= head.size() && escgen::tb::gather_tail_ok(lanes[i], head) ? 0 : lanes[i]);
  }
  return f;
}

Fields expected_fields(const Item& it, int b, int g) {
  Fields f = {it.last ? 1u : 0u};
  for (const auto& r :
       escgen::blocks::dilution_parts_model(it.act_mask, it.act, it.coef_mask, it.sign_mask, g)) {
    f.push_back(static_cast<uint64_t>(r.count));
    for (int i = 0; i < g; ++i) f.push_back(i < r.count ? 1 : 0);
    for (int64_t v : r.data) f.push_back(static_cast<uint64_t>(v) & value_mask(b + 1));
  }
  return f;
}

template <class Dut>
void masks_to(Dut& d, int n, const Mask& act, const Mask& coef, const Mask& sign) {
  for (int i = 0; i < n; ++i) {
    const auto ui = static_cast<size_t>(i);
    set_field(d.in_act_mask, i, 1, act[ui]);
    set_field(d.in_coef_mask, i, 1, coef[ui]);
    set_field(d.in_sign_mask, i, 1, sign[ui]);
  }
}

template <class Shape>
void dilution_vs_model(int random) {
  using Dut = typename Shape::Model;
  const escgen::blocks::DilutionParams& p = Shape::params;
  const int n = p.row_width, b = p.act_bits, g = p.gather_lanes == 0 ? n : p.gather_lanes;
  std::mt19937_64 rng(static_cast<uint64_t>(n * 4001 + b));
  VerilatedContext ctx;
  auto dut = std::make_unique<Dut>(&ctx);
  escgen::tb::reset(*dut);
  BOOST_TEST_REQUIRE(static_cast<int>(dut->out_valid) == 0);
  const auto items = make_items(n, b, random, rng);
  std::vector<Fields> expected;
  for (const Item& it : items) expected.push_back(expected_fields(it, b, g));
  StreamHooks<Dut> hooks{[&](Dut& d, size_t i) {
                           const Item& it = items[i];
                           masks_to(d, n, it.act_mask, it.coef_mask, it.sign_mask);
                           for (int k = 0; k < n; ++k)
                             set_field(d.in_act, k * b, b, it.act[static_cast<size_t>(k)]);
                           d.in_last = it.last;
                         },
                         [&](Dut& d, std::mt19937_64& r) {
                           set_field(d.in_act_mask, 0, n, r());
                           set_field(d.in_coef_mask, 0, n, r());
                           set_field(d.in_sign_mask, 0, n, r());
                           for (int k = 0; k < n; ++k)
                             set_field(d.in_act, k * b, b, r() & value_mask(b));
                           d.in_last = static_cast<uint8_t>(r() & 1u);
                         },
                         [&](const Dut& d) { return read_output(d, n, b, g); }};
  StreamStats stats;
  for (const Flow& f : kFlows)
    BOOST_TEST_REQUIRE(escgen::tb::run_stream(*dut, hooks, items.size(), expected, f, rng, &stats));
  BOOST_TEST_MESSAGE("dilution n=" << n << " b=" << b << " gather " << g << ": "
                                   << stats.out_transfers << " chunks checked in " << stats.cycles
                                   << " cycles");
  BOOST_TEST(stats.out_transfers == static_cast<long>(std::size(kFlows) * items.size()));
  dut->final();
}

}  // namespace

namespace shapes = escgen::tb::shapes;

BOOST_AUTO_TEST_SUITE(dilution)

BOOST_AUTO_TEST_CASE(width_4) {
  dilution_vs_model<shapes::dil_n4_b8>(3000);
}
BOOST_AUTO_TEST_CASE(width_16) {
  dilution_vs_model<shapes::dil_n16_b8>(3000);
}
BOOST_AUTO_TEST_CASE(width_64) {
  dilution_vs_model<shapes::dil_n64_b8>(3000);
}
BOOST_AUTO_TEST_CASE(width_2_one_bit) {
  dilution_vs_model<shapes::dil_n2_b1>(300);
}
BOOST_AUTO_TEST_CASE(width_16_two_parts) {
  dilution_vs_model<shapes::dil_n16_b8_g8>(3000);
}
BOOST_AUTO_TEST_CASE(width_32_four_parts) {
  dilution_vs_model<shapes::dil_n32_b8_g8>(3000);
}

BOOST_AUTO_TEST_SUITE_END()
