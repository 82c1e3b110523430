// Concentration beat logic (see concentration_shape.h): from a state's first target ends and its
// element count, the beat it offers: its lanes and their segments, its size (binary and
// one-hot), whether it goes, and the elements left after it.
//
// Target ends before each lane as a thermometer: ge_k[j-1] = at least j target ends among lanes
// 0 .. k-1 (j up to lookaside+1). Lane k is taken when it holds an element and fewer than
// lookaside+1 ends precede it.
#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "blocks/concentration_shape.h"
#include "netlist/expr.h"

namespace escgen::blocks::conc_detail {
namespace {

using netlist::bit;
using netlist::lit;
using netlist::Module;

using Therm = std::vector<std::string>;  // bit j-1: at least j (one net per bit)

// a + b saturated at `segs`, as the thermometer wire `pw` (a + b >= j = OR over x of a >= x &
// b >= j - x); returns its bits.
Therm add_therm_sum(Module& m, const std::string& pw, const Therm& lo, const Therm& hi, int segs,
                    const std::string& comment) {
  const int na = static_cast<int>(lo.size()), nb = static_cast<int>(hi.size());
  const int w = std::min(na + nb, segs);
  m.wire(pw, w, comment);
  Therm out;
  for (int j = 1; j <= w; ++j) {
    std::string terms;
    for (int x = std::max(0, j - nb); x <= std::min(j, na); ++x) {
      const int y = j - x;
      const std::string t = x == 0   ? hi[static_cast<size_t>(y - 1)]
                            : y == 0 ? lo[static_cast<size_t>(x - 1)]
                                     : fmt::format("({} & {})", lo[static_cast<size_t>(x - 1)],
                                                   hi[static_cast<size_t>(y - 1)]);
      terms += (terms.empty() ? "" : " | ") + t;
    }
    m.assign(m.select(pw, j - 1), terms);
    out.push_back(m.select(pw, j - 1));
  }
  return out;
}

// Ends among lanes 0 .. i, saturated at lookaside+1, as thermometers (pc[i][j-1]: at least j),
// by a Sklansky parallel prefix: log2(lanes) levels of thermometer additions instead of a
// lanes-long AND/OR chain.
std::vector<Therm> add_end_prefix(Module& m, const Shape& s, const std::string& pre,
                                  const std::string& flags) {
  const int l = s.l;
  std::vector<Therm> pc(static_cast<size_t>(std::max(l - 1, 0)));
  for (int i = 0; i + 1 < l; ++i) pc[static_cast<size_t>(i)] = {bit(flags, i)};
  for (int span = 1, level = 0; span < l - 1; span *= 2, ++level) {
    auto next = pc;
    for (int i = span; i + 1 < l; ++i) {
      if ((i / span) % 2 == 0) continue;
      next[static_cast<size_t>(i)] = add_therm_sum(
          m, fmt::format("{}pc{}_{}", pre, level, i),
          pc[static_cast<size_t>((i / span) * span - 1)], pc[static_cast<size_t>(i)], s.segs,
          level == 0 && i == span ? "prefix step: bit j-1, at least j ends" : "");
    }
    pc = std::move(next);
  }
  return pc;
}

// The prefix thermometers as the wires `<pre>ge_k` (k = 1 .. lanes-1).
void add_end_counts(Module& m, const Shape& s, const std::string& pre,
                    const std::vector<Therm>& pc) {
  for (int k = 1; k < s.l; ++k) {
    const auto& t = pc[static_cast<size_t>(k - 1)];
    const std::string g = fmt::format("{}ge_{}", pre, k);
    m.wire(g, static_cast<int>(t.size()),
           fmt::format("bit j-1: at least j target ends among lanes 0 .. {}", k - 1));
    for (size_t j = 0; j < t.size(); ++j) m.assign(m.select(g, static_cast<int>(j)), t[j]);
  }
}

// At least j target ends among lanes 0 .. k-1.
std::string ends_before(const Module& m, const std::string& pre, int k, int j) {
  if (j == 0) return lit(1, 1);
  if (j > k) return lit(1, 0);
  return m.select(fmt::format("{}ge_{}", pre, k), j - 1);
}

// The beat's lanes (a prefix) and each lane's segment: s ends before it, not s + 1.
void add_take_lanes(Module& m, const Shape& s, const std::string& pre) {
  const int l = s.l, segs = s.segs;
  const std::string has = pre + "has", tl = pre + "take_lane", seg = pre + "seg";
  m.wire(tl, l, "lane is part of the beat (a prefix)");
  m.wire(seg, segs * l, "lane k is in segment s at [s*lanes + k]");
  for (int k = 0; k < l; ++k) {
    m.assign(bit(tl, k), k < segs
                             ? bit(has, k)
                             : fmt::format("{} & ~{}", bit(has, k), ends_before(m, pre, k, segs)));
    for (int g = 0; g < segs; ++g) {
      std::string v;
      if (g > k) {
        v = lit(1, 0);
      } else if (g + 1 > k) {
        v = ends_before(m, pre, k, g);
      } else {
        v = g == 0
                ? "~" + ends_before(m, pre, k, 1)
                : fmt::format("{} & ~{}", ends_before(m, pre, k, g), ends_before(m, pre, k, g + 1));
      }
      m.assign(bit(seg, g * l + k), v);
    }
  }
}

// take_lane is a thermometer code: the beat's size is where it ends, encoded by ORs of the
// one-hot end position (no adder).
void add_take_size(Module& m, const Shape& s, const std::string& pre) {
  const int l = s.l;
  const std::string tl = pre + "take_lane", te = pre + "take_end";
  m.wire(te, l, "one-hot: bit k - 1 set when the beat has k > 0 elements");
  for (int k = 1; k <= l; ++k)
    m.assign(bit(te, k - 1),
             k == l ? bit(tl, l - 1) : fmt::format("{} & ~{}", bit(tl, k - 1), bit(tl, k)));
  m.wire(pre + "take", s.lbits, "elements in the beat");
  for (int b = 0; b < s.lbits; ++b) {
    std::string any;
    for (int k = 1; k <= l; ++k)
      if ((k >> b) & 1) any += (any.empty() ? "" : " | ") + bit(te, k - 1);
    m.assign(bit(pre + "take", b), any.empty() ? lit(1, 0) : any);
  }
}

// It goes when full or cut (a lane holding an element is not taken), or, when it ends with a
// target end, if no input is arriving.
void add_go(Module& m, const Shape& s, const std::string& pre, const std::string& flags) {
  const std::string has = pre + "has", tl = pre + "take_lane", te = pre + "take_end";
  std::string cut, ends;
  for (int k = 0; k < s.l; ++k) {
    cut += fmt::format(" | ({} & ~{})", bit(has, k), bit(tl, k));
    ends += (ends.empty() ? "" : " | ") + fmt::format("({} & {})", bit(te, k), bit(flags, k));
  }
  m.wire(pre + "ova", 1);
  m.assign(pre + "ova", bit(tl, s.l - 1) + cut);
  m.wire(pre + "ovb", 1);
  m.assign(pre + "ovb", ends);
}

// cnt - take, selected by the one-hot end (no subtraction after the take), and the same as a
// thermometer over the first lanes (left > k, i.e. cnt > k + take), for the next state's
// registered `held` flags.
void add_left(Module& m, const Shape& s, const std::string& pre, const std::string& cnt) {
  const int l = s.l, cbits = s.cbits;
  const std::string tl = pre + "take_lane", te = pre + "take_end";
  std::string left = fmt::format("({{{}{{~{}}}}} & {})", cbits, bit(tl, 0), cnt);
  for (int k = 1; k <= l; ++k)
    left += fmt::format(" | ({{{}{{{}}}}} & ({} - {}))", cbits, bit(te, k - 1), cnt,
                        lit(cbits, static_cast<uint64_t>(k)));
  m.wire(pre + "toh", l + 1, "one-hot: bit x set when the beat has x elements");
  m.assign(pre + "toh", fmt::format("{{{}, ~{}}}", te, bit(tl, 0)));
  m.wire(pre + "left", cbits, "elements left after the beat");
  m.assign(pre + "left", left);
  const std::string gt = pre + "cnt_gt", lg = pre + "left_gt";
  m.wire(gt, 2 * l, "bit m: cnt > m");
  for (int k = 0; k < 2 * l; ++k)
    m.assign(bit(gt, k), fmt::format("{} > {}", cnt, lit(cbits, static_cast<uint64_t>(k))));
  m.wire(lg, l, "bit k: cnt - take > k");
  for (int k = 0; k < l; ++k) {
    std::string v = fmt::format("(~{} & {})", bit(tl, 0), bit(gt, k));
    for (int x = 1; x <= l; ++x) v += fmt::format(" | ({} & {})", bit(te, x - 1), bit(gt, k + x));
    m.assign(bit(lg, k), v);
  }
}

}  // namespace

void add_beat(Module& m, const Shape& s, const std::string& pre, const std::string& flags,
              const std::string& cnt) {
  add_end_counts(m, s, pre, add_end_prefix(m, s, pre, flags));
  add_take_lanes(m, s, pre);
  add_take_size(m, s, pre);
  add_go(m, s, pre, flags);
  add_left(m, s, pre, cnt);
}

}  // namespace escgen::blocks::conc_detail
