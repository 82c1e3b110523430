// SparseMap models (activation codec, coefficient encoder) and the structure of the generated
// codec (no simulator here; testbench/tb_sparsemap.cpp checks the RTL against these models).
#include <boost/test/unit_test.hpp>

#include <random>

#include "blocks/bit_expand.h"
#include "blocks/sparsemap.h"
#include "interface/coef_sparsemap.h"
#include "netlist/netlist.h"
#include "util/error.h"

namespace {

using namespace escgen::blocks;
using escgen::decode_coef_sparsemap;
using escgen::encode_coef_sparsemap;
using V64 = std::vector<uint64_t>;
using V8 = std::vector<uint8_t>;

}  // namespace

BOOST_AUTO_TEST_SUITE(sparsemap)

BOOST_AUTO_TEST_CASE(encode_packs_non_zero_values_in_lane_order) {
  const auto c = sparsemap_encode(V64{0, 7, 0, 5});
  BOOST_TEST(c.count == 2);
  BOOST_TEST(c.mask == (V8{0, 1, 0, 1}), boost::test_tools::per_element());
  BOOST_TEST(c.packed == (V64{7, 5, 0, 0}), boost::test_tools::per_element());
  const auto empty = sparsemap_encode(V64{0, 0, 0, 0});
  BOOST_TEST(empty.count == 0);
  BOOST_TEST(empty.packed == (V64{0, 0, 0, 0}), boost::test_tools::per_element());
  const auto full = sparsemap_encode(V64{1, 2, 3, 4});
  BOOST_TEST(full.count == 4);
  BOOST_TEST(full.packed == (V64{1, 2, 3, 4}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(decode_inverts_encode) {
  BOOST_TEST(sparsemap_decode(V8{0, 1, 0, 1}, V64{7, 5, 9, 9}) == (V64{0, 7, 0, 5}),
             boost::test_tools::per_element());  // lanes past the count are ignored
  std::mt19937_64 rng(3);
  for (int rep = 0; rep < 1000; ++rep) {
    V64 dense(16);
    for (auto& x : dense) x = (rng() % 3 == 0) ? rng() % 256 : 0;
    const auto c = sparsemap_encode(dense);
    BOOST_TEST_REQUIRE(sparsemap_decode(c.mask, c.packed) == dense);
  }
  BOOST_CHECK_THROW(sparsemap_decode(V8{1, 0}, V64{1}), escgen::InternalError);
}

BOOST_AUTO_TEST_CASE(coefficient_masks_and_signs) {
  // c_in 6, d 2, row_width 4: C[i][0] = [+1 0 -1 0 -1 +1], C[i][1] = [0 0 0 0 0 -1].
  const std::vector<int8_t> coef = {1, 0, 0, 0, -1, 0, 0, 0, -1, 0, 1, -1};
  const auto map = encode_coef_sparsemap(coef, 6, 2, 4);
  BOOST_TEST(map.chunks == 2);
  BOOST_TEST(map.entries.size() == 4u);
  BOOST_TEST(map.at(0, 0).mask == (V8{1, 0, 1, 0}), boost::test_tools::per_element());
  BOOST_TEST(map.at(0, 0).sign == (V8{0, 0, 1, 0}), boost::test_tools::per_element());
  BOOST_TEST(map.at(1, 0).mask == (V8{1, 1, 0, 0}), boost::test_tools::per_element());
  BOOST_TEST(map.at(1, 0).sign == (V8{1, 0, 0, 0}), boost::test_tools::per_element());
  BOOST_TEST(map.at(0, 1).mask == (V8{0, 0, 0, 0}), boost::test_tools::per_element());
  BOOST_TEST(map.at(1, 1).mask == (V8{0, 1, 0, 0}), boost::test_tools::per_element());
  BOOST_TEST(map.at(1, 1).sign == (V8{0, 1, 0, 0}), boost::test_tools::per_element());
  // Entries are stored in read order: chunk-major, basis-minor.
  BOOST_TEST(&map.at(1, 0) == &map.entries[2]);
  BOOST_CHECK_THROW(map.at(2, 0), escgen::InternalError);
}

BOOST_AUTO_TEST_CASE(coefficient_round_trip_and_errors) {
  std::mt19937_64 rng(5);
  for (int c_in : {1, 7, 16, 33}) {
    for (int d : {1, 5}) {
      std::vector<int8_t> coef(static_cast<size_t>(c_in * d));
      for (auto& c : coef) c = static_cast<int8_t>(static_cast<int>(rng() % 3) - 1);
      const auto map = encode_coef_sparsemap(coef, c_in, d, 16);
      BOOST_TEST(map.chunks == (c_in + 15) / 16);
      BOOST_TEST(decode_coef_sparsemap(map) == coef, boost::test_tools::per_element());
      for (const auto& e : map.entries)
        for (size_t k = 0; k < e.mask.size(); ++k) BOOST_TEST(e.sign[k] <= e.mask[k]);
    }
  }
  BOOST_CHECK_THROW(encode_coef_sparsemap(std::vector<int8_t>{1, 2}, 2, 1, 4), escgen::InputError);
  BOOST_CHECK_THROW(encode_coef_sparsemap(std::vector<int8_t>{1, -2}, 2, 1, 4), escgen::InputError);
  BOOST_CHECK_THROW(encode_coef_sparsemap(std::vector<int8_t>{1}, 2, 1, 4), escgen::InternalError);
}

BOOST_AUTO_TEST_CASE(codec_structure) {
  escgen::netlist::Design d;
  const std::string enc = build_sparsemap_encoder(d, {.row_width = 16, .act_bits = 8});
  const std::string dec = build_sparsemap_decoder(d, {.row_width = 16, .act_bits = 8});
  BOOST_TEST(enc == "escgen_sparsemap_enc_n16_b8");
  BOOST_TEST(dec == "escgen_sparsemap_dec_n16_b8");
  BOOST_CHECK_NO_THROW(d.check());
  // The encoder reuses the bit-gather; the decoder's expansion has log2(16) reversed stages,
  // each one 2:1 multiplexer per lane that can receive (16 - s move bits).
  BOOST_TEST(d.has("escgen_bit_gather_n16_b8"));
  BOOST_TEST(d.get("escgen_bit_expand_n16_b8").instances().size() == 5u);  // control + 4
  BOOST_TEST(d.get("escgen_bit_expand_stage_n16_b8_s4").width_of("move") == 12);
  // Only distance bits that can be set are carried: lane 5 before the stride-4 stage has none.
  const auto& ctrl = d.get("escgen_bit_expand_ctrl_n16");
  BOOST_TEST(ctrl.width_of("dist_b2_l13") == 2);  // bits 2, 3
  BOOST_CHECK_THROW(ctrl.width_of("dist_b2_l3"), escgen::InternalError);
  BOOST_CHECK_THROW(build_sparsemap_encoder(d, {.row_width = 12, .act_bits = 8}),
                    escgen::InternalError);
  BOOST_CHECK_THROW(build_sparsemap_decoder(d, {.row_width = 16, .act_bits = 0}),
                    escgen::InternalError);
  BOOST_CHECK_THROW(build_bit_expand(d, {.width = 1, .data_bits = 8}), escgen::InternalError);
}

BOOST_AUTO_TEST_SUITE_END()
