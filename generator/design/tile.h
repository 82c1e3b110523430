// One tile: a ring input buffer (input_buffer_depth SparseMap chunks, decoded to {dense, mask})
// shared by rows_per_tile rows. Row-level controls are broadcast; per-row write enables, output
// streams, idle flags and counter events are vectors (row r at bit r / lane r).
#pragma once

#include <string>

#include "config/config.h"
#include "netlist/netlist.h"

namespace escgen {

// Ports: the row's broadcast inputs (chunks, d, k, stride, pad, h, w, mode, start, basis_*,
// coef_chunk, coef_data, param_data), per-row coef_we/param_we
// [rows_per_tile], in_valid/in_ready/in_data [input_entry_bits] (the ring buffer's write side),
// out_valid [R], out_ready (one bit: the collector takes every row's head at once), out_data
// [R*out_lane_bits], idle [R], stat_ca_issue/stat_ca_stall/stat_mac_issue/stat_mac_stall [R].
std::string build_tile(netlist::Design& design, const Config& c);

}  // namespace escgen
