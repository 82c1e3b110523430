// The list of blocks `escgen block NAME` can emit on their own (for block-level testbenches and
// synthesis experiments), with their integer parameters and defaults.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "netlist/netlist.h"

namespace escgen::blocks {

struct BlockParam {
  std::string_view name;
  int def;
  std::string_view meaning;
};

struct BlockSpec {
  std::string_view name;
  std::string_view description;
  std::vector<BlockParam> params;
  // Builds the block into the design and returns the top module name; values has every param.
  std::function<std::string(netlist::Design&, const std::map<std::string, int>&)> build;
};

std::span<const BlockSpec> block_specs();
const BlockSpec* find_block(std::string_view name);

}  // namespace escgen::blocks
