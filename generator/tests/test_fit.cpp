// check_fit: every shape limit and every width rule, each with its exact message.
#include <boost/test/unit_test.hpp>

#include "config/config.h"
#include "interface/fit.h"
#include "model/layer.h"
#include "util/error.h"

namespace {

const std::string kTiny = std::string(ESCGEN_SOURCE_DIR) + "/configs/tiny.json";

escgen::Layer fitting() {
  escgen::Layer l;
  l.c_in = 16, l.c_out = 8, l.h = 16, l.w = 16, l.k = 3, l.stride = 2, l.pad = 1, l.d = 4;
  l.dir = "L";
  return l;
}

std::string error_of(const escgen::Layer& l) {
  try {
    escgen::check_fit(escgen::Config::from_file(kTiny), l);
  } catch (const escgen::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fit)

BOOST_AUTO_TEST_CASE(limits) {
  BOOST_TEST(error_of(fitting()) == "");
  const struct {
    int escgen::Layer::*field;
    const char* name;
    int value, limit;
  } cases[] = {{&escgen::Layer::c_in, "c_in", 17, 16}, {&escgen::Layer::c_out, "c_out", 9, 8},
               {&escgen::Layer::h, "h", 17, 16},       {&escgen::Layer::w, "w", 40, 16},
               {&escgen::Layer::k, "k", 5, 3},         {&escgen::Layer::stride, "stride", 3, 2},
               {&escgen::Layer::d, "d", 5, 4}};
  for (const auto& c : cases) {
    escgen::Layer l = fitting();
    l.*c.field = c.value;
    BOOST_TEST(error_of(l) == "L/layer.json: " + std::string(c.name) + ": " +
                                  std::to_string(c.value) + " exceeds the configuration's max_" +
                                  c.name + " " + std::to_string(c.limit) + " (" + kTiny + ")");
  }
  // The first failing field wins.
  escgen::Layer l = fitting();
  l.d = 9, l.c_out = 10;
  BOOST_TEST(error_of(l) ==
             "L/layer.json: c_out: 10 exceeds the configuration's max_c_out 8 (" + kTiny + ")");
}

BOOST_AUTO_TEST_CASE(widths) {
  const struct {
    int escgen::Layer::*field;
    const char* name;
    int value, config;
  } cases[] = {{&escgen::Layer::act_bits, "act_bits", 4, 8},
               {&escgen::Layer::basis_bits, "basis_bits", 6, 8},
               {&escgen::Layer::coef_bits, "coef_bits", 3, 2}};
  for (const auto& c : cases) {
    escgen::Layer l = fitting();
    l.*c.field = c.value;
    BOOST_TEST(error_of(l) == "L/layer.json: " + std::string(c.name) + ": " +
                                  std::to_string(c.value) + " differs from the configuration's " +
                                  c.name + " " + std::to_string(c.config) + " (" + kTiny + ")");
  }
  escgen::Layer l = fitting();
  l.dir = "";
  l.act_bits = 16;
  BOOST_TEST(error_of(l) ==
             "layer.json: act_bits: 16 differs from the configuration's act_bits 8 (" + kTiny +
                 ")");
}

BOOST_AUTO_TEST_SUITE_END()
