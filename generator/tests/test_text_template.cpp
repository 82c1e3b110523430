// The `{field}` template renderer and the built-in templates (templates/*.in).
#include <boost/test/unit_test.hpp>

#include "util/error.h"
#include "util/text_template.h"

using escgen::InternalError;
using escgen::render_template;

BOOST_AUTO_TEST_SUITE(text_template)

BOOST_AUTO_TEST_CASE(replaces_placeholders_and_keeps_other_braces) {
  BOOST_TEST(render_template("namespace n {\n{body}\n}  // {a_1}{b}",
                             {{"body", "x {y}"}, {"a_1", "A"}, {"b", ""}},
                             "t") == "namespace n {\nx {y}\n}  // A");
  BOOST_TEST(render_template("{} {{ {X} {1a} {a-b} {open", {}, "t") ==
             "{} {{ {X} {1a} {a-b} {open");
  BOOST_TEST(render_template("{a}{a}", {{"a", "{a}"}}, "t") == "{a}{a}");  // values not rescanned
}

BOOST_AUTO_TEST_CASE(missing_or_unused_field_is_an_error) {
  BOOST_CHECK_EXCEPTION(render_template("x {name} y", {}, "t.in"), InternalError,
                        [](const InternalError& e) {
                          return std::string(e.what()) == "template t.in: no field for {name}";
                        });
  BOOST_CHECK_EXCEPTION(
      render_template("x", {{"extra", "1"}}, "t.in"), InternalError, [](const InternalError& e) {
        return std::string(e.what()) == "template t.in: field extra has no placeholder";
      });
}

BOOST_AUTO_TEST_CASE(builtin_templates_are_embedded) {
  BOOST_TEST(escgen::template_text("escgen_params.h.in").starts_with("// escgen_params.h:"));
  BOOST_TEST(escgen::template_text("configuration.md.in").starts_with("# Configuration reference"));
  BOOST_CHECK_THROW(escgen::template_text("nonexistent.in"), InternalError);
}

BOOST_AUTO_TEST_SUITE_END()
