// Dilution model and generator checks (no simulator; testbench/tb_dilution.cpp checks the RTL).
#include <boost/test/unit_test.hpp>

#include "blocks/dilution.h"
#include "netlist/netlist.h"
#include "util/error.h"

namespace {

using namespace escgen::blocks;
using V8 = std::vector<uint8_t>;

}  // namespace

BOOST_AUTO_TEST_SUITE(dilution)

BOOST_AUTO_TEST_CASE(model_matches_signs_and_compacts) {
  const std::vector<uint64_t> act = {0, 7, 3, 5};
  auto r = dilution_model(V8{0, 1, 1, 1}, act, V8{1, 1, 0, 1}, V8{0, 0, 0, 1});
  BOOST_TEST(r.count == 2);
  BOOST_TEST(r.data == (std::vector<int64_t>{7, -5, 0, 0}), boost::test_tools::per_element());
  // The masks decide, not the values: a masked-in zero activation is a matched zero.
  r = dilution_model(V8{1, 0, 0, 0}, act, V8{1, 1, 1, 1}, V8{1, 1, 1, 1});
  BOOST_TEST(r.count == 1);
  BOOST_TEST(r.data == (std::vector<int64_t>{0, 0, 0, 0}), boost::test_tools::per_element());
  r = dilution_model(V8{1, 1, 1, 1}, act, V8{0, 0, 0, 0}, V8{1, 1, 1, 1});
  BOOST_TEST(r.count == 0);
  r = dilution_model(V8{1, 1, 1, 1}, act, V8{1, 1, 1, 1}, V8{1, 0, 1, 0});
  BOOST_TEST(r.data == (std::vector<int64_t>{0, 7, -3, 5}), boost::test_tools::per_element());
  BOOST_CHECK_THROW(dilution_model(V8{1}, act, V8{1, 1, 1, 1}, V8{0, 0, 0, 0}),
                    escgen::InternalError);
}

BOOST_AUTO_TEST_CASE(generator_rejects_wide_coefficients) {
  escgen::netlist::Design d;
  BOOST_CHECK_THROW(build_dilution(d, {.row_width = 16, .act_bits = 8, .coef_bits = 3}),
                    escgen::InternalError);
  BOOST_CHECK_THROW(build_dilution(d, {.row_width = 16, .act_bits = 8, .coef_bits = 8}),
                    escgen::InternalError);
  BOOST_CHECK_THROW(build_dilution(d, {.row_width = 6, .act_bits = 8, .coef_bits = 2}),
                    escgen::InternalError);
  const std::string top = build_dilution(d, {.row_width = 16, .act_bits = 8, .coef_bits = 2});
  BOOST_TEST(top == "escgen_dilution_n16_b8");
  BOOST_CHECK_NO_THROW(d.check());
  // The gather carries act_bits + 1 signed bits per lane, without clearing its tail.
  BOOST_TEST(d.has("escgen_bit_gather_n16_b9_nc"));
  BOOST_TEST(d.get(top).width_of("out_data") == 16 * 9);
}

BOOST_AUTO_TEST_CASE(parts_are_gathered_on_their_own) {
  // [0 7 | 3 5] matched [. 7 | . 5], negative 5: part 0 -> [7 0] count 1, part 1 -> [-5 0] 1.
  const std::vector<uint64_t> act = {0, 7, 3, 5};
  const auto parts = dilution_parts_model(V8{0, 1, 1, 1}, act, V8{1, 1, 0, 1}, V8{0, 0, 0, 1}, 2);
  BOOST_TEST_REQUIRE(parts.size() == 2u);
  BOOST_TEST(parts[0].count == 1);
  BOOST_TEST(parts[0].data == (std::vector<int64_t>{7, 0}), boost::test_tools::per_element());
  BOOST_TEST(parts[1].count == 1);
  BOOST_TEST(parts[1].data == (std::vector<int64_t>{-5, 0}), boost::test_tools::per_element());
  BOOST_TEST(dilution_parts_model(V8{0, 1, 1, 1}, act, V8{1, 1, 0, 1}, V8{0, 0, 0, 1}, 0).size() ==
             1u);
  BOOST_CHECK_THROW(dilution_parts_model(V8{1, 1, 1, 1}, act, V8{1, 1, 1, 1}, V8{0, 0, 0, 0}, 3),
                    escgen::InternalError);

  escgen::netlist::Design d;
  const std::string top =
      build_dilution(d, {.row_width = 32, .act_bits = 8, .coef_bits = 2, .gather_lanes = 8});
  BOOST_TEST(top == "escgen_dilution_n32_b8_g8");
  BOOST_CHECK_NO_THROW(d.check());
  BOOST_TEST(d.has("escgen_bit_gather_n8_b9_nc"));
  BOOST_TEST(d.get(top).width_of("out_count") == 4 * 4);  // four counts 0..8
  // gather_lanes = row_width is the whole chunk: the same block as 0.
  BOOST_TEST(build_dilution(d, {.row_width = 16, .act_bits = 8, .gather_lanes = 16}) ==
             "escgen_dilution_n16_b8");
  for (int bad : {3, 1, 64})
    BOOST_CHECK_THROW(build_dilution(d, {.row_width = 32, .act_bits = 8, .gather_lanes = bad}),
                      escgen::InternalError);
}

BOOST_AUTO_TEST_SUITE_END()
