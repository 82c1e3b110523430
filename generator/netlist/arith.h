// Arithmetic structures the netlist writes out explicitly instead of leaving them to Yosys's
// generic `$mul` mapping (an array of chained adders): a carry-save (3:2) reduction of
// partial-product rows down to two rows, so a multiplier's depth is log_{3/2}(rows) full adders
// plus one final carry-propagate add that a pipeline stage can take on its own.
#pragma once

#include <string>
#include <vector>

#include "netlist/netlist.h"

namespace escgen::netlist {

// Reduces `rows` (names of `width`-bit nets of `m`) with 3:2 compressors, modulo 2^width, to at
// most two nets whose sum equals the rows' sum (mod 2^width). Declares wires
// `<prefix>_l<level>_<i>`. Returns the remaining one or two net names.
std::vector<std::string> carry_save_reduce(Module& m, const std::string& prefix,
                                           std::vector<std::string> rows, int width);

// Partial-product rows of signed `a` (already `width` bits, sign-extended) times unsigned `b`
// (`b_bits` bits), modulo 2^width: row i = b[i] ? a << i : 0. Declares wires `<prefix>_pp<i>`.
std::vector<std::string> partial_products(Module& m, const std::string& prefix,
                                          const std::string& a, const std::string& b, int b_bits,
                                          int width);

}  // namespace escgen::netlist
