// Output-channel assignment (see channel_assignment.h).
//
//   rows 2, works {5, 1, 4, 0} (channels 0..3): linear groups {5, 1} {4, 0}, max-row sum 5 + 4 = 9;
//   balanced sorts to 0, 2, 1, 3: groups {5, 4} {1, 0}, sum 5 + 1 = 6 (the optimum: the k-th
//   largest group maximum is at least the ((k-1)*rows + 1)-th largest work).
#include "interface/channel_assignment.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen {

ChannelAssign parse_channel_assign(const std::string& name, const std::string& option) {
  if (name == "linear") return ChannelAssign::Linear;
  if (name == "balanced") return ChannelAssign::Balanced;
  throw InputError(fmt::format("{}: must be linear or balanced (got {})", option, name));
}

const char* to_string(ChannelAssign a) {
  return a == ChannelAssign::Linear ? "linear" : "balanced";
}

int64_t channel_work(const Layer& l, int o) {
  const auto first = l.coef.begin() + static_cast<std::ptrdiff_t>(o) * l.c_in * l.d;
  return std::count_if(first, first + static_cast<std::ptrdiff_t>(l.c_in) * l.d,
                       [](int8_t v) { return v != 0; });
}

std::vector<int> assign_channels(const Config& c, const Layer& l, ChannelAssign a) {
  std::vector<int> perm(static_cast<size_t>(l.c_out));
  std::iota(perm.begin(), perm.end(), 0);
  if (a == ChannelAssign::Linear) return perm;
  std::vector<int64_t> work(perm.size());
  for (int o = 0; o < l.c_out; ++o) work[static_cast<size_t>(o)] = channel_work(l, o);
  // Heaviest first: groups of similar channels; the last (partial) group gets the lightest.
  std::stable_sort(perm.begin(), perm.end(), [&](int x, int y) {
    return work[static_cast<size_t>(x)] > work[static_cast<size_t>(y)];
  });
  (void)c;
  return perm;
}

int64_t max_row_work(const Config& c, const Layer& l, const std::vector<int>& perm) {
  const int rows = c.derived.rows;
  int64_t sum = 0;
  for (size_t g = 0; g < perm.size(); g += static_cast<size_t>(rows)) {
    int64_t m = 0;
    for (size_t s = g; s < std::min(perm.size(), g + static_cast<size_t>(rows)); ++s)
      m = std::max(m, channel_work(l, perm[s]));
    sum += m;
  }
  return sum;
}

static void check_perm(const Layer& l, const std::vector<int>& perm) {
  std::vector<bool> seen(static_cast<size_t>(l.c_out), false);
  bool ok = perm.size() == static_cast<size_t>(l.c_out);
  for (const int o : perm) {
    if (!ok || o < 0 || o >= l.c_out || seen[static_cast<size_t>(o)]) {
      ok = false;
      break;
    }
    seen[static_cast<size_t>(o)] = true;
  }
  if (!ok) throw InternalError("channel assignment: not a permutation of the output channels");
}

Layer permute_layer(const Layer& l, const std::vector<int>& perm) {
  check_perm(l, perm);
  Layer p = l;
  const size_t per = static_cast<size_t>(l.c_in) * l.d;
  for (size_t s = 0; s < perm.size(); ++s) {
    const size_t o = static_cast<size_t>(perm[s]);
    std::copy_n(l.coef.begin() + static_cast<std::ptrdiff_t>(o * per), per,
                p.coef.begin() + static_cast<std::ptrdiff_t>(s * per));
    p.bias[s] = l.bias[o];
    p.scale[s] = l.scale[o];
    p.shift[s] = l.shift[o];
  }
  return p;
}

std::vector<int64_t> unpermute_output(const std::vector<int64_t>& y_perm,
                                      const std::vector<int>& perm, int64_t pixels) {
  if (y_perm.size() != perm.size() * static_cast<size_t>(pixels))
    throw InternalError("channel assignment: output size does not match the permutation");
  std::vector<int64_t> y(y_perm.size());
  const auto n = static_cast<size_t>(pixels);
  for (size_t s = 0; s < perm.size(); ++s)
    std::copy_n(y_perm.begin() + static_cast<std::ptrdiff_t>(s * n), n,
                y.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(perm[s]) * n));
  return y;
}

}  // namespace escgen
