// The golden PENNI layer model (see golden.h). It follows the contract's order of operations and
// exploits coefficient sparsity: per (output channel o, basis j) only the non-zero coefficients
// C[o][i][j] are visited to build the plane Z[o][j], and a basis whose Z plane is empty (no
// non-zero coefficient) is skipped; zero basis taps are skipped too. Everything is exact int64.
#include "model/golden.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen {
namespace {

// One non-zero coefficient of a (o, j) pair: input channel and value.
struct Tap {
  int i;
  int c;
};

size_t z(int v) {
  return static_cast<size_t>(v);
}

void check_input_size(const Layer& l, const std::vector<uint16_t>& x) {
  if (x.size() != z(l.c_in) * z(l.h) * z(l.w))
    throw InternalError(fmt::format("golden model: input has {} values, layer needs c_in*h*w = {}",
                                    x.size(), z(l.c_in) * z(l.h) * z(l.w)));
}

}  // namespace

std::vector<int64_t> golden_accumulators(const Layer& l, const std::vector<uint16_t>& x) {
  check_input_size(l, x);
  const int ho = l.h_out(), wo = l.w_out(), hp = l.h + 2 * l.pad, wp = l.w + 2 * l.pad;
  const size_t plane = z(hp) * z(wp), out_plane = z(ho) * z(wo);

  // Non-zero coefficients per (o, j), compressed: taps[first[o*d+j] .. first[o*d+j+1]).
  std::vector<size_t> first(z(l.c_out) * z(l.d) + 1, 0);
  std::vector<Tap> taps;
  for (int o = 0; o < l.c_out; ++o)
    for (int j = 0; j < l.d; ++j) {
      for (int i = 0; i < l.c_in; ++i)
        if (const int c = l.c(o, i, j); c != 0) taps.push_back({i, c});
      first[z(o) * z(l.d) + z(j) + 1] = taps.size();
    }

  // Zero-padded input planes, so that the basis convolution needs no bounds checks.
  std::vector<int64_t> xp(z(l.c_in) * plane, 0);
  for (int i = 0; i < l.c_in; ++i)
    for (int y = 0; y < l.h; ++y)
      std::copy_n(
          x.begin() + static_cast<std::ptrdiff_t>((z(i) * z(l.h) + z(y)) * z(l.w)), l.w,
          xp.begin() + static_cast<std::ptrdiff_t>(z(i) * plane + z(y + l.pad) * z(wp) + z(l.pad)));

  std::vector<int64_t> acc(z(l.c_out) * out_plane);
  std::vector<int64_t> zp(plane);
  for (int o = 0; o < l.c_out; ++o) {
    int64_t* a = acc.data() + z(o) * out_plane;
    std::fill_n(a, out_plane, int64_t{l.bias[z(o)]});
    for (int j = 0; j < l.d; ++j) {
      const size_t t0 = first[z(o) * z(l.d) + z(j)], t1 = first[z(o) * z(l.d) + z(j) + 1];
      if (t0 == t1) continue;  // Z[o][j] == 0: contributes nothing
      // Linear combination first: Z[o][j] = sum over non-zero C[o][i][j] of C * x[i].
      std::fill(zp.begin(), zp.end(), 0);
      for (size_t t = t0; t < t1; ++t) {
        const int64_t* xi = xp.data() + z(taps[t].i) * plane;
        const int64_t c = taps[t].c;
        if (c == 1)
          for (size_t e = 0; e < plane; ++e) zp[e] += xi[e];
        else if (c == -1)
          for (size_t e = 0; e < plane; ++e) zp[e] -= xi[e];
        else
          for (size_t e = 0; e < plane; ++e) zp[e] += c * xi[e];
      }
      // Then the k x k basis convolution of Z[o][j] with B[j], with stride.
      for (int p = 0; p < l.k; ++p)
        for (int q = 0; q < l.k; ++q) {
          const int64_t b = l.b(j, p, q);
          if (b == 0) continue;
          for (int u = 0; u < ho; ++u) {
            const int64_t* row = zp.data() + z(u * l.stride + p) * z(wp) + z(q);
            int64_t* arow = a + z(u) * z(wo);
            if (l.stride == 1)
              for (int v = 0; v < wo; ++v) arow[v] += b * row[v];
            else
              for (int v = 0; v < wo; ++v) arow[v] += b * row[z(v) * z(l.stride)];
          }
        }
    }
  }
  return acc;
}

int64_t requantize(int64_t acc, int64_t m, int s, int act_bits) {
  if (s < 0 || s > 62 || act_bits < 1 || act_bits > 62)
    throw InternalError(
        fmt::format("requantize: shift {} or act_bits {} outside the contract", s, act_bits));
  __extension__ using i128 = __int128;
  i128 t = static_cast<i128>(acc) * m;  // exact: |acc * M| < 2^126
  if (s > 0) t += static_cast<i128>(1) << (s - 1);
  t >>= s;  // arithmetic shift: floor(t / 2^S)
  const int64_t hi = (int64_t{1} << act_bits) - 1;
  return t < 0 ? 0 : t > hi ? hi : static_cast<int64_t>(t);
}

std::vector<int64_t> golden_output(const Layer& l, const std::vector<uint16_t>& x) {
  std::vector<int64_t> y = golden_accumulators(l, x);
  const size_t out_plane = z(l.h_out()) * z(l.w_out());
  for (size_t e = 0; e < y.size(); ++e) {
    const size_t o = e / out_plane;
    if (l.output == OutputMode::RequantRelu) {
      y[e] = requantize(y[e], l.scale[o], l.shift[o], l.act_bits);
    } else if (y[e] < INT32_MIN || y[e] > INT32_MAX) {
      const std::string file =
          l.dir.empty() ? "bias.npy" : (std::filesystem::path(l.dir) / "bias.npy").string();
      throw InputError(fmt::format(
          "{}: value: bias[{}] = {} makes acc[{}][{}][{}] = {} overflow int32 (raw output)", file,
          o, l.bias[o], o, e % out_plane / z(l.w_out()), e % z(l.w_out()), y[e]));
    }
  }
  return y;
}

}  // namespace escgen
