// STATUS text and stats.json (see sim_report.h).
#include "sim_report.h"

#include <cstdio>
#include <fstream>

namespace escgen::sim {

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::string status_text(uint32_t status) {
  std::string s = hex32(status);
  std::string bits;
  if (status & regmap::kStatusBusy) bits += " busy";
  if (status & regmap::kStatusDone) bits += " done";
  if (status & regmap::kStatusQueued) bits += " queued";
  if (status & regmap::kStatusError) {
    const uint32_t code = regmap::status_error_code(status);
    bits += " error " + std::to_string(code) + " (" + regmap::error_code_name(code) + ")";
  }
  return s + (bits.empty() ? " (idle)" : " (" + bits.substr(1) + ")");
}

static std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string stats_json(const SimResult& r, const RunInfo& info) {
  std::string s = "{\n";
  s += "  \"cycles\": " + std::to_string(r.cycles) + ",\n";
  s += "  \"counters\": {";
  for (size_t i = 0; i < r.counters.size(); ++i)
    s += std::string(i ? ", " : "") + "\"" + r.counters[i].first +
         "\": " + std::to_string(r.counters[i].second);
  s += "},\n";
  s += "  \"beats\": {\"wgt\": " + std::to_string(info.stim->wgt.count) +
       ", \"act\": " + std::to_string(info.stim->act.count) +
       ", \"out\": " + std::to_string(r.out.count) + "},\n";
  s += "  \"seed\": " + std::to_string(info.options->seed) + ",\n";
  s += "  \"valid_prob\": " + number(info.options->valid_prob) + ",\n";
  s += "  \"ready_prob\": " + number(info.options->ready_prob) + ",\n";
  s += "  \"total_cycles\": " + std::to_string(r.total_cycles) + ",\n";
  s += "  \"wall_seconds\": " + number(info.seconds) + ",\n";
  s += "  \"cycles_per_second\": " +
       number(info.seconds > 0 ? static_cast<double>(r.total_cycles) / info.seconds : 0.0) + "\n";
  s += "}\n";
  return s;
}

void write_stats(const std::string& file, const SimResult& r, const RunInfo& info) {
  std::ofstream f(file, std::ios::binary);
  f << stats_json(r, info);
  if (!f) throw UsageError(file + ": cannot write");
}

}  // namespace escgen::sim
