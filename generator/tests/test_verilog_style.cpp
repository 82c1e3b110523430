// The generated Verilog's layout: wires declared with their assignment in dependency order,
// localparams, combinational case blocks, hexadecimal literals and wrapping of long lines.
#include <boost/test/unit_test.hpp>

#include <sstream>

#include "netlist/expr.h"
#include "netlist/line_wrap.h"
#include "netlist/netlist.h"
#include "netlist/verilog_writer.h"
#include "netlist/wire_order.h"
#include "util/error.h"

namespace {

using escgen::InternalError;
using namespace escgen::netlist;

// The longest line of `text`.
size_t longest_line(const std::string& text) {
  std::istringstream in(text);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) n = std::max(n, line.size());
  return n;
}

// `text` with every run of whitespace made one space (what Verilog sees).
std::string squeeze(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(verilog_style)

BOOST_AUTO_TEST_CASE(wires_declared_with_their_assignment_after_what_they_read) {
  Module m("m", "order");
  m.input("a", 1);
  m.output("y", 1);
  m.wire("late", 1, "reads early");  // declared first, reads a wire declared after it
  m.wire("early", 1);
  m.wire("split", 2);  // assigned by parts: declared alone
  m.assign("late", "early & a");
  m.assign("early", "~a");
  m.assign("split[0]", "a");
  m.assign("split[1]", "late");
  m.assign("y", "split[1]");
  const std::string text = write_module(m, {"x"});
  const std::string body =
      "  wire [1:0] split;\n"
      "\n"
      "  wire early = ~a;\n"
      "  // reads early\n"
      "  wire late = early & a;\n"
      "\n"
      "  assign split[0] = a;\n"
      "  assign split[1] = late;\n"
      "  assign y = split[1];\n";
  BOOST_TEST(text.find(body) != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(identifiers_skip_literal_bases) {
  const auto ids = identifiers("a_1 & 8'hff | {4'd0, b[3:0]} + c$x");
  const std::vector<std::string_view> expected{"a_1", "b", "c$x"};
  BOOST_TEST(ids == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(localparams_and_case_blocks) {
  Module m("fsm", "states");
  m.input("sel", 2);
  m.output("y", 4);
  const std::string idle = m.localparam("S_IDLE", 2, lit(2, 0), "waiting");
  m.comb_reg("v", 4);
  m.comb_reg("k", 1);
  m.case_block({.selector = "sel",
                .outputs = {"v", "k"},
                .items = {{idle, {hex(4, 0xa), "1'b1"}}, {"2'd1", {"4'd3", "1'b1"}}},
                .defaults = {"4'd0", "1'b0"}});
  m.assign("y", "v");
  const std::string text = write_module(m, {"x"});
  BOOST_TEST(text.find("  localparam [1:0] S_IDLE = 2'd0;                // waiting\n") !=
                 std::string::npos,
             text);
  const std::string body =
      "  always @(*) begin\n"
      "    case (sel)\n"
      "      S_IDLE: begin\n"
      "        v = 4'ha;\n"
      "        k = 1'b1;\n"
      "      end\n"
      "      2'd1: begin\n"
      "        v = 4'd3;\n"
      "        k = 1'b1;\n"
      "      end\n"
      "      default: begin\n"
      "        v = 4'd0;\n"
      "        k = 1'b0;\n"
      "      end\n"
      "    endcase\n"
      "  end\n";
  BOOST_TEST(text.find(body) != std::string::npos, text);
  BOOST_CHECK_THROW(
      m.case_block({.selector = "sel", .outputs = {"y"}, .items = {}, .defaults = {"0"}}),
      InternalError);
  BOOST_CHECK_THROW(
      m.case_block({.selector = "sel", .outputs = {"v"}, .items = {{"0", {}}}, .defaults = {"0"}}),
      InternalError);
}

BOOST_AUTO_TEST_CASE(hex_literals) {
  BOOST_TEST(hex(8, 0x7c) == "8'h7c");
  BOOST_TEST(hex(4, 0xf) == "4'hf");
  BOOST_TEST(hex(1, 1) == "1'b1");
  BOOST_TEST(hex(32, 0xe5ca0001u) == "32'he5ca_0001");
  BOOST_TEST(hex(20, 0x12345) == "20'h1_2345");
  BOOST_CHECK_THROW(hex(3, 8), InternalError);
}

BOOST_AUTO_TEST_CASE(short_statements_stay_on_one_line) {
  BOOST_TEST(wrap_statement("  assign y = ", "a | b", ";") == "  assign y = a | b;\n");
}

BOOST_AUTO_TEST_CASE(long_statements_wrap_before_operators) {
  const std::string text = wrap_statement("  assign y = ", "a | b | (c & d & e)", ";", 24);
  BOOST_TEST(text ==
                 "  assign y = a | b\n"
                 "             | (c & d\n"
                 "                & e);\n",
             text);
}

BOOST_AUTO_TEST_CASE(wrapping_keeps_the_tokens_and_the_limit) {
  // A priority chain of 40 compares inside a concatenation and parentheses.
  std::string chain;
  for (int i = 0; i < 40; ++i)
    chain += "(addr == 8'h" + std::to_string(10 + i) + ") ? r" + std::to_string(i) + " : ";
  const std::string expr = "en ? {4'd0, (" + chain + "32'd0)} : 32'd0";
  const std::string text = wrap_statement("      rdata_q <= ", expr, ";");
  BOOST_TEST(longest_line(text) <= static_cast<size_t>(kLineLimit), text);
  BOOST_TEST(squeeze(text) == squeeze("      rdata_q <= " + expr + ";\n"));
}

BOOST_AUTO_TEST_CASE(an_unbreakable_term_stays_whole) {
  const std::string name(120, 'x');
  BOOST_TEST(wrap_statement("  assign y = ", name, ";") == "  assign y = " + name + ";\n");
}

BOOST_AUTO_TEST_SUITE_END()
