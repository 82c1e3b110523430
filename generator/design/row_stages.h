// Internal to the row assembly (row.h): the submodules and widths every stage of `escgen_row`
// uses, the requantisation parameters, and the stages that add each part of the row to the
// module under construction. build_row calls them in the order declared here (the order of the
// generated declarations).
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "netlist/netlist.h"

namespace escgen::row {

// The row's submodules (module names in the design) and the widths taken from them.
struct RowParts {
  std::string ca, zfifo, mac, requant, ofifo;
  int zvec;     // one Z vector: the CA unit's output, the Z queue's entry
  int rq_bits;  // the requantisation's output
};

// A requantisation parameter: its register stem and its field of param_data.
struct Param {
  const char* name;
  ParamField field;
  const char* what;
};
std::vector<Param> row_params(const Config& c);

// CA side (row_pipeline.cpp): the CA unit takes exactly its pass's chunks (armed_q).
void add_pass_arming(netlist::Module& m, const Config& c);
// Requantisation parameters (row_params.cpp): written by param_we, into use at the MAC unit's
// pass (with weight_prefetch through shadow and pending registers), and mac_go.
void add_params(netlist::Module& m, const Config& c);
void add_pass_queue(netlist::Module& m, const Config& c);
// Datapath (row_pipeline.cpp): CA unit and Z queue, MAC unit, requantisation and output queue,
// and the bookkeeping that makes the row idle.
void add_ca_side(netlist::Module& m, const Config& c, const RowParts& b);
void add_mac_side(netlist::Module& m, const Config& c, const RowParts& b);
void add_output_side(netlist::Module& m, const Config& c, const RowParts& b);
void add_idle(netlist::Module& m, const Config& c);

}  // namespace escgen::row
