// Which wires of a module are declared together with their one assignment (`wire x = a & b;`),
// and the order of the declarations: every net is declared before an expression that reads it
// (Verilog requires it under `default_nettype none`), otherwise in the order the generator
// declared them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "netlist/netlist.h"

namespace escgen::netlist {

struct NetDecl {
  const Net* net;
  const Assign* assign;  // the wire's whole-name assignment, or null (declared alone)
};

// First every net declared alone (registers, wires driven by instances or by part selects), in
// declaration order; then the wires with their assignments, each after the wires it reads.
std::vector<NetDecl> net_declarations(const Module& m);

// The identifiers an expression reads (literal bases such as the `hff` of 8'hff excluded).
std::vector<std::string_view> identifiers(std::string_view expr);

}  // namespace escgen::netlist
