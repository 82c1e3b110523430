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

BOOST_AUTO_TEST_SUITE_END()
