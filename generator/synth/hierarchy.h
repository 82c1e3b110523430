// Area by hierarchy: the instance tree of the mapped netlist (instance names from Yosys's
// write_verilog output, areas from `stat`), and per module type its instance count, own area and
// subtree area. Generic: works for any top and any depth.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "synth/yosys_stat.h"

namespace escgen::synth {

// Module -> its instances of other design modules, as (module type, instance name), in netlist
// order. Library cells are not listed: only types in `modules` count.
using InstanceMap = std::map<std::string, std::vector<std::pair<std::string, std::string>>>;
InstanceMap parse_netlist_instances(std::string_view netlist, const std::set<std::string>& modules);

struct InstanceNode {
  std::string instance;  // the top's node is named after the top module
  std::string module;
  double own_area = 0;      // the module's own cells
  double subtree_area = 0;  // own + every instance below
  std::vector<InstanceNode> children;
};

struct ModuleArea {
  std::string module;
  long instances = 0;        // in the whole design
  long cells_each = 0;       // own leaf cells per instance
  double own_area_each = 0;  // own cells only
  double subtree_area_each = 0;
  double own_area_total() const { return own_area_each * static_cast<double>(instances); }
};

// Throws InternalError if the hierarchy has a cycle or a module missing from `stat`.
InstanceNode build_instance_tree(const std::string& top, const InstanceMap& instances,
                                 const YosysStat& stat);

// Every module reachable from the top, in first-visit (depth-first) order, top first.
std::vector<ModuleArea> module_areas(const InstanceNode& tree, const YosysStat& stat);

}  // namespace escgen::synth
