// Register-file building helpers shared by the buffering blocks (FIFO, ring input buffer): a
// pointer that wraps at any entry count (powers of two or not), its one-hot decode, entries held
// in plain registers written under a decoded enable, and an AND-OR read multiplexer. They add
// nets and registers to a module under construction; they do not add modules.
#pragma once

#include <string>
#include <vector>

#include "netlist/netlist.h"

namespace escgen::blocks {

// Bits of a pointer over n entries (0 when n == 1: no pointer is needed).
int pointer_bits(int n);

// Expression: ptr + 1, wrapping from n - 1 to 0 (ptr is pointer_bits(n) >= 1 bits wide).
std::string wrap_increment(const std::string& ptr, int n);

// Declares `<name>` (n >= 2 bits): bit i is set when ptr == i. (One entry needs no decoder:
// add_entries and add_read_mux ignore `sel` when n == 1.)
void add_decoder(netlist::Module& m, const std::string& name, const std::string& ptr, int n);

// Declares n registers `<prefix>_<i>` of `width` bits; entry i loads `data` when
// `write & <sel>[i]` (sel is an n-bit net; a datapath register, no reset).
std::vector<std::string> add_entries(netlist::Module& m, const std::string& prefix, int n,
                                     int width, const std::string& write, const std::string& sel,
                                     const std::string& data);

// Declares `<name>` (width bits) = the entry whose bit of the one-hot `sel` (n bits) is set.
void add_read_mux(netlist::Module& m, const std::string& name,
                  const std::vector<std::string>& entries, int width, const std::string& sel);

}  // namespace escgen::blocks
