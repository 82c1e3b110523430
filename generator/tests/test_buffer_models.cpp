// The C++ models of the stream blocks (StreamQueueModel), the ring input buffer
// (RingBufferModel) and requantisation (requant_model), and the generators' parameter checks
// and structure (no simulator; testbench/ checks the RTL against these models).
#include <boost/test/unit_test.hpp>

#include "blocks/regfile.h"
#include "blocks/requant.h"
#include "blocks/ring_buffer.h"
#include "blocks/stream.h"
#include "netlist/netlist.h"
#include "util/error.h"

namespace {

using escgen::InternalError;
using escgen::blocks::build_fifo;
using escgen::blocks::build_requant;
using escgen::blocks::build_ring_buffer;
using escgen::blocks::build_skid_buffer;
using escgen::blocks::RingBufferModel;
using escgen::blocks::StreamQueueModel;

}  // namespace

BOOST_AUTO_TEST_SUITE(stream_blocks)

BOOST_AUTO_TEST_CASE(queue_model_fills_and_keeps_order) {
  StreamQueueModel q(2);
  BOOST_TEST(q.empty());
  BOOST_TEST(q.in_ready());
  auto f = q.step(true, 10, true);  // empty: nothing to take yet
  BOOST_TEST(f.in);
  BOOST_TEST(!f.out);
  q.step(true, 11, false);
  BOOST_TEST(q.full());
  BOOST_TEST(q.count() == 2);
  // Full: ready is the state after the last edge, so a simultaneous take does not admit a push.
  f = q.step(true, 12, true);
  BOOST_TEST(!f.in);
  BOOST_TEST(f.out);
  BOOST_TEST(q.out_data() == 11u);
  f = q.step(true, 12, true);
  BOOST_TEST(f.in);
  BOOST_TEST(f.out);
  BOOST_TEST(q.out_data() == 12u);
  q.step(false, 0, true);
  BOOST_TEST(q.empty());
  BOOST_CHECK_THROW(q.out_data(), InternalError);
}

BOOST_AUTO_TEST_CASE(generators_check_parameters) {
  escgen::netlist::Design d;
  BOOST_CHECK_THROW(build_fifo(d, {.depth = 1, .data_bits = 8}), InternalError);
  BOOST_CHECK_THROW(build_fifo(d, {.depth = 4, .data_bits = 0}), InternalError);
  BOOST_CHECK_THROW(build_skid_buffer(d, {.data_bits = 0}), InternalError);
  BOOST_TEST(build_fifo(d, {.depth = 5, .data_bits = 8}) == "escgen_fifo_d5_b8");
  BOOST_TEST(build_skid_buffer(d, {.data_bits = 3}) == "escgen_skid_buffer_b3");
  build_fifo(d, {.depth = 5, .data_bits = 8});  // same shape: nothing added
  BOOST_TEST(d.modules().size() == 2u);
  // Depth 2 has one storage entry and therefore no pointers; depth 5 has four.
  const auto& f2 = d.get(build_fifo(d, {.depth = 2, .data_bits = 8}));
  BOOST_CHECK_THROW(f2.width_of("wr_ptr"), InternalError);
  BOOST_TEST(d.get("escgen_fifo_d5_b8").width_of("wr_ptr") == 2);
  BOOST_TEST(d.get("escgen_fifo_d5_b8").width_of("count") == 3);
}

BOOST_AUTO_TEST_CASE(pointer_helpers) {
  BOOST_TEST(escgen::blocks::pointer_bits(1) == 0);
  BOOST_TEST(escgen::blocks::pointer_bits(5) == 3);
  BOOST_TEST(escgen::blocks::wrap_increment("p", 5) == "(p == 3'd4) ? 3'd0 : p + 3'd1");
  BOOST_CHECK_THROW(escgen::blocks::wrap_increment("p", 1), InternalError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ring_buffer)

BOOST_AUTO_TEST_CASE(entry_freed_only_when_every_reader_has_read_it) {
  RingBufferModel m({.depth = 2, .entry_bits = 8, .readers = 2});
  const std::vector<bool> none = {false, false}, r0 = {true, false}, both = {true, true};
  BOOST_TEST(m.step(true, 1, none));  // entry 1 written
  BOOST_TEST(!m.out_valid(0));
  BOOST_TEST(m.step(true, 2, none));  // entry 2 written; both readers fetched 1 into their heads
  BOOST_TEST(m.out_data(0) == 1u);
  BOOST_TEST(m.out_data(1) == 1u);
  BOOST_TEST(m.held() == 1);          // entry 1 freed (both fetched it), entry 2 held
  BOOST_TEST(m.step(true, 3, none));  // nobody takes, yet both fetch 2 into their spares
  BOOST_TEST(m.out_data(0) == 1u);    // the head stays
  BOOST_TEST(m.held() == 1);          // 2 freed, 3 held
  BOOST_TEST(m.step(true, 4, none));  // spares full: no fetch
  BOOST_TEST(m.held() == 2);
  BOOST_TEST(!m.in_ready());
  BOOST_TEST(!m.step(true, 5, r0));  // full: not written; reader 0 takes 1, its spare 2 moves up
  BOOST_TEST(m.out_data(0) == 2u);   // (no fetch: the spare was full before the edge)
  std::vector<bool> taken;
  m.step(false, 0, r0, &taken);  // reader 0 takes 2 and fetches 3; reader 1 stalls
  BOOST_TEST((taken == std::vector<bool>{true, false}));
  BOOST_TEST(m.out_data(0) == 3u);
  BOOST_TEST(m.out_data(1) == 1u);
  BOOST_TEST(m.held() == 2);       // 3 (reader 1 has not fetched it) and 4
  m.step(false, 0, both, &taken);  // reader 0 takes 3, fetches 4; reader 1 takes 1 (spare full)
  BOOST_TEST((taken == std::vector<bool>{true, true}));
  BOOST_TEST(m.out_data(1) == 2u);
  BOOST_TEST(m.held() == 2);
  m.step(false, 0, none);  // reader 1 fetches 3: entry 3 freed
  BOOST_TEST(m.held() == 1);
  BOOST_TEST(m.in_ready());
  BOOST_TEST(m.out_data(0) == 4u);
  BOOST_TEST(m.out_data(1) == 2u);
}

BOOST_AUTO_TEST_CASE(generator_checks_parameters) {
  escgen::netlist::Design d;
  BOOST_CHECK_THROW(build_ring_buffer(d, {.depth = 1, .entry_bits = 8, .readers = 2}),
                    InternalError);
  BOOST_CHECK_THROW(build_ring_buffer(d, {.depth = 4, .entry_bits = 8, .readers = 0}),
                    InternalError);
  const auto& m = d.get(build_ring_buffer(d, {.depth = 6, .entry_bits = 8, .readers = 3}));
  BOOST_TEST(m.name() == "escgen_ring_buffer_d6_b8_r3");
  BOOST_TEST(m.width_of("seen_5") == 2);  // counts 0..3 readers
  BOOST_TEST(m.width_of("out_data") == 24);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(requant_block)

BOOST_AUTO_TEST_CASE(model_modes) {
  const escgen::blocks::RequantParams p{
      .acc_bits = 8, .bias_bits = 8, .mult_bits = 4, .act_bits = 3};
  using escgen::blocks::requant_model;
  BOOST_TEST(requant_model(p, {-100, -28, 15, 5, false}) == -128);           // raw: the exact sum
  BOOST_TEST(requant_model(p, {3, 0, 1, 1, true}) == 2);                     // 1.5 rounds up
  BOOST_TEST(requant_model(p, {-3, 0, 1, 1, true}) == 0);                    // -1 clamps to 0
  BOOST_TEST(requant_model(p, {127, 127, 15, 0, true}) == 7);                // clamps to 2^3 - 1
  BOOST_TEST(requant_model(p, {20, 4, 3, 4, true}) == 5);                    // 72 / 16 = 4.5 -> 5
  BOOST_CHECK_THROW(requant_model(p, {128, 0, 1, 0, true}), InternalError);  // acc range
  BOOST_CHECK_THROW(requant_model(p, {0, 0, 16, 0, true}), InternalError);   // M range
  BOOST_CHECK_THROW(requant_model(p, {0, 0, 1, 63, true}), InternalError);   // S range
}

BOOST_AUTO_TEST_CASE(widths_and_parameter_checks) {
  escgen::netlist::Design d;
  const escgen::blocks::RequantParams p;  // 33/32/16/8
  BOOST_TEST(escgen::blocks::requant_sum_bits(p) == 34);
  BOOST_TEST(escgen::blocks::requant_out_bits(p) == 34);
  const auto& m = d.get(build_requant(d, p));
  BOOST_TEST(m.width_of("p_prod") == 50);
  BOOST_TEST(m.width_of("b_ps") == 50);  // carry-save rows of the product
  BOOST_TEST(m.width_of("b_pc") == 50);
  BOOST_TEST(m.width_of("out_data") == 34);
  BOOST_CHECK_THROW(build_requant(d, {.acc_bits = 63}), InternalError);
  BOOST_CHECK_THROW(build_requant(d, {.mult_bits = 0}), InternalError);
  BOOST_CHECK_NO_THROW(d.check());
}

BOOST_AUTO_TEST_SUITE_END()
