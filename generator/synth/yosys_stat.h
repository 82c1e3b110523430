// Parser of Yosys `stat -top TOP` output (with -liberty: chip area; with -tech cmos: transistor
// count): one entry per module (its own cells; submodule instances appear as cells of their
// module type and have no area), the design hierarchy and the whole-design totals.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace escgen::synth {

struct StatModule {
  std::string name;
  long cells = 0;  // "Number of cells", submodule instances included
  std::map<std::string, long> cell_counts;
  double area = 0;  // own area: chip area, or transistors with -tech cmos
  bool has_area = false;
};

struct HierarchyLine {
  int depth;  // indentation level, top = 0
  std::string module;
  long count;
};

struct YosysStat {
  std::vector<StatModule> modules;       // in Yosys's order
  std::vector<HierarchyLine> hierarchy;  // empty when the design has a single module
  StatModule total;                      // the whole design (hierarchy section, or the top)
  std::string top;
  bool transistors = false;  // areas are `stat -tech cmos` transistor counts

  const StatModule* find(const std::string& module) const;
};

// Throws InternalError when the text has no module statistics.
YosysStat parse_yosys_stat(std::string_view text);

}  // namespace escgen::synth
