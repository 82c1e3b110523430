// Builds the accelerator a configuration describes into a netlist Design: the top module
// `escgen_accelerator` (ports, register map and stream formats: docs/interface.md) with its
// AXI4-Lite register block, the layer controller (limits check, weight loading, output-channel
// groups), the input SparseMap decoder, `tiles` tiles (a ring input buffer shared by
// `rows_per_tile` rows each) and the output collector.
#pragma once

#include "config/config.h"
#include "netlist/netlist.h"

namespace escgen {

netlist::Design build_accelerator(const Config& c);

}  // namespace escgen
