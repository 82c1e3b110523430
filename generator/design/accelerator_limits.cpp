// The top's limit checks (see accelerator_stages.h): check_code, the first failing check of the
// shape registers against the configuration's limits (STATUS.error_code, docs/interface.md).
#include <algorithm>

#include <fmt/format.h>

#include "design/accelerator_stages.h"
#include "netlist/expr.h"

namespace escgen::top {

using netlist::cat;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

void add_limit_checks(Module& m, const Config& c) {
  // On the full 32-bit register values. Short paths: "r > max" is "any bit above max's width
  // set, or the low bits > max"; the window checks (h + 2 pad < k) run on the limits' widths
  // only: they decide the code only when every earlier check passed, i.e. when h <= max_h and
  // pad < k <= max_k.
  // r = 0 or r > max, for a limit max of `bits` bits.
  auto over = [](const std::string& r, int64_t max, int bits) {
    const int b = std::min(32, bits);
    const std::string net = "r_" + r;
    const std::string high =
        b >= 32 ? std::string("1'b0") : fmt::format("(|{})", slice(net, 31, b));
    if (max == (int64_t{1} << b) - 1) return fmt::format("(~(|{})) | {}", net, high);
    return fmt::format("(~(|{0})) | {1} | ({2} > {3})", net, high, slice(net, b - 1, 0),
                       lit(b, static_cast<uint64_t>(max)));
  };
  const Derived& dv = c.derived;
  const int hwb = std::max(dv.h_bits, dv.w_bits);
  const int kpb = dv.k_bits;
  const int wsum = std::max(hwb, kpb + 1) + 1;  // h + 2 pad without overflow
  auto window = [&](const char* r) {
    return fmt::format("({} + {}) < {}", zext(slice(fmt::format("r_{}", r), hwb - 1, 0), hwb, wsum),
                       zext(cat({slice("r_pad", kpb - 1, 0), lit(1, 0)}), kpb + 1, wsum),
                       zext(slice("r_k", kpb - 1, 0), kpb, wsum));
  };
  // pad >= k, decided only when k <= max_k passed (k below 2^kpb).
  const std::string pad_ge_k =
      fmt::format("{} | ({} >= {})",
                  kpb >= 32 ? std::string("1'b0") : fmt::format("(|{})", slice("r_pad", 31, kpb)),
                  slice("r_pad", kpb - 1, 0), slice("r_k", kpb - 1, 0));
  const std::vector<std::string> checks = {
      over("c_in", c.max_c_in, dv.c_in_bits),
      over("c_out", c.max_c_out, dv.c_out_bits),
      over("h", c.max_h, dv.h_bits),
      over("w", c.max_w, dv.w_bits),
      over("k", c.max_k, dv.k_bits),
      over("stride", c.max_stride, dv.stride_bits),
      pad_ge_k,
      over("d", c.max_d, dv.d_bits),
      "(|r_mode[31:1])",
      window("h"),
      window("w"),
  };
  std::string code = lit(8, 0);
  for (int i = static_cast<int>(checks.size()) - 1; i >= 0; --i)
    code = fmt::format("({}) ? {} : {}", checks[static_cast<size_t>(i)],
                       lit(8, static_cast<uint64_t>(i + 1)), code);
  // Registered: a start (a later AXI write) always sees the checks of the current registers.
  m.reg("check_code", 8, code, "", lit(8, 0),
        "first failing limit check (0: the layer is accepted)");
}

}  // namespace escgen::top
