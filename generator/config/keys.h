// The table of configuration keys: name, meaning, default, range. The validator, the elaborated
// JSON, the C++ header and docs/configuration.md are all produced from this one table, and the
// cross-key rules from the one list below it, so documentation and checks cannot drift.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "config/config.h"

namespace escgen {

struct KeySpec {
  std::string_view name;
  bool required = false;      // required by the layer contract; otherwise `def` applies
  int64_t def = 0;            // default when not required
  int64_t min, max;           // inclusive range
  bool power_of_two = false;  // value must be a power of two
  std::string_view meaning;
  int Config::*field;
};

std::span<const KeySpec> config_keys();
const KeySpec* find_key(std::string_view name);

// A rule between keys, checked after every key is in range. `key` is the key the message names.
struct CrossRule {
  std::string_view key;
  std::string_view rule;  // the documented statement of the rule
};
std::span<const CrossRule> config_cross_rules();

}  // namespace escgen
