// The Yosys and OpenSTA scripts of synth/, built into escgen (cmake/EmbedFiles.cmake generates
// the definition) and written into each run folder, so runs never read the source tree.
#pragma once

#include <string_view>
#include <vector>

namespace escgen::synth {

struct EmbeddedScript {
  std::string_view name;  // file name, e.g. "yosys.tcl"
  std::string_view text;
};

const std::vector<EmbeddedScript>& embedded_scripts();

}  // namespace escgen::synth
