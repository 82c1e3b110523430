// Builds the accelerator a configuration describes into a netlist Design. Blocks are added as
// they are implemented (see docs/architecture.md for the plan); today the design holds the
// row's dilution network: the bit-gather compaction of a row_width x act_bits activation chunk.
#pragma once

#include "config/config.h"
#include "netlist/netlist.h"

namespace escgen {

netlist::Design build_accelerator(const Config& c);

}  // namespace escgen
