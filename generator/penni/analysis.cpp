// Operation counts and shrinkable channels of a PENNI layer (see analysis.h).
#include "penni/analysis.h"

namespace escgen::penni {

Shrinkable shrinkable(const Layer& l) {
  std::vector<bool> in_used(static_cast<size_t>(l.c_in)), out_used(static_cast<size_t>(l.c_out)),
      basis_used(static_cast<size_t>(l.d));
  for (int o = 0; o < l.c_out; ++o)
    for (int i = 0; i < l.c_in; ++i)
      for (int j = 0; j < l.d; ++j)
        if (l.c(o, i, j) != 0) {
          in_used[static_cast<size_t>(i)] = true;
          out_used[static_cast<size_t>(o)] = true;
          basis_used[static_cast<size_t>(j)] = true;
        }
  Shrinkable s;
  for (int i = 0; i < l.c_in; ++i)
    if (!in_used[static_cast<size_t>(i)]) s.inputs.push_back(i);
  for (int o = 0; o < l.c_out; ++o)
    if (!out_used[static_cast<size_t>(o)]) s.outputs.push_back(o);
  for (int j = 0; j < l.d; ++j)
    if (!basis_used[static_cast<size_t>(j)]) s.bases.push_back(j);
  return s;
}

WorkCounts work_counts(const Layer& l) {
  const auto u = [](int v) { return static_cast<uint64_t>(v); };
  const uint64_t taps = u(l.k) * u(l.k), out_plane = u(l.h_out()) * u(l.w_out());
  WorkCounts w;
  w.dense_macs = u(l.c_out) * u(l.c_in) * taps * out_plane;
  for (int8_t c : l.coef) w.coef_nonzero += c != 0;
  w.ca_additions = w.coef_nonzero * u(l.h) * u(l.w);
  w.penni_macs = u(l.c_out) * u(l.d) * taps * out_plane;
  const Shrinkable s = shrinkable(l);
  w.penni_macs_shrunk =
      (u(l.c_out) - s.outputs.size()) * (u(l.d) - s.bases.size()) * taps * out_plane;
  return w;
}

}  // namespace escgen::penni
