// Instance tree and per-module areas (see hierarchy.h).
#include "synth/hierarchy.h"

#include <functional>
#include <sstream>

#include "util/error.h"

namespace escgen::synth {

namespace {

std::string unescape(std::string name) {
  if (!name.empty() && name[0] == '\\') name.erase(0, 1);
  return name;
}

const StatModule& stat_of(const YosysStat& stat, const std::string& module) {
  const StatModule* m = stat.find(module);
  if (!m) throw InternalError("module " + module + " is in the netlist but not in Yosys's stat");
  return *m;
}

long own_cells(const StatModule& m, const std::set<std::string>& submodules) {
  long n = 0;
  for (const auto& [cell, count] : m.cell_counts)
    if (!submodules.contains(cell)) n += count;
  return n;
}

}  // namespace

InstanceMap parse_netlist_instances(std::string_view netlist,
                                    const std::set<std::string>& modules) {
  InstanceMap map;
  std::string current;
  std::istringstream in{std::string(netlist)};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string first, second, third, extra;
    words >> first;
    if (first == "module") {
      words >> second;
      current = unescape(second.substr(0, second.find('(')));
      map[current];
      continue;
    }
    if (current.empty() || line.size() < 3 || line[0] != ' ' || line[2] == ' ') continue;
    // "  TYPE NAME (" with Yosys's escaped identifiers ("\name " ends at a blank).
    if (!(words >> second >> third) || third != "(" || (words >> extra)) continue;
    const std::string type = unescape(first);
    if (modules.contains(type)) map[current].emplace_back(type, unescape(second));
  }
  return map;
}

InstanceNode build_instance_tree(const std::string& top, const InstanceMap& instances,
                                 const YosysStat& stat) {
  std::set<std::string> on_path;
  std::function<InstanceNode(const std::string&, const std::string&)> build =
      [&](const std::string& module, const std::string& name) {
        if (!on_path.insert(module).second)
          throw InternalError("module hierarchy has a cycle through " + module);
        InstanceNode node{name, module, stat_of(stat, module).area, 0, {}};
        node.subtree_area = node.own_area;
        if (auto it = instances.find(module); it != instances.end()) {
          for (const auto& [type, inst] : it->second) {
            node.children.push_back(build(type, inst));
            node.subtree_area += node.children.back().subtree_area;
          }
        }
        on_path.erase(module);
        return node;
      };
  return build(top, top);
}

std::vector<ModuleArea> module_areas(const InstanceNode& tree, const YosysStat& stat) {
  std::set<std::string> modules;
  for (const StatModule& m : stat.modules) modules.insert(m.name);
  std::vector<ModuleArea> out;
  std::map<std::string, size_t> index;
  std::function<void(const InstanceNode&)> visit = [&](const InstanceNode& n) {
    auto [it, fresh] = index.emplace(n.module, out.size());
    if (fresh) {
      const StatModule& m = stat_of(stat, n.module);
      out.push_back(ModuleArea{n.module, 0, own_cells(m, modules), n.own_area, n.subtree_area});
    }
    ++out[it->second].instances;
    for (const InstanceNode& c : n.children) visit(c);
  };
  visit(tree);
  return out;
}

}  // namespace escgen::synth
