// OpenSTA log parser (see sta_log.h).
#include "synth/sta_log.h"

#include <cmath>
#include <sstream>

#include "util/error.h"

namespace escgen::synth {

namespace {

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

std::string trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// sta::worst_slack returns a huge value (INF) when nothing is constrained.
std::optional<double> slack_value(const std::string& s) {
  try {
    const double v = std::stod(s);
    if (!std::isfinite(v) || std::fabs(v) > 1e20) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The leading number of "   3.813   data required time".
double leading_number(const std::string& line) {
  return std::stod(line);
}

}  // namespace

StaLog parse_sta_log(std::string_view text) {
  StaLog log;
  std::string section;
  StaPath path;
  bool in_path = false;
  bool seen_arrival = false, seen_required = false;
  std::istringstream in{std::string(text)};
  std::string raw;
  while (std::getline(in, raw)) {
    const std::string line = trim(raw);
    if (starts_with(raw, "Error")) {
      log.errors.push_back(trim(raw));
      continue;
    }
    if (starts_with(line, "escgen: ")) {
      std::istringstream words(line.substr(8));
      std::string key, value;
      words >> key;
      std::getline(words >> std::ws, value);
      if (key == "clock") log.clock = value;
      if (key == "worst_setup_slack") log.worst_setup_slack_ns = slack_value(value);
      if (key == "worst_hold_slack") log.worst_hold_slack_ns = slack_value(value);
      if (key == "section") {
        section = value;
        in_path = false;
      }
      if (key == "end") log.complete = true;
      if (key == "limiter") {
        std::istringstream f(value);
        StaEndpointPath e;
        if (!(f >> e.slack_ns >> e.arrival_ns >> e.start_pin >> e.start_reg >> e.end_pin >>
              e.end_reg))
          throw InputError("OpenSTA log: malformed limiter line: " + line);
        log.limiters.push_back(std::move(e));
      }
      continue;
    }
    if (section.empty()) continue;
    if (section == "power") {
      if (starts_with(line, "Total") && !log.power) {
        std::istringstream words(line.substr(5));
        StaPower p;
        if (words >> p.internal_w >> p.switching_w >> p.leakage_w >> p.total_w) log.power = p;
      }
      continue;
    }
    if (line == "No paths found.") {
      log.paths[section] = std::nullopt;
      continue;
    }
    if (starts_with(line, "Startpoint:")) {
      path = StaPath{};
      path.startpoint = trim(line.substr(11));
      in_path = true;
      seen_arrival = seen_required = false;
      continue;
    }
    if (!in_path) continue;
    if (starts_with(line, "Endpoint:")) {
      path.endpoint = trim(line.substr(9));
    } else if (line.find("data arrival time") != std::string::npos && !seen_arrival) {
      path.arrival_ns = leading_number(line);
      seen_arrival = true;
    } else if (line.find("data required time") != std::string::npos && !seen_required) {
      path.required_ns = leading_number(line);
      seen_required = true;
    } else if (line.find("slack (") != std::string::npos) {
      path.slack_ns = leading_number(line);
      path.met = line.find("(MET)") != std::string::npos;
      log.paths[section] = path;
      in_path = false;
    }
  }
  return log;
}

}  // namespace escgen::synth
