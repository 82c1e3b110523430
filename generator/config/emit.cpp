// Configuration outputs (see emit.h): the header and the reference page rendered from
// templates/escgen_params.h.in and templates/configuration.md.in.
#include "config/emit.h"

#include <cctype>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "config/keys.h"
#include "util/text_template.h"

namespace escgen {
namespace {

std::string upper(std::string_view s) {
  std::string u(s);
  for (char& ch : u) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return u;
}

std::string int_type(int bits, bool is_signed) {
  const int w = bits <= 8 ? 8 : bits <= 16 ? 16 : bits <= 32 ? 32 : 64;
  return fmt::format("{}int{}_t", is_signed ? "" : "u", w);
}

}  // namespace

std::string params_header(const Config& c, const std::string& regenerate_command) {
  std::vector<std::string> keys;
  for (const KeySpec& k : config_keys())
    keys.push_back(fmt::format("inline constexpr int64_t {} = {};  // {}", upper(k.name),
                               c.*(k.field), k.meaning));
  std::vector<std::string> derived;
  for (const Config::NamedValue& v : c.derived_table())
    derived.push_back(
        fmt::format("inline constexpr int64_t {} = {};  // {}", upper(v.name), v.value, v.meaning));
  const Derived& d = c.derived;
  return render_builtin_template("escgen_params.h.in",
                                 {{"regenerate", regenerate_command},
                                  {"keys", fmt::format("{}", fmt::join(keys, "\n"))},
                                  {"derived", fmt::format("{}", fmt::join(derived, "\n"))},
                                  {"act_type", int_type(c.act_bits, false)},
                                  {"act_bits", std::to_string(c.act_bits)},
                                  {"basis_type", int_type(c.basis_bits, true)},
                                  {"basis_bits", std::to_string(c.basis_bits)},
                                  {"coef_type", int_type(c.coef_bits, true)},
                                  {"coef_bits", std::to_string(c.coef_bits)},
                                  {"z_type", int_type(d.z_bits, true)},
                                  {"z_bits", std::to_string(d.z_bits)},
                                  {"acc_type", int_type(d.acc_bits, true)},
                                  {"acc_bits", std::to_string(d.acc_bits)}});
}

std::string elaborated_json_text(const Config& c) {
  return c.elaborated_json().dump(2) + "\n";
}

std::string config_reference_markdown() {
  std::vector<std::string> keys;
  for (const KeySpec& k : config_keys()) {
    std::string range = fmt::format("{} .. {}", k.min, k.max);
    if (k.power_of_two) range += ", power of two";
    keys.push_back(fmt::format("| `{}` | {} | {} | {} | {} |", k.name, k.required ? "yes" : "no",
                               k.required ? "-" : std::to_string(k.def), range, k.meaning));
  }
  std::vector<std::string> rules;
  for (const CrossRule& r : config_cross_rules())
    rules.push_back(fmt::format("- `{}`: {}", r.key, r.rule));
  std::vector<std::string> derived;
  Config dummy;  // the table's names and meanings do not depend on the values
  for (const Config::NamedValue& v : dummy.derived_table())
    derived.push_back(fmt::format("| `{}` | {} |", v.name, v.meaning));
  return render_builtin_template("configuration.md.in",
                                 {{"keys", fmt::format("{}", fmt::join(keys, "\n"))},
                                  {"rules", fmt::format("{}", fmt::join(rules, "\n"))},
                                  {"derived", fmt::format("{}", fmt::join(derived, "\n"))}});
}

}  // namespace escgen
