// The AXI4-Lite register block of the accelerator (register map: docs/interface.md and
// interface/regmap.h): the shape registers, CTRL.start, STATUS and the performance counters.
#pragma once

#include <string>
#include <vector>

#include "netlist/netlist.h"

namespace escgen {

// Shape registers in address order (C_IN .. MODE); each is a 32-bit read/write register.
struct ShapeReg {
  const char* name;  // port name (lower case)
  unsigned addr;
  unsigned reset;
};
const ShapeReg* shape_regs(int* count);
constexpr int kCounterCount = 8;  // CYCLES .. LOAD_CYCLES at 0x40 + 4*i

// Ports: clk, rst_n, the s_axil_* slave (8-bit byte addresses, 32-bit data, registered ready,
// valid and response signals), one 32-bit output per shape register (`reg_<name>`), start (a
// one-cycle pulse after a write of 1 to CTRL bit 0), status inputs busy, done, queued, error,
// error_code[8], and counters[kCounterCount*32] (counter i at [i*32 +: 32]).
// Writes need wstrb = 4'hf and an aligned, writable address (else SLVERR, nothing written); a
// write of 1 to CTRL bit 0 while `queued` also answers SLVERR (the start queue holds one);
// reads of unknown or unaligned addresses answer SLVERR and 0.
std::string build_axil_regs(netlist::Design& design);

// Declares the s_axil_* slave ports (the register block's and the top's) on a module.
void add_axil_slave_ports(netlist::Module& m);
// The names of those ports without the s_axil_ prefix, in declaration order.
const std::vector<std::string>& axil_port_suffixes();

}  // namespace escgen
