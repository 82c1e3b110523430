// The synthesis reports of a run folder: report.json (every figure, machine-readable) and
// report.md (the same for people): area in total, per module type and per instance, cells and
// flops, timing, power, tool versions, knobs and the exact commands.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "synth/flow.h"

namespace escgen::synth {

nlohmann::ordered_json report_json(const SynthResult& r);
std::string report_markdown(const nlohmann::ordered_json& report);

// Writes DIR/report.json and DIR/report.md.
void write_reports(const SynthResult& r, const std::filesystem::path& dir);

}  // namespace escgen::synth
