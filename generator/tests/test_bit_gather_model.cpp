// The bit-gather C++ model and the structure of the generated network (no simulator here; the
// Verilator testbench in testbench/ checks the RTL against this model).
#include <boost/test/unit_test.hpp>

#include "blocks/bit_gather.h"
#include "netlist/netlist.h"
#include "util/error.h"

namespace {

using escgen::blocks::bit_gather_model;
using escgen::blocks::build_bit_gather;

}  // namespace

BOOST_AUTO_TEST_SUITE(bit_gather)

BOOST_AUTO_TEST_CASE(model_compacts_in_order) {
  const std::vector<uint8_t> mask = {0, 1, 0, 1};
  const std::vector<uint64_t> data = {10, 11, 12, 13};
  auto r = bit_gather_model(mask, data);
  BOOST_TEST(r.count == 2);
  BOOST_TEST(r.data == (std::vector<uint64_t>{11, 13, 0, 0}), boost::test_tools::per_element());
  r = bit_gather_model(std::vector<uint8_t>{1, 1, 1, 1}, data);
  BOOST_TEST(r.count == 4);
  BOOST_TEST(r.data == data, boost::test_tools::per_element());
  r = bit_gather_model(std::vector<uint8_t>{0, 0, 0, 0}, data);
  BOOST_TEST(r.count == 0);
  BOOST_TEST(r.data == (std::vector<uint64_t>(4, 0)), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(network_has_log2_stages_and_shared_modules) {
  escgen::netlist::Design d;
  const std::string top = build_bit_gather(d, {.width = 16, .data_bits = 8});
  BOOST_TEST(top == "escgen_bit_gather_n16_b8");
  // scan + 4 stages + top
  BOOST_TEST(d.modules().size() == 6u);
  const auto& m = d.get(top);
  BOOST_TEST(m.instances().size() == 5u);
  // Building the same shape again adds nothing; another data width reuses the scan.
  build_bit_gather(d, {.width = 16, .data_bits = 8});
  BOOST_TEST(d.modules().size() == 6u);
  build_bit_gather(d, {.width = 16, .data_bits = 4});
  BOOST_TEST(d.modules().size() == 11u);
  BOOST_CHECK_NO_THROW(d.check());
  // Each stage has one 2:1 multiplexer per moving lane: a 'move' net of width n - s.
  BOOST_TEST(d.get("escgen_bit_gather_stage_n16_b8_s4").width_of("move") == 12);
}

BOOST_AUTO_TEST_CASE(tail_clearing_is_optional) {
  escgen::netlist::Design d;
  const std::string top = build_bit_gather(d, {.width = 8, .data_bits = 4});
  const std::string nc = build_bit_gather(d, {.width = 8, .data_bits = 4, .clear_tail = false});
  BOOST_TEST(nc == "escgen_bit_gather_n8_b4_nc");
  BOOST_CHECK_NO_THROW(d.check());
  // The default masks the last stage's lanes; the variant zeroes the unselected inputs instead
  // (and shares the scan and the stages).
  BOOST_CHECK_NO_THROW(d.get(top).width_of("gathered"));
  BOOST_CHECK_THROW(d.get(top).width_of("data0"), std::exception);
  BOOST_CHECK_THROW(d.get(nc).width_of("gathered"), std::exception);
  BOOST_TEST(d.get(nc).width_of("data0") == 8 * 4);
  BOOST_TEST(d.modules().size() == 6u);  // scan, 3 stages, two tops
}

BOOST_AUTO_TEST_CASE(bad_parameters_rejected) {
  escgen::netlist::Design d;
  BOOST_CHECK_THROW(build_bit_gather(d, {.width = 12, .data_bits = 8}), escgen::InternalError);
  BOOST_CHECK_THROW(build_bit_gather(d, {.width = 1, .data_bits = 8}), escgen::InternalError);
  BOOST_CHECK_THROW(build_bit_gather(d, {.width = 8, .data_bits = 0}), escgen::InternalError);
}

BOOST_AUTO_TEST_SUITE_END()
