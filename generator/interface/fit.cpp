// check_fit: the layer-against-configuration check of `escgen sim` (see fit.h).
#include "interface/fit.h"

#include <filesystem>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen {

void check_fit(const Config& c, const Layer& l) {
  const std::string file = l.dir.empty() ? std::string("layer.json")
                                         : (std::filesystem::path(l.dir) / "layer.json").string();
  const struct {
    const char* field;
    int value, limit;
  } limits[] = {{"c_in", l.c_in, c.max_c_in}, {"c_out", l.c_out, c.max_c_out},
                {"h", l.h, c.max_h},          {"w", l.w, c.max_w},
                {"k", l.k, c.max_k},          {"stride", l.stride, c.max_stride},
                {"d", l.d, c.max_d}};
  for (const auto& f : limits)
    if (f.value > f.limit)
      throw InputError(fmt::format("{}: {}: {} exceeds the configuration's max_{} {} ({})", file,
                                   f.field, f.value, f.field, f.limit, c.source));
  const struct {
    const char* field;
    int value, config;
  } widths[] = {{"act_bits", l.act_bits, c.act_bits},
                {"basis_bits", l.basis_bits, c.basis_bits},
                {"coef_bits", l.coef_bits, c.coef_bits}};
  for (const auto& f : widths)
    if (f.value != f.config)
      throw InputError(fmt::format("{}: {}: {} differs from the configuration's {} {} ({})", file,
                                   f.field, f.value, f.field, f.config, c.source));
}

}  // namespace escgen
