// Combinational submodules of the MAC unit (mac_unit.h): the tap-coordinate adder of a lane, the
// Z line-buffer read multiplexer of a lane, and the adder tree over the lanes' products. Each is
// added to the design once per shape and returns its module name.
#pragma once

#include <string>

#include "netlist/netlist.h"

namespace escgen::blocks {

// Tap coordinates (j, p, q) of a flat tap index t = j*k*k + p*k + q: (j, p, q) = base + offset
// with carries at the run-time kernel size k (both operands have p, q < k). Ports: k[kb], bj[jb],
// bp[kb], bq[kb], oj[jb], op[kb], oq[kb] -> j[jb], p[kb], q[kb].
std::string build_mac_tap_add(netlist::Design& design, int kb, int jb);

// One lane's read of the Z line buffer (rows x cols pixels of depth values of z_bits, pixel
// (r, c) at entry r*cols + c of zbuf, value j at bits [j*z_bits +: z_bits] of the entry): one-hot
// decodes and AND-OR multiplexers; z = 0 when `valid` is low. Ports: zbuf, slot[clog2(rows)]
// (only when rows > 1), col[clog2(cols)] (cols > 1), j[clog2(depth)] (depth > 1), valid -> z.
std::string build_mac_reader(netlist::Design& design, int rows, int cols, int depth, int z_bits);

// Balanced adder tree: sum of n signed lanes of `bits` each (in[i*bits +: bits]), every level one
// bit wider, all widths capped at `cap` (arithmetic modulo 2^cap beyond). Ports: in -> sum of
// mac_tree_bits(n, bits, cap) bits.
int mac_tree_bits(int n, int bits, int cap);
std::string build_mac_tree(netlist::Design& design, int n, int bits, int cap);

// {{to-from{net[from-1]}}, net}: sign extension of a net (from >= 2) or the net itself.
std::string sext(const std::string& net, int from, int to);

}  // namespace escgen::blocks
