// The limit checks' table (interface/limit_checks.h): the STATUS error names (regmap.h) and the
// RTL's check chain (the top's check_code) both follow it, code by code.
#include <boost/test/unit_test.hpp>

#include <string>

#include <fmt/format.h>

#include "config/config.h"
#include "design/accelerator.h"
#include "interface/limit_checks.h"
#include "interface/regmap.h"
#include "netlist/verilog_writer.h"

namespace {

const std::string kTiny = std::string(ESCGEN_SOURCE_DIR) + "/configs/tiny.json";

}  // namespace

BOOST_AUTO_TEST_SUITE(limit_checks)

BOOST_AUTO_TEST_CASE(error_names_follow_the_table) {
  using escgen::regmap::error_code_name;
  const char* names[] = {"none", "C_IN", "C_OUT",         "H",
                         "W",    "K",    "STRIDE",        "PAD",
                         "D",    "MODE", "H + 2 PAD < K", "W + 2 PAD < K"};
  BOOST_TEST(escgen::limit_checks::kLimitCheckCount == 11u);
  for (uint32_t code = 0; code < 12; ++code)
    BOOST_TEST(std::string(error_code_name(code)) == names[code], code);
  BOOST_TEST(std::string(error_code_name(12)) == "?");
  BOOST_TEST(std::string(error_code_name(255)) == "?");
}

BOOST_AUTO_TEST_CASE(rtl_check_chain_follows_the_table) {
  const escgen::Config c = escgen::Config::from_file(kTiny);
  const escgen::netlist::Design d = escgen::build_accelerator(c);
  // The module's text with each line break and its indentation as one space (long statements
  // are wrapped).
  std::string v;
  for (char ch : escgen::netlist::write_module(d.get("escgen_accelerator"), {.command = "test"}))
    if (const char c2 = ch == '\n' ? ' ' : ch; c2 != ' ' || v.empty() || v.back() != ' ') v += c2;
  size_t at = v.find("check_code <= (");
  BOOST_REQUIRE(at != std::string::npos);
  const size_t end = v.find(";", at);
  // Each check's code follows its failing condition on its register, in the table's order.
  for (const escgen::limit_checks::LimitCheck& l : escgen::limit_checks::kLimitChecks) {
    const size_t code_at = v.find(fmt::format(" ? 8'd{} : ", l.code), at);
    BOOST_TEST_REQUIRE(code_at < end, l.name);
    BOOST_TEST(v.substr(at, code_at - at).find(fmt::format("r_{}", l.reg)) != std::string::npos,
               l.name);
    at = code_at + 1;
  }
  BOOST_TEST(v.substr(at, end - at).find("8'd0") != std::string::npos);  // every check passed
}

BOOST_AUTO_TEST_SUITE_END()
