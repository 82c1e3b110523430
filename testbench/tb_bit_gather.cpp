// Bit-gather testbench: the generated network (Verilated, 7 shapes, and 2 without tail
// clearing) against the C++ model blocks::bit_gather_model. Every mask for widths <= 8, random
// masks (uniform and biased densities) above; random data; random in_valid gaps. Without tail
// clearing the lanes from the count on must hold zero or a copy of a gathered lane, and every
// lane zero when nothing is selected. This is the pattern later block testbenches follow: a
// driver that applies one vector, the model, a checker per output.
// clang-format off
#define BOOST_TEST_MODULE escgen bit-gather testbench
// clang-format on
#include <boost/test/unit_test.hpp>

#include <memory>
#include <random>
#include <span>
#include <vector>

#include "blocks/bit_gather.h"
#include "common/gather_tail.h"
#include "common/ports.h"
#include "tb_bit_gather_shapes.h"

namespace {

using escgen::tb::get_field;
using escgen::tb::set_field;
using escgen::tb::tick;

struct Vector {
  std::vector<uint8_t> mask;
  std::vector<uint64_t> data;
  bool valid;
};

template <class Model>
class BitGatherBench {
 public:
  BitGatherBench(int width, int data_bits, bool clear_tail)
      : n_(width), b_(data_bits), clear_tail_(clear_tail) {
    ctx_ = std::make_unique<VerilatedContext>();
    dut_ = std::make_unique<Model>(ctx_.get());
    dut_->rst_n = 0;
    tick(*dut_);
    dut_->rst_n = 1;
    BOOST_TEST_REQUIRE(static_cast<int>(dut_->out_valid) == 0);  // reset clears valid
  }
  ~BitGatherBench() { dut_->final(); }

  // Applies one vector, clocks once, compares every output with the model. Returns false on the
  // first mismatch (after reporting it).
  bool check(const Vector& v) {
    for (int i = 0; i < n_; ++i) {
      set_field(dut_->in_mask, i, 1, v.mask[static_cast<size_t>(i)]);
      set_field(dut_->in_data, i * b_, b_, v.data[static_cast<size_t>(i)]);
    }
    dut_->in_valid = v.valid;
    tick(*dut_);
    const auto want = escgen::blocks::bit_gather_model(v.mask, v.data);
    bool ok = static_cast<bool>(dut_->out_valid) == v.valid;
    ok &= static_cast<int>(get_field(dut_->out_count, 0, 16)) == want.count;
    for (int i = 0; i < n_; ++i) {
      ok &= get_field(dut_->out_mask, i, 1) == (i < want.count ? 1u : 0u);
      const uint64_t got = get_field(dut_->out_data, i * b_, b_);
      ok &= i < want.count || clear_tail_
                ? got == want.data[static_cast<size_t>(i)]
                : escgen::tb::gather_tail_ok(
                      got, std::span(want.data).first(static_cast<size_t>(want.count)));
    }
    if (!ok) {
      std::string m, got, exp;
      for (int i = n_ - 1; i >= 0; --i) m += v.mask[static_cast<size_t>(i)] ? '1' : '0';
      for (int i = 0; i < n_; ++i) {
        got += std::to_string(get_field(dut_->out_data, i * b_, b_)) + " ";
        exp += std::to_string(want.data[static_cast<size_t>(i)]) + " ";
      }
      BOOST_ERROR("n=" << n_ << " mask=" << m << " count got " << get_field(dut_->out_count, 0, 16)
                       << " want " << want.count << "\n  got  " << got << "\n  want " << exp);
    }
    ++checked_;
    return ok;
  }
  long checked() const { return checked_; }

 private:
  int n_, b_;
  bool clear_tail_;
  long checked_ = 0;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> dut_;
};

std::vector<uint64_t> random_data(std::mt19937_64& rng, int n, int bits) {
  std::vector<uint64_t> d(static_cast<size_t>(n));
  for (auto& x : d) x = rng() & ((uint64_t{1} << bits) - 1);
  return d;
}

// Exhaustive over masks (widths <= 8), 4 data patterns each.
template <class Shape>
void exhaustive() {
  const int n = Shape::params.width, bits = Shape::params.data_bits;
  BitGatherBench<typename Shape::Model> tb(n, bits, Shape::params.clear_tail);
  std::mt19937_64 rng(static_cast<uint64_t>(n * 131 + bits));
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    for (int rep = 0; rep < 4; ++rep) {
      Vector v;
      for (int i = 0; i < n; ++i) v.mask.push_back(static_cast<uint8_t>((mask >> i) & 1u));
      v.data = random_data(rng, n, bits);
      v.valid = rep != 3;
      if (!tb.check(v)) return;
    }
  }
  BOOST_TEST_MESSAGE("bit_gather n=" << n << " b=" << bits << ": " << tb.checked()
                                     << " vectors, all masks");
  BOOST_TEST(tb.checked() == 4L * (1L << n));
}

// Random masks at densities 0..100% (so empty, full and sparse masks all occur), random data.
template <class Shape>
void random_masks(int vectors) {
  const int n = Shape::params.width, bits = Shape::params.data_bits;
  BitGatherBench<typename Shape::Model> tb(n, bits, Shape::params.clear_tail);
  std::mt19937_64 rng(static_cast<uint64_t>(n * 7919 + bits));
  std::uniform_int_distribution<int> pct(0, 100);
  for (int k = 0; k < vectors; ++k) {
    const int density = k % 10 == 0 ? (k % 20 == 0 ? 0 : 100) : pct(rng);
    Vector v;
    for (int i = 0; i < n; ++i) v.mask.push_back(static_cast<uint8_t>(pct(rng) < density ? 1 : 0));
    v.data = random_data(rng, n, bits);
    v.valid = (rng() & 7u) != 0;
    if (!tb.check(v)) return;
  }
  BOOST_TEST_MESSAGE("bit_gather n=" << n << " b=" << bits << ": " << tb.checked()
                                     << " random vectors");
  BOOST_TEST(tb.checked() == vectors);
}

}  // namespace

namespace shapes = escgen::tb::shapes;

BOOST_AUTO_TEST_SUITE(bit_gather)

BOOST_AUTO_TEST_CASE(all_masks_width_2) {
  exhaustive<shapes::bg_n2_b8>();
}
BOOST_AUTO_TEST_CASE(all_masks_width_4) {
  exhaustive<shapes::bg_n4_b8>();
}
BOOST_AUTO_TEST_CASE(all_masks_width_8) {
  exhaustive<shapes::bg_n8_b8>();
}
BOOST_AUTO_TEST_CASE(all_masks_width_8_narrow_data) {
  exhaustive<shapes::bg_n8_b3>();
}
BOOST_AUTO_TEST_CASE(random_masks_width_16) {
  random_masks<shapes::bg_n16_b8>(20000);
}
BOOST_AUTO_TEST_CASE(random_masks_width_32) {
  random_masks<shapes::bg_n32_b8>(20000);
}
BOOST_AUTO_TEST_CASE(random_masks_width_64) {
  random_masks<shapes::bg_n64_b4>(20000);
}
BOOST_AUTO_TEST_CASE(all_masks_width_8_tail_not_cleared) {
  exhaustive<shapes::bg_n8_b8_nc>();
}
BOOST_AUTO_TEST_CASE(random_masks_width_16_tail_not_cleared) {
  random_masks<shapes::bg_n16_b8_nc>(20000);
}

BOOST_AUTO_TEST_SUITE_END()
