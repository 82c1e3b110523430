// The dense reference path (see direct_conv.h): effective weights, then a direct
// cross-correlation with the padding handled by clipping the loop ranges (no padded copies).
#include "model/direct_conv.h"

#include <algorithm>

#include <fmt/format.h>

#include "model/golden.h"
#include "util/error.h"

namespace escgen {
namespace {

size_t z(int v) {
  return static_cast<size_t>(v);
}

}  // namespace

std::vector<int64_t> effective_weights(const Layer& l) {
  const size_t kk = z(l.k) * z(l.k);
  std::vector<int64_t> w(z(l.c_out) * z(l.c_in) * kk, 0);
  for (int o = 0; o < l.c_out; ++o)
    for (int i = 0; i < l.c_in; ++i) {
      int64_t* wk = w.data() + (z(o) * z(l.c_in) + z(i)) * kk;
      for (int j = 0; j < l.d; ++j)
        for (size_t t = 0; t < kk; ++t) wk[t] += int64_t{l.c(o, i, j)} * l.basis[z(j) * kk + t];
    }
  return w;
}

std::vector<int64_t> direct_accumulators(const Layer& l, const std::vector<uint16_t>& x) {
  if (x.size() != z(l.c_in) * z(l.h) * z(l.w))
    throw InternalError(fmt::format("direct conv: input has {} values, layer needs {}", x.size(),
                                    z(l.c_in) * z(l.h) * z(l.w)));
  const std::vector<int64_t> wt = effective_weights(l);
  const int ho = l.h_out(), wo = l.w_out(), s = l.stride;
  std::vector<int64_t> acc(z(l.c_out) * z(ho) * z(wo));
  for (int o = 0; o < l.c_out; ++o) {
    int64_t* a = acc.data() + z(o) * z(ho) * z(wo);
    std::fill_n(a, z(ho) * z(wo), int64_t{l.bias[z(o)]});
    for (int i = 0; i < l.c_in; ++i)
      for (int p = 0; p < l.k; ++p)
        for (int q = 0; q < l.k; ++q) {
          const int64_t wgt = wt[((z(o) * z(l.c_in) + z(i)) * z(l.k) + z(p)) * z(l.k) + z(q)];
          // Output columns v whose input column v*s + q - pad lies inside [0, w).
          const int num_hi = l.w - 1 + l.pad - q;
          if (num_hi < 0) continue;
          const int v_lo = l.pad - q <= 0 ? 0 : (l.pad - q + s - 1) / s;
          const int v_hi = std::min(wo - 1, num_hi / s);
          for (int u = 0; u < ho; ++u) {
            const int yy = u * s + p - l.pad;
            if (yy < 0 || yy >= l.h) continue;
            const uint16_t* xrow = x.data() + (z(i) * z(l.h) + z(yy)) * z(l.w);
            int64_t* arow = a + z(u) * z(wo);
            if (s == 1)  // contiguous: lets the compiler vectorise the common case
              for (int v = v_lo; v <= v_hi; ++v) arow[v] += wgt * xrow[v + q - l.pad];
            else
              for (int v = v_lo; v <= v_hi; ++v) arow[v] += wgt * xrow[v * s + q - l.pad];
          }
        }
  }
  return acc;
}

std::vector<int64_t> direct_output(const Layer& l, const std::vector<uint16_t>& x) {
  std::vector<int64_t> y = direct_accumulators(l, x);
  if (l.output == OutputMode::Raw) return y;
  const size_t out_plane = z(l.h_out()) * z(l.w_out());
  for (size_t e = 0; e < y.size(); ++e)
    y[e] = requantize(y[e], l.scale[e / out_plane], l.shift[e / out_plane], l.act_bits);
  return y;
}

}  // namespace escgen
