// Limiter grouping (see limiters.h).
#include "synth/limiters.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

namespace escgen::synth {

namespace {

// The register of a path end, or its pin for a port (no flop there).
const std::string& reg_or_pin(const std::string& reg, const std::string& pin) {
  return reg == "-" ? pin : reg;
}

std::string fold_component(std::string c) {
  size_t e = c.size();
  while (e > 0 && std::isdigit(static_cast<unsigned char>(c[e - 1]))) --e;
  // Only a name with letters before its digits is folded ("_123_", a Yosys name, stays).
  const bool letters = std::any_of(c.begin(), c.begin() + static_cast<long>(e), [](char ch) {
    return std::isalpha(static_cast<unsigned char>(ch));
  });
  if (e == c.size() || !letters) return c;
  return c.substr(0, e) + "*";
}

}  // namespace

std::string fold_register_name(const std::string& name) {
  std::string n = name;
  if (!n.empty() && n.back() == ']') {
    const size_t b = n.rfind('[');
    if (b != std::string::npos) n.erase(b);
  }
  std::string out;
  size_t start = 0;
  while (true) {
    const size_t slash = n.find('/', start);
    out += fold_component(
        n.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

std::vector<LimiterGroup> group_limiters(const std::vector<StaEndpointPath>& paths) {
  std::map<std::pair<std::string, std::string>, LimiterGroup> groups;
  for (const StaEndpointPath& p : paths) {
    const std::string from = fold_register_name(reg_or_pin(p.start_reg, p.start_pin));
    const std::string to = fold_register_name(reg_or_pin(p.end_reg, p.end_pin));
    auto [it, fresh] = groups.try_emplace({from, to});
    LimiterGroup& g = it->second;
    if (fresh || p.slack_ns < g.worst_slack_ns) {
      g.from = from;
      g.to = to;
      g.worst_slack_ns = p.slack_ns;
      g.worst_arrival_ns = p.arrival_ns;
      g.example_start = p.start_pin;
      g.example_end = p.end_pin;
    }
    ++g.endpoints;
  }
  std::vector<LimiterGroup> out;
  out.reserve(groups.size());
  for (auto& [key, g] : groups) out.push_back(std::move(g));
  std::stable_sort(out.begin(), out.end(), [](const LimiterGroup& a, const LimiterGroup& b) {
    return a.worst_slack_ns < b.worst_slack_ns;
  });
  return out;
}

}  // namespace escgen::synth
