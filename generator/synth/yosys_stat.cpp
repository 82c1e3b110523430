// Yosys `stat` output parser (see yosys_stat.h).
#include "synth/yosys_stat.h"

#include <sstream>

#include "util/error.h"

namespace escgen::synth {

namespace {

std::string trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// The number after the last ':' of "   Estimated number of transistors:        844+".
double number_after_colon(const std::string& line) {
  return std::stod(line.substr(line.rfind(':') + 1));
}

// "'\name'" in "Chip area for module '\name': 4896.0" -> name.
std::string quoted_module(const std::string& line) {
  const size_t a = line.find('\'');
  const size_t b = line.find('\'', a + 1);
  std::string name = line.substr(a + 1, b - a - 1);
  if (!name.empty() && name[0] == '\\') name.erase(0, 1);
  return name;
}

}  // namespace

const StatModule* YosysStat::find(const std::string& module) const {
  for (const StatModule& m : modules)
    if (m.name == module) return &m;
  return nullptr;
}

YosysStat parse_yosys_stat(std::string_view text) {
  YosysStat stat;
  StatModule* current = nullptr;
  bool in_hierarchy = false;  // in "=== design hierarchy ===" before its totals
  bool in_cell_list = false;  // in the indented list after "Number of cells:"
  std::istringstream in{std::string(text)};
  std::string raw;
  while (std::getline(in, raw)) {
    const std::string line = trim(raw);
    if (starts_with(line, "=== ") && line.size() > 8) {
      const std::string name = line.substr(4, line.size() - 8);
      in_cell_list = false;
      if (name == "design hierarchy") {
        in_hierarchy = true;
        current = &stat.total;
      } else {
        in_hierarchy = false;
        stat.modules.push_back(StatModule{name, 0, {}, 0, false});
        current = &stat.modules.back();
      }
      continue;
    }
    if (!current) continue;
    if (line.empty()) {
      in_cell_list = false;
      continue;
    }
    if (starts_with(line, "Number of cells:")) {
      current->cells = std::stol(line.substr(line.find(':') + 1));
      in_cell_list = true;
      in_hierarchy = false;
      continue;
    }
    if (starts_with(line, "Number of ")) {
      in_hierarchy = false;
      continue;
    }
    if (starts_with(line, "Chip area for top module")) {
      stat.top = quoted_module(line);
      stat.total.area = number_after_colon(line);
      stat.total.has_area = true;
      continue;
    }
    if (starts_with(line, "Chip area for module")) {
      current->area = number_after_colon(line);
      current->has_area = true;
      continue;
    }
    if (starts_with(line, "Estimated number of transistors:")) {
      stat.transistors = true;
      current->area = number_after_colon(line);
      current->has_area = true;
      continue;
    }
    std::istringstream words(line);
    std::string name;
    long count = 0;
    if (!(words >> name >> count)) continue;
    if (in_cell_list) {
      current->cell_counts[name] = count;
    } else if (in_hierarchy) {
      const size_t indent = raw.find_first_not_of(' ');
      stat.hierarchy.push_back(HierarchyLine{0, name, count});
      stat.hierarchy.back().depth = static_cast<int>(indent);  // normalised below
    }
  }
  if (stat.modules.empty()) throw InternalError("Yosys stat output: no module statistics found");
  // Indentation -> depth: Yosys indents each level by two spaces more than its parent.
  if (!stat.hierarchy.empty()) {
    const int base = stat.hierarchy.front().depth;
    for (HierarchyLine& h : stat.hierarchy) h.depth = (h.depth - base) / 2;
    if (stat.top.empty()) stat.top = stat.hierarchy.front().module;
  } else {
    // A single module: it is the design.
    if (stat.top.empty()) stat.top = stat.modules.front().name;
    const StatModule top = *stat.find(stat.top);
    stat.total.cells = top.cells;
    stat.total.cell_counts = top.cell_counts;
    if (!stat.total.has_area) {
      stat.total.area = top.area;
      stat.total.has_area = top.has_area;
    }
  }
  stat.total.name = stat.top;
  return stat;
}

}  // namespace escgen::synth
