// One row of the accelerator (owns one output channel at a time): CA unit -> Z queue -> MAC
// unit -> requantisation -> output queue, with the row's requantisation parameters (bias, M, S)
// and the bookkeeping that tells the controller when the row has finished its layer pass.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "netlist/netlist.h"

namespace escgen {

// Ports (widths from the configuration; the layer fields are held for a whole pass):
//   clk, rst_n
//   chunks (as the CA unit's), d, k, stride, pad, h, w (as the MAC unit's), mode (1 =
//   requant_relu), start (pulse: begin a pass; the MAC unit samples the layer fields)
//   basis_we, basis_addr, basis_data: basis store write (broadcast to every row)
//   coef_we, coef_chunk, coef_data [coef_item_bits]: this row's coefficient SparseMaps of one
//   chunk (every basis)
//   param_we, param_data [param_bits]: this row's requantisation parameters, bias at [31:0], M
//   at [32 +: mult_bits], S at [32 + mult_bits +: 6]
//   in_valid, in_ready, in_data [input_entry_bits] = {dense chunk, mask} (from the ring buffer)
//   out_valid, out_ready, out_data [out_lane_bits] (raw: sign-extended; requant: zero-extended)
//   pass_chunks [pass_chunk_bits]: h*w*C, the input chunks the CA unit takes per pass
//   idle: every pass is over (MAC unit done, no pass waiting for it, nothing left in
//   requantisation or the output queue)
//   next_ok (weight_prefetch only): the CA unit has taken its pass and the MAC unit has started
//   it, so the next pass may start
//   stat_ca_issue, stat_ca_stall, stat_mac_issue, stat_mac_stall: counter events
std::string build_row(netlist::Design& design, const Config& c);

// The row's one-bit status outputs, in port order, that the tile and the top collect per row.
std::vector<const char*> row_status_outputs(const Config& c);

}  // namespace escgen
