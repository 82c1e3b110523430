// Limiters: OpenSTA's worst path per endpoint (StaLog::limiters) grouped by the registers they
// start and end at, with instance and lane indices folded (u_row3 -> u_row*, prod_3 -> prod_*), so
// the report names what limits the clock and by how much, once per structure rather than once
// per bit and per row:
//
//   u_tile*/u_row*/u_requant/b_ps -> u_tile*/u_row*/u_requant/p_prod: 22 endpoints, worst slack
//   -2.292 ns at a 4 ns clock: this group alone allows 1000 / (4 + 2.292) = 158.9 MHz
#pragma once

#include <string>
#include <vector>

#include "synth/sta_log.h"

namespace escgen::synth {

struct LimiterGroup {
  std::string from, to;  // folded register names, or port names
  int endpoints = 0;     // endpoints of the group among those analysed
  double worst_slack_ns = 0, worst_arrival_ns = 0;
  std::string example_start, example_end;  // the worst path's pins
};

// "u_tile0/u_row12/u_ca/acc_3[7]" -> "u_tile*/u_row*/u_ca/acc_*": bit index dropped, trailing
// digits of every path component folded to '*'.
std::string fold_register_name(const std::string& name);

// Groups by (folded start, folded end), worst slack first (ties by name).
std::vector<LimiterGroup> group_limiters(const std::vector<StaEndpointPath>& paths);

}  // namespace escgen::synth
