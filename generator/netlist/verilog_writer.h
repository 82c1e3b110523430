// Writes the netlist model as Verilog-2005 text: one module per file, a provenance header with
// the command that regenerates it, deterministic (the same design gives the same bytes).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "netlist/netlist.h"

namespace escgen::netlist {

struct Provenance {
  std::string command;  // the command that regenerates the file, e.g. "escgen generate ..."
};

std::string write_module(const Module& m, const Provenance& prov);

// Writes DIR/rtl/<module>.v for every module and DIR/files.f (paths relative to DIR, dependency
// order). Returns the files written, relative to DIR.
std::vector<std::string> write_design(const Design& d, const std::filesystem::path& dir,
                                      const Provenance& prov);

// Writes `text` to `path` only when the bytes differ (keeps timestamps of unchanged files).
void write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace escgen::netlist
