// Float cross-correlation (see float_conv.h). Loop order o, i, p, q, then the output plane, so
// that the inner loop runs along a row of x.
#include "penni/float_conv.h"

#include <algorithm>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen::penni {

std::vector<double> conv2d(const ConvShape& s, std::span<const double> weights,
                           std::span<const double> bias, std::span<const double> x, bool relu) {
  const int ho = s.h_out(), wo = s.w_out();
  const size_t kk = static_cast<size_t>(s.k) * s.k;
  if (ho < 1 || wo < 1 || weights.size() != static_cast<size_t>(s.c_out) * s.c_in * kk ||
      x.size() != static_cast<size_t>(s.c_in) * s.h * s.w ||
      (!bias.empty() && bias.size() != static_cast<size_t>(s.c_out)))
    throw InternalError(
        fmt::format("penni::conv2d: inconsistent shapes (c_out {}, c_in {}, k {}, "
                    "{} x {})",
                    s.c_out, s.c_in, s.k, s.h, s.w));
  const size_t plane = static_cast<size_t>(ho) * wo;
  std::vector<double> y(static_cast<size_t>(s.c_out) * plane, 0.0);
  for (int o = 0; o < s.c_out; ++o) {
    double* yo = &y[static_cast<size_t>(o) * plane];
    if (!bias.empty()) std::fill(yo, yo + plane, bias[static_cast<size_t>(o)]);
    for (int i = 0; i < s.c_in; ++i) {
      const double* xi = &x[static_cast<size_t>(i) * s.h * s.w];
      const double* wk = &weights[(static_cast<size_t>(o) * s.c_in + i) * kk];
      for (int p = 0; p < s.k; ++p)
        for (int q = 0; q < s.k; ++q) {
          const double wv = wk[p * s.k + q];
          if (wv == 0.0) continue;
          for (int u = 0; u < ho; ++u) {
            const int yy = u * s.stride + p - s.pad;
            if (yy < 0 || yy >= s.h) continue;
            const double* row = xi + static_cast<size_t>(yy) * s.w;
            double* out = yo + static_cast<size_t>(u) * wo;
            for (int v = 0; v < wo; ++v) {
              const int xx = v * s.stride + q - s.pad;
              if (xx >= 0 && xx < s.w) out[v] += wv * row[xx];
            }
          }
        }
    }
  }
  if (relu)
    for (double& v : y) v = std::max(v, 0.0);
  return y;
}

}  // namespace escgen::penni
