// The layer limit checks of a start (docs/interface.md, STATUS.error_code): one table, in check
// order, from which the RTL's check chain (design/accelerator_limits.cpp) and the error names
// (regmap::error_code_name) are generated. Plain C++ without dependencies: the simulation driver
// includes it through regmap.h.
#pragma once

#include <cstdint>

namespace escgen::limit_checks {

// What a check compares its shape register with.
enum class Kind {
  kRange,   // reg = 0 or reg > its configured limit (max_<reg>)
  kFlag,    // reg > 1
  kBelowK,  // reg >= k
  kWindow,  // reg + 2 * pad < k: the padded extent holds no window
};

struct LimitCheck {
  uint32_t code;     // STATUS.error_code when this is the first failing check
  const char* name;  // the code's name in messages
  const char* reg;   // the shape register checked (its name in the register block)
  Kind kind;
  const char* fails;  // the failing condition
};

// In check order: the first failing check gives the code.
inline constexpr LimitCheck kLimitChecks[] = {
    {1, "C_IN", "c_in", Kind::kRange, "c_in = 0 or c_in > max_c_in"},
    {2, "C_OUT", "c_out", Kind::kRange, "c_out = 0 or c_out > max_c_out"},
    {3, "H", "h", Kind::kRange, "h = 0 or h > max_h"},
    {4, "W", "w", Kind::kRange, "w = 0 or w > max_w"},
    {5, "K", "k", Kind::kRange, "k = 0 or k > max_k"},
    {6, "STRIDE", "stride", Kind::kRange, "stride = 0 or stride > max_stride"},
    {7, "PAD", "pad", Kind::kBelowK, "pad >= k"},
    {8, "D", "d", Kind::kRange, "d = 0 or d > max_d"},
    {9, "MODE", "mode", Kind::kFlag, "mode > 1"},
    {10, "H + 2 PAD < K", "h", Kind::kWindow, "h + 2 * pad < k"},
    {11, "W + 2 PAD < K", "w", Kind::kWindow, "w + 2 * pad < k"},
};
inline constexpr uint32_t kLimitCheckCount = sizeof(kLimitChecks) / sizeof(kLimitChecks[0]);

constexpr bool codes_in_order() {
  for (uint32_t i = 0; i < kLimitCheckCount; ++i)
    if (kLimitChecks[i].code != i + 1) return false;
  return true;
}
static_assert(codes_in_order(), "limit check codes are 1, 2, ... in check order");

}  // namespace escgen::limit_checks
