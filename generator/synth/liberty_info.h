// What the synthesis report needs from a liberty file: each cell's area and which cells are
// flip-flops or latches. A small scanner, not a liberty parser: it reads `cell (NAME) { ... }`
// groups, their `area` attribute and whether they hold an `ff` or `latch` group.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace escgen::synth {

struct LibertyInfo {
  std::string library;                 // the `library (NAME)` name
  std::map<std::string, double> area;  // cell -> area (liberty units, um^2 for osu018)
  std::set<std::string> flops, latches;

  // Area of the 2-input NAND used for NAND2 equivalents: NAND2X1, else the smallest NAND2*.
  std::optional<double> nand2_area() const;
};

LibertyInfo parse_liberty(std::string_view text);
LibertyInfo read_liberty_info(const std::filesystem::path& path);  // InputError if unreadable

}  // namespace escgen::synth
