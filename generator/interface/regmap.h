// The accelerator's register map (docs/interface.md): addresses, STATUS bits, the ID value and
// the performance counters by name. Plain C++ without dependencies: the simulation driver
// (testbench/sim, built by `escgen sim` from embedded sources) includes it too.
#pragma once

#include <cstdint>

// The limit checks' table; in the simulation driver's flat source directory by its plain name.
#if __has_include("interface/limit_checks.h")
#include "interface/limit_checks.h"
#else
#include "limit_checks.h"
#endif

namespace escgen::regmap {

constexpr uint32_t kCtrl = 0x00, kStatus = 0x04, kCIn = 0x08, kCOut = 0x0C, kH = 0x10, kW = 0x14,
                   kK = 0x18, kStride = 0x1C, kPad = 0x20, kD = 0x24, kMode = 0x28;
constexpr uint32_t kId = 0x7C;
constexpr uint32_t kIdValue = 0xE5CA0001u;

constexpr uint32_t kCtrlStart = 1u << 0;
constexpr uint32_t kStatusBusy = 1u << 0, kStatusDone = 1u << 1, kStatusError = 1u << 2,
                   kStatusQueued = 1u << 3;
constexpr uint32_t status_error_code(uint32_t status) {
  return (status >> 8) & 0xFFu;
}

constexpr uint32_t kModeRaw = 0, kModeRequantRelu = 1;

struct Counter {
  uint32_t addr;
  const char* name;
};
constexpr Counter kCounters[] = {
    {0x40, "CYCLES"},    {0x44, "CA_BUSY"},    {0x48, "CA_STALL"},  {0x4C, "MAC_BUSY"},
    {0x50, "MAC_STALL"}, {0x54, "INBUF_FULL"}, {0x58, "OUT_STALL"}, {0x5C, "LOAD_CYCLES"},
};

// The names of STATUS error codes: "none" for 0, the first failing check's (limit_checks.h) for
// 1..kLimitCheckCount, "?" for anything else.
constexpr const char* error_code_name(uint32_t code) {
  if (code == 0) return "none";
  for (const limit_checks::LimitCheck& l : limit_checks::kLimitChecks)
    if (l.code == code) return l.name;
  return "?";
}

}  // namespace escgen::regmap
