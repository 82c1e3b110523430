// Internal to the MAC unit generator (mac_unit.h): the widths every part of the top module uses,
// derived once from the parameters, and the functions that add the control (mac_unit_control.cpp)
// and the datapath (mac_unit_datapath.cpp) to the top module under construction.
#pragma once

#include <string>
#include <vector>

#include "blocks/mac_unit.h"
#include "netlist/netlist.h"

namespace escgen::blocks::mac_detail {

// Every width of the unit, derived once from the parameters.
struct Shape {
  int K, D, W, H, S, ZB, BB, AB, M;
  int taps;                     // D*K*K basis taps (basis store entries)
  int kb, db, sb, pab, hb, wb;  // port widths of k, d, stride, pad, h, w
  int T;                        // basis taps per store write (basis_lanes)
  int ab;                       // basis write address bits (beat index: ceil(taps / T) beats)
  int sl, xl, jl;               // slot, column, basis index bits (0 when one position)
  int xw;                       // column counter bits (>= 1)
  int jb;                       // j of lane coordinates: < max_d + macs + 1
  int nc, cl;                   // cycles per output at most (ceil(taps/M)) and its counter bits
  int rw, cw;                   // padded row / column arithmetic
  int ssb;                      // slot + p (< 2K)
  int pw;                       // product width (capped at acc_bits)
  int setup_bits;               // lane-offset settling counter (counts macs cycles)
  bool last_out;                // out_last port (the layer's last output flag)
};

Shape shape_of(const MacUnitParams& p);

// Tap coordinates (j, p, q): net names or literals.
struct Coords {
  std::string j, p, q;
};
inline const Coords kBase{"bj_q", "bp_q", "bq_q"};  // tap base of the output in progress
Coords offset(int i);                               // registered coordinates of flat tap i

// out = base + off through a tap_add instance at the layer's k; declares the out nets.
void add_tap_sum(netlist::Module& m, const Shape& s, const std::string& tap_add,
                 const std::string& inst, const Coords& base, const Coords& off, const Coords& out);

// (v >= K) ? v - K : v on the low sl bits, for a net v < 2K (the result is < K, so the low
// bits of the difference are exact).
std::string mod_once(const std::string& v, int vw, int k, int sl);

// Control (mac_unit_control.cpp).
void add_input_side(netlist::Module& m, const Shape& s);
void add_offsets(netlist::Module& m, const Shape& s, const std::string& tap_add);
void add_issue(netlist::Module& m, const Shape& s, const std::string& tap_add);

// Datapath (mac_unit_datapath.cpp).
std::vector<std::string> add_basis_store(netlist::Module& m, const Shape& s);
void add_lanes(netlist::Module& m, const Shape& s, const std::string& tap_add,
               const std::string& reader, const std::vector<std::string>& basis);
void add_pipeline(netlist::Design& design, netlist::Module& m, const Shape& s,
                  const std::string& skid);

}  // namespace escgen::blocks::mac_detail
