// Parser of the OpenSTA log that synth/sta.tcl produces: the "escgen:" marker lines (clock,
// worst slacks, sections) and, per section, the path report_checks printed (start, end, data
// arrival, required time, slack), the limiter lines (one path per endpoint) or the power table.
// Also collects "Error" lines.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace escgen::synth {

struct StaPath {
  std::string startpoint,
      endpoint;  // as OpenSTA names them, with its note, e.g. "(input port ...)"
  double arrival_ns = 0, required_ns = 0, slack_ns = 0;
  bool met = true;
};

// One line of the "limiters" section: the worst path to one endpoint. *_reg is the register (the
// net on the flop's Q pin) or "-" for a port.
struct StaEndpointPath {
  double slack_ns = 0, arrival_ns = 0;
  std::string start_pin, start_reg, end_pin, end_reg;
};

struct StaPower {
  double internal_w = 0, switching_w = 0, leakage_w = 0, total_w = 0;
};

struct StaLog {
  std::string clock;                                                // "port clk" or "virtual"
  std::optional<double> worst_setup_slack_ns, worst_hold_slack_ns;  // none when no path
  // Section name (critical, reg_to_reg, in_to_reg, reg_to_out, in_to_out, hold) -> its worst
  // path, or nullopt for "No paths found.".
  std::map<std::string, std::optional<StaPath>> paths;
  std::vector<StaEndpointPath> limiters;  // worst first, as OpenSTA listed them
  std::optional<StaPower> power;
  std::vector<std::string> errors;  // lines starting with "Error"
  bool complete = false;            // the final "escgen: end" marker was seen
};

StaLog parse_sta_log(std::string_view text);

}  // namespace escgen::synth
