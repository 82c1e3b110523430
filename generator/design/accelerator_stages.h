// Internal to the accelerator assembly (accelerator.h): the widths every stage of the top module
// uses, the weight side's state encoding, and the stages that add each part of
// `escgen_accelerator` to the module under construction. build_accelerator calls them in the
// order declared here (the order of the generated declarations).
#pragma once

#include <string>

#include "config/config.h"
#include "netlist/netlist.h"

namespace escgen::top {

// The submodules the top instantiates (their module names in the design).
struct TopBlocks {
  std::string regs;     // AXI4-Lite register block (axil_regs.h)
  std::string decoder;  // SparseMap decoder of the input stream
  std::string tile;     // one tile (tile.h)
};

// Every width and count of the top module, taken once from the configuration's derived values
// and the submodules' ports.
struct TopShape {
  int n;                       // row_width: lanes of an input chunk
  int lane_bits;               // log2(row_width)
  int P, R, T;                 // rows, rows per tile, tiles
  int L, Q;                    // weight_lanes; row sets loaded one after another (P / L)
  int ob;                      // one output value (out_lane_bits)
  int beat_bits;               // output stream beat (out_beat_bits)
  int dec_bits;                // a decoded chunk's values (the decoder's out_data)
  int kb, db, sb, pb, hb, wb;  // layer fields k, d, stride, pad, h, w (= the tile's ports)
  int cb;                      // chunks per pixel (the tile's port)
  int ab;                      // basis beat address (the tile's port)
  int ccb;                     // chunk of a coefficient beat (the tile's port)
  int pass_chunk_bits;         // a pass's input chunk count
  int cob;                     // output channel counts: c_out and a group's first channel
  int bt;                      // basis taps per weight beat
  int tb;                      // basis tap counter (d * k * k, plus one beat)
  int nbb;                     // basis buffer entries: beats of the largest basis
  int bbw;                     // basis bits of a weight beat (the tile's basis_data)
  int pcb;                     // counter increments: a count of rows
};

TopShape top_shape(const Config& c, const netlist::Design& design, const TopBlocks& b);

// Weight-side states (register wst).
constexpr int kIdle = 0, kBasis = 1, kRows = 2, kHeld = 3, kWait = 4;
constexpr int kStateBits = 3;
// Cycles from the layer's last event to settled counters (event register, increment register,
// low half, carry into the high half) plus one.
constexpr int kSettle = 5;

void add_state_names(netlist::Module& m);  // the states as localparams WST_*
std::string state_lit(int s);              // a state's localparam name
std::string state_is(int s);               // (wst == s)

// Registers and AXI side (accelerator_registers.cpp): the reset tree and the register block.
void add_registers(netlist::Module& m, const std::string& regs);
// Limit checks (accelerator_limits.cpp): check_code, the first failing check.
void add_limit_checks(netlist::Module& m, const Config& c);
// Layer control (accelerator_layer.cpp): start, queue and error; the layer fields q_, n_, l_.
void add_start_queue(netlist::Module& m);
void add_layer_fields(netlist::Module& m, const TopShape& s);
// Weight side (accelerator_weights.cpp): the basis (and its buffer), then the rows' items.
void add_basis_loading(netlist::Module& m, const TopShape& s);
void add_row_loading(netlist::Module& m, const TopShape& s);
// Passes (accelerator_passes.cpp): a group's go, the input beat count, the pass's end; then the
// weight side's state, the layer's end and STATUS.done.
void add_pass_start(netlist::Module& m, const Config& c, const TopShape& s);
void add_weight_state(netlist::Module& m, const Config& c);
void add_layer_end(netlist::Module& m);
// Streams (accelerator_streams.cpp): input decoder, tiles, output collector.
void add_input_decoder(netlist::Module& m, const Config& c, const TopShape& s,
                       const std::string& decoder);
void add_tiles(netlist::Module& m, const Config& c, const TopShape& s, const std::string& tile);
void add_output_collector(netlist::Module& m, const TopShape& s);
// Performance counters (accelerator_counters.cpp).
void add_counters(netlist::Design& design, netlist::Module& m, const TopShape& s);

}  // namespace escgen::top
