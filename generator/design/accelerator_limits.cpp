// The top's limit checks (see accelerator_stages.h): check_code, the first failing check of the
// shape registers against the configuration's limits (STATUS.error_code, docs/interface.md),
// generated from the checks' table (interface/limit_checks.h) in its order.
#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "design/accelerator_stages.h"
#include "interface/limit_checks.h"
#include "netlist/expr.h"
#include "util/error.h"

namespace escgen::top {

using limit_checks::Kind;
using limit_checks::LimitCheck;
using netlist::cat;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

namespace {

// A shape register's configured limit and its width.
struct Limit {
  int64_t max;
  int bits;
};

Limit limit_of(const Config& c, std::string_view reg) {
  const Derived& d = c.derived;
  const std::pair<std::string_view, Limit> limits[] = {
      {"c_in", {c.max_c_in, d.c_in_bits}}, {"c_out", {c.max_c_out, d.c_out_bits}},
      {"h", {c.max_h, d.h_bits}},          {"w", {c.max_w, d.w_bits}},
      {"k", {c.max_k, d.k_bits}},          {"stride", {c.max_stride, d.stride_bits}},
      {"d", {c.max_d, d.d_bits}}};
  for (const auto& [name, limit] : limits)
    if (name == reg) return limit;
  throw InternalError(fmt::format("accelerator: no configured limit for register {}", reg));
}

// On the full 32-bit register values. Short paths: "r > max" is "any bit above max's width set,
// or the low bits > max"; the window checks (h + 2 pad < k) run on the limits' widths only: they
// decide the code only when every earlier check passed, i.e. when h <= max_h and pad < k <=
// max_k. The pad check (pad >= k) likewise only when k <= max_k passed (k below 2^k_bits).
std::string fails(const Config& c, const LimitCheck& check) {
  const Derived& dv = c.derived;
  const std::string net = fmt::format("r_{}", check.reg);
  const int kpb = dv.k_bits;
  switch (check.kind) {
    case Kind::kRange: {
      const Limit l = limit_of(c, check.reg);
      const int b = std::min(32, l.bits);
      const std::string high =
          b >= 32 ? std::string("1'b0") : fmt::format("(|{})", slice(net, 31, b));
      if (l.max == (int64_t{1} << b) - 1) return fmt::format("(~(|{})) | {}", net, high);
      return fmt::format("(~(|{0})) | {1} | ({2} > {3})", net, high, slice(net, b - 1, 0),
                         lit(b, static_cast<uint64_t>(l.max)));
    }
    case Kind::kFlag:
      return fmt::format("(|{})", slice(net, 31, 1));
    case Kind::kBelowK:
      return fmt::format(
          "{} | ({} >= {})",
          kpb >= 32 ? std::string("1'b0") : fmt::format("(|{})", slice(net, 31, kpb)),
          slice(net, kpb - 1, 0), slice("r_k", kpb - 1, 0));
    case Kind::kWindow: {
      const int hwb = std::max(dv.h_bits, dv.w_bits);
      const int wsum = std::max(hwb, kpb + 1) + 1;  // h + 2 pad without overflow
      return fmt::format("({} + {}) < {}", zext(slice(net, hwb - 1, 0), hwb, wsum),
                         zext(cat({slice("r_pad", kpb - 1, 0), lit(1, 0)}), kpb + 1, wsum),
                         zext(slice("r_k", kpb - 1, 0), kpb, wsum));
    }
  }
  throw InternalError("accelerator: unknown limit check kind");
}

}  // namespace

void add_limit_checks(Module& m, const Config& c) {
  std::string code = lit(8, 0);
  for (auto it = std::rbegin(limit_checks::kLimitChecks);
       it != std::rend(limit_checks::kLimitChecks); ++it)
    code = fmt::format("({}) ? {} : {}", fails(c, *it), lit(8, it->code), code);
  // Registered: a start (a later AXI write) always sees the checks of the current registers.
  m.reg("check_code", 8, code, "", lit(8, 0),
        "first failing limit check (0: the layer is accepted)");
}

}  // namespace escgen::top
