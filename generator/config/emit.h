// Outputs derived from the configuration object and its key table: the C++ header for
// testbenches and software, the elaborated JSON text, and the reference documentation.
#pragma once

#include <string>

#include "config/config.h"

namespace escgen {

// escgen_params.h: constexpr constants (every key and derived value) and integer types.
std::string params_header(const Config& c, const std::string& regenerate_command);

// config.elab.json text (2-space indented, trailing newline).
std::string elaborated_json_text(const Config& c);

// docs/configuration.md: every key (meaning, default, range), the cross-key rules, the derived
// values. Produced from the same tables the validator uses.
std::string config_reference_markdown();

}  // namespace escgen
