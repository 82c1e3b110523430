// Concentration generator and cycle model (see concentration.h).
//
//   lanes 4, lookaside 1; queue [a0 a1* b0 b1 b2* c0] (* = last of its target)
//   -> beat [a0 a1* b0 b1] (two segments), queue [b2* c0]; next beat [b2* c0 ...] once c
//   has 3 more elements, or at once if the input is idle and the queue ends with a target end.
#include "blocks/concentration.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "blocks/lane_shift.h"
#include "netlist/expr.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {
namespace {

using netlist::bit;
using netlist::cat;
using netlist::lane;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

void check(const ConcentrationParams& p) {
  if (p.width < 2 || p.lanes < 1 || p.lanes > p.width || p.value_bits < 2 || p.lookahead < 0 ||
      p.lookaside < 0 || p.inputs < 1 || p.group < 1 || p.inputs % p.group != 0)
    throw InternalError(
        fmt::format("concentration: need 1 <= lanes ({}) <= width ({}), width >= 2, value_bits "
                    "({}) >= 2, lookahead ({}) >= 0, lookaside ({}) >= 0, inputs ({}) >= 1, "
                    "group ({}) >= 1 dividing inputs",
                    p.lanes, p.width, p.value_bits, p.lookahead, p.lookaside, p.inputs, p.group));
}

}  // namespace

std::string build_concentration(netlist::Design& design, const ConcentrationParams& p) {
  check(p);
  const std::string name =
      fmt::format("escgen_concentration_n{}_l{}_b{}_a{}_s{}{}{}", p.width, p.lanes, p.value_bits,
                  p.lookahead, p.lookaside, p.inputs == 1 ? "" : fmt::format("_i{}", p.inputs),
                  p.group == 1 ? "" : fmt::format("_g{}", p.group));
  if (design.has(name)) return name;
  const int n = p.width, l = p.lanes, vb = p.value_bits, e = p.capacity(), ni = p.inputs;
  const int wn = ni * n;                                  // merged input lanes
  const int wbits = bits_for(static_cast<uint64_t>(wn));  // merged input count 0..WN
  const int cbits = bits_for(static_cast<uint64_t>(e));   // queue count 0..E
  const int nbits = bits_for(static_cast<uint64_t>(n));   // input count 0..N
  const int lbits = bits_for(static_cast<uint64_t>(l));   // beat count 0..L
  const int segs = p.lookaside + 1;                       // segments of a beat at most

  Module m(name, fmt::format("concentration: {}{} -> {} lanes of {} bits, queue of {} elements, "
                             "look-aside {}",
                             ni == 1 ? "" : fmt::format("{} x ", ni), n, l, vb, e, p.lookaside));
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("in_valid", 1);
  m.output("in_ready", 1);
  if (ni == 1) {
    m.input("in_count", nbits, "elements in in_data (compacted at the head)");
    m.input("in_data", n * vb);
    m.input("in_last", 1, "this vector ends its target");
  } else {
    m.input("in_count", ni * nbits, "per vector: elements (compacted at the head)");
    m.input("in_data", ni * n * vb, "vector p at [p*width*value_bits +: width*value_bits]");
    m.input("in_last", ni, "per vector: it ends its target");
  }
  const int gs = p.group, ng = ni / gs;                       // vectors per group, groups
  const int gbits = bits_for(static_cast<uint64_t>(gs * n));  // group count 0..G*N
  if (gs > 1)
    m.input("in_total", ng * gbits,
            fmt::format("per group of {} vectors: the sum of their in_count", gs));
  m.output("out_valid", 1);
  m.input("out_ready", 1);
  m.output("out_count", lbits);
  m.output("out_data", l * vb, "zero beyond out_count");
  m.output("out_last", l, "lane ends its target");
  m.output("out_seg", segs * l,
           "lane k belongs to segment s (s target ends before it) at [s*lanes + k]; a lane's bit "
           "is meaningful below out_count");

  // --- state: element queue, oldest at lane 0, and the beat it offers, decided a cycle ahead ---
  // The beat (its size, lanes, segments and whether it may go) is a function of the queue's first
  // `lanes` target ends and its count. It is computed for both next states, the one where this
  // cycle's beat is taken (`p_`) and the one where it is not (`n_`), each from registers only,
  // and the handshake selects one at the end: the take -> pop -> take loop of the queue has no
  // logic but that selection, and the pop's shifter starts at a register.
  m.wire("data_d", e * vb);
  m.wire("last_d", e);
  m.wire("count_d", cbits);
  m.reg("count_q", cbits, "count_d", "", lit(cbits, 0), "elements waiting");
  m.reg("last_q", e, "last_d", "", lit(e, 0), "target ends; zero beyond count_q");
  m.reg("data_q", e * vb, "data_d", "", std::nullopt, "element values; garbage beyond count_q");
  m.wire("hn_d", l);
  m.reg("hn_q", l, "hn_d", "", lit(l, 0), "bit k: count_q > k");
  m.wire("hp_d", l);
  m.reg("hp_q", l, "hp_d", "", lit(l, 0), "bit k: cpop_q > k");
  // take_q and toh_q are the same number: binary for the pop's shifter and out_count, one-hot
  // for the next beat's flags.
  m.wire("toh_d", l + 1);
  m.reg("toh_q", l + 1, "toh_d", "", lit(l + 1, 1), "one-hot: bit x set when take_q == x");
  m.wire("take_d", lbits);
  m.reg("take_q", lbits, "take_d", "", lit(lbits, 0), "elements in the beat offered");
  m.wire("cpop_d", cbits);
  m.reg("cpop_q", cbits, "cpop_d", "", lit(cbits, 0),
        "elements that stay when the beat is taken: count_q - take_q");
  m.wire("tl_d", l);
  m.reg("tl_q", l, "tl_d", "", lit(l, 0), "lane is part of the beat offered (a prefix)");
  m.wire("seg_d", segs * l);
  // An empty queue's lanes are all in segment 0.
  const std::string seg_reset = segs == 1
                                    ? fmt::format("{{{}{{1'b1}}}}", l)
                                    : fmt::format("{{{}'b0, {{{}{{1'b1}}}}}}", (segs - 1) * l, l);
  m.reg("seg_q", segs * l, "seg_d", "", seg_reset, "out_seg of the beat offered");
  m.wire("ova_d", 1);
  m.reg("ova_q", 1, "ova_d", "", lit(1, 0),
        "the beat is full or cut by the (lookaside+1)-th target end: it goes");
  m.wire("ovb_d", 1);
  m.reg("ovb_q", 1, "ovb_d", "", lit(1, 0),
        "the beat ends at a target end: it goes unless an input is arriving");

  // The beat of a state whose first `lanes` lanes hold elements `<pre>has` (a thermometer) with
  // target ends `flags`, and `cnt` elements in all, as wires `<pre>take_lane`, `<pre>take` (and
  // its one-hot `<pre>toh`), `<pre>seg`, `<pre>ova`, `<pre>ovb`, and `<pre>left` = cnt - take
  // (with its thermometer over the first lanes `<pre>left_gt`).
  // Target ends before each lane as a thermometer: ge_k[j-1] = at least j target ends among lanes
  // 0 .. k-1 (j up to lookaside+1). Lane k is taken when it holds an element and fewer than
  // lookaside+1 ends precede it.
  const auto beat = [&](const std::string& pre, const std::string& flags, const std::string& cnt) {
    const auto ge = [&](int k, int j) -> std::string {
      if (j == 0) return lit(1, 1);
      if (j > k) return lit(1, 0);
      return m.select(fmt::format("{}ge_{}", pre, k), j - 1);
    };
    // Ends among lanes 0 .. i, saturated at lookaside+1, as thermometers (pc[i][j-1]: at least
    // j), by a Sklansky parallel prefix: log2(lanes) levels of thermometer additions (a + b >= j
    // = OR over x of a >= x & b >= j - x) instead of a lanes-long AND/OR chain.
    std::vector<std::vector<std::string>> pc(static_cast<size_t>(std::max(l - 1, 0)));
    for (int i = 0; i + 1 < l; ++i) pc[static_cast<size_t>(i)] = {bit(flags, i)};
    for (int span = 1, level = 0; span < l - 1; span *= 2, ++level) {
      auto next = pc;
      for (int i = span; i + 1 < l; ++i) {
        if ((i / span) % 2 == 0) continue;
        const auto& lo = pc[static_cast<size_t>((i / span) * span - 1)];
        const auto& hi = pc[static_cast<size_t>(i)];
        const int na = static_cast<int>(lo.size()), nb = static_cast<int>(hi.size());
        const int w = std::min(na + nb, segs);
        const std::string pw = fmt::format("{}pc{}_{}", pre, level, i);
        m.wire(pw, w, level == 0 && i == span ? "prefix step: bit j-1, at least j ends" : "");
        auto& out = next[static_cast<size_t>(i)];
        out.clear();
        for (int j = 1; j <= w; ++j) {
          std::string terms;
          for (int x = std::max(0, j - nb); x <= std::min(j, na); ++x) {
            const int y = j - x;
            const std::string t = x == 0 ? hi[static_cast<size_t>(y - 1)]
                                  : y == 0
                                      ? lo[static_cast<size_t>(x - 1)]
                                      : fmt::format("({} & {})", lo[static_cast<size_t>(x - 1)],
                                                    hi[static_cast<size_t>(y - 1)]);
            terms += (terms.empty() ? "" : " | ") + t;
          }
          m.assign(m.select(pw, j - 1), terms);
          out.push_back(m.select(pw, j - 1));
        }
      }
      pc = std::move(next);
    }
    for (int k = 1; k < l; ++k) {
      const auto& t = pc[static_cast<size_t>(k - 1)];
      const std::string g = fmt::format("{}ge_{}", pre, k);
      m.wire(g, static_cast<int>(t.size()),
             fmt::format("bit j-1: at least j target ends among lanes 0 .. {}", k - 1));
      for (size_t j = 0; j < t.size(); ++j) m.assign(m.select(g, static_cast<int>(j)), t[j]);
    }
    const std::string has = pre + "has", tl = pre + "take_lane", seg = pre + "seg";
    m.wire(tl, l, "lane is part of the beat (a prefix)");
    m.wire(seg, segs * l, "lane k is in segment s at [s*lanes + k]");
    for (int k = 0; k < l; ++k) {
      m.assign(bit(tl, k),
               k < segs ? bit(has, k) : fmt::format("{} & ~{}", bit(has, k), ge(k, segs)));
      // The lane's segment: s ends before it, not s + 1.
      for (int s = 0; s < segs; ++s) {
        std::string v;
        if (s > k) {
          v = lit(1, 0);
        } else if (s + 1 > k) {
          v = ge(k, s);
        } else {
          v = s == 0 ? "~" + ge(k, 1) : fmt::format("{} & ~{}", ge(k, s), ge(k, s + 1));
        }
        m.assign(bit(seg, s * l + k), v);
      }
    }
    // take_lane is a thermometer code: the beat's size is where it ends, encoded by ORs of the
    // one-hot end position (no adder).
    const std::string te = pre + "take_end";
    m.wire(te, l, "one-hot: bit k - 1 set when the beat has k > 0 elements");
    for (int k = 1; k <= l; ++k)
      m.assign(bit(te, k - 1),
               k == l ? bit(tl, l - 1) : fmt::format("{} & ~{}", bit(tl, k - 1), bit(tl, k)));
    m.wire(pre + "take", lbits, "elements in the beat");
    for (int b = 0; b < lbits; ++b) {
      std::string any;
      for (int k = 1; k <= l; ++k)
        if ((k >> b) & 1) any += (any.empty() ? "" : " | ") + bit(te, k - 1);
      m.assign(bit(pre + "take", b), any.empty() ? lit(1, 0) : any);
    }
    // It goes when full or cut (a lane holding an element is not taken), or, when it ends with
    // a target end, if no input is arriving.
    std::string cut, ends;
    for (int k = 0; k < l; ++k) {
      cut += fmt::format(" | ({} & ~{})", bit(has, k), bit(tl, k));
      ends += (ends.empty() ? "" : " | ") + fmt::format("({} & {})", bit(te, k), bit(flags, k));
    }
    m.wire(pre + "ova", 1);
    m.assign(pre + "ova", bit(tl, l - 1) + cut);
    m.wire(pre + "ovb", 1);
    m.assign(pre + "ovb", ends);
    // cnt - take, selected by the one-hot end (no subtraction after the take).
    std::string left = fmt::format("({{{}{{~{}}}}} & {})", cbits, bit(tl, 0), cnt);
    for (int k = 1; k <= l; ++k)
      left += fmt::format(" | ({{{}{{{}}}}} & ({} - {}))", cbits, bit(te, k - 1), cnt,
                          lit(cbits, static_cast<uint64_t>(k)));
    m.wire(pre + "toh", l + 1, "one-hot: bit x set when the beat has x elements");
    m.assign(pre + "toh", fmt::format("{{{}, ~{}}}", te, bit(tl, 0)));
    m.wire(pre + "left", cbits, "elements left after the beat");
    m.assign(pre + "left", left);
    // The same as a thermometer over the first lanes (left > k, i.e. cnt > k + take), for the
    // next state's registered `held` flags.
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
  };

  m.assign("out_valid", fmt::format("ova_q | (ovb_q & ~{})", ni == 1 ? "in_valid" : "mg_v"));
  m.assign("out_count", "take_q");
  m.assign("out_seg", "seg_q");
  for (int k = 0; k < l; ++k) {
    m.assign(lane("out_data", k, vb),
             fmt::format("{} & {{{}{{tl_q[{}]}}}}", lane("data_q", k, vb), vb, k));
    m.assign(bit("out_last", k), fmt::format("last_q[{}] & tl_q[{}]", k, k));
  }
  // Room for inputs x width more elements, registered (decided with the next count).
  const std::string room_max = lit(cbits, static_cast<uint64_t>(e - ni * n));
  m.wire("room_d", 1);
  m.reg("room_q", 1, "room_d", "", lit(1, 1), fmt::format("count_q <= {}", e - ni * n));
  if (ni == 1) {
    m.assign("in_ready", "room_q");
  } else {
    // The merge register: the merged vectors wait here, then go into the queue when it has room
    // (cuts the merge network off the queue's update loop); the placement register before it
    // cuts the offsets' adders off the shifts.
    m.wire("mg_go", 1, "the merge register empties into the queue");
    m.assign("mg_go", "mg_v & (room_q)");
    m.assign("in_ready", "~pl_v | pl_go");
  }

  // --- next state: pop the beat, append the incoming vector(s) behind what stays ---
  m.wire("fire", 1, "the beat is taken");
  m.assign("fire", "out_valid & out_ready");
  m.wire("push", 1);
  m.assign("push", "in_valid & in_ready");
  // A zero-count last vector appends one element (lane 0 of in_data, zero unless the producer
  // puts a payload there) so its target still ends.
  const std::string sfx = ni == 1 ? "" : "_p";
  for (int q = 0; q < ni; ++q) {
    const std::string s = ni == 1 ? "" : std::to_string(q);
    const std::string cnt = ni == 1 ? "in_count" : lane("in_count", q, nbits);
    const std::string dat = ni == 1 ? "in_data" : lane("in_data", q, n * vb);
    const std::string lst = ni == 1 ? "in_last" : bit("in_last", q);
    // With one input the vector is appended when pushed: in_elems_raw / in_last_raw are what it
    // would append, gated by push below.
    const std::string elems = ni == 1 ? "in_elems_raw" : "in_elems" + sfx + s,
                      vec = "in_vec" + sfx + s,
                      lvec = ni == 1 ? "in_last_raw" : "in_last_vec" + sfx + s;
    m.wire(elems, nbits, "elements appended");
    m.assign(elems, fmt::format("({} == {}) ? {{{}, {}}} : {}", cnt, lit(nbits, 0),
                                lit(nbits - 1 > 0 ? nbits - 1 : 1, 0), lst, cnt));
    m.wire(vec, n * vb, "incoming elements; an empty last vector keeps only lane 0");
    const std::string lane0 = ni == 1 ? slice("in_data", vb - 1, 0) : lane("in_data", q * n, vb);
    const std::string head = n == 1 ? dat : cat({lit((n - 1) * vb, 0), lane0});
    if (ni == 1) {
      m.assign(vec, fmt::format("({} == {}) ? {} : {}", cnt, lit(nbits, 0), head, dat));
    } else {
      // Merged by OR below: lanes beyond the vector's elements must be zero.
      m.wire(vec + "_raw", n * vb);
      m.assign(vec + "_raw", fmt::format("({} == {}) ? {} : {}", cnt, lit(nbits, 0), head, dat));
      for (int k = 0; k < n; ++k)
        m.assign(lane(vec, k, vb), fmt::format("{} & {{{}{{{} > {}}}}}", lane(vec + "_raw", k, vb),
                                               vb, elems, lit(nbits, static_cast<uint64_t>(k))));
    }
    m.wire(lvec, n, "target end on the last appended lane");
    std::vector<std::string> lanes;
    for (int k = n - 1; k >= 0; --k)
      lanes.push_back(
          fmt::format("{} & ({} == {})", lst, elems, lit(nbits, static_cast<uint64_t>(k + 1))));
    m.assign(lvec, netlist::cat(lanes));
  }
  if (ni == 1) {
    m.wire("in_last_vec", n);
    m.assign("in_last_vec", fmt::format("push ? in_last_raw : {}", lit(n, 0)));
  }
  if (ni > 1) {
    // Placement register: the vectors as they come, each with its offset among the merged
    // elements (a multi-operand add of the earlier counts per vector, not a chain through the
    // previous offsets). It loads when empty or when its content moves into the merge register.
    using Term = std::pair<std::string, int>;  // a count and its width
    m.wire("pl_go", 1, "the placement register moves into the merge register");
    m.reg("pl_v", 1, "push | (pl_v & ~pl_go)", "", lit(1, 0),
          "the placement register holds vectors");
    // What the placement register holds: the vectors, or with groups each group's vectors
    // joined (vector t shifted behind the elements of vectors 0..t-1 of its group, a shift
    // within the group's lanes beside the offsets' adders), so the offsets add one number per
    // earlier group: its elements, in_total or the one end marker of an all-empty group.
    struct Item {
      std::string elems, vec, last;
      int elems_bits, lanes;
    };
    std::vector<Item> items;
    for (int r = 0; r < ng; ++r) {
      if (gs == 1) {
        items.push_back({fmt::format("in_elems_p{}", r), fmt::format("in_vec_p{}", r),
                         fmt::format("in_last_vec_p{}", r), nbits, n});
        continue;
      }
      const int first = r * gs, last = first + gs - 1, gl = gs * n;
      std::string data_or, last_or;
      std::vector<Term> before;
      for (int q = first; q <= last; ++q) {
        const std::string vec = fmt::format("in_vec_p{}", q),
                          lv = fmt::format("in_last_vec_p{}", q);
        if (before.empty()) {
          data_or = zext(vec, n * vb, gl * vb);
          last_or = zext(lv, n, gl);
        } else {
          const std::string po = fmt::format("in_poff_p{}", q),
                            placed = fmt::format("in_join_p{}", q);
          m.wire(po, gbits, fmt::format("where vector {} goes within group {}", q, r));
          m.assign(po, netlist::zext_sum(before, gbits));
          add_lane_shift_left(m, placed, vec, n, gl, vb, po, gbits);
          data_or += " | " + placed;
          last_or += fmt::format(" | ({} << {})", zext(lv, n, gl), po);
        }
        before.emplace_back(fmt::format("in_elems_p{}", q), nbits);
      }
      const std::string jv = fmt::format("in_group_vec{}", r),
                        jl = fmt::format("in_group_last{}", r);
      m.wire(jv, gl * vb, fmt::format("group {}'s vectors joined", r));
      m.assign(jv, data_or);
      m.wire(jl, gl, fmt::format("group {}'s target ends joined", r));
      m.assign(jl, last_or);
      const std::string tot = lane("in_total", r, gbits), ge = fmt::format("in_gelems_{}", r);
      m.wire(ge, gbits, fmt::format("elements appended by group {}", r));
      m.assign(ge,
               fmt::format("({} == {}) ? {} : {}", tot, lit(gbits, 0),
                           zext(fmt::format("|{}", slice("in_last", last, first)), 1, gbits), tot));
      items.push_back({ge, jv, jl, gbits, gl});
    }
    std::vector<Term> earlier;
    for (size_t i = 0; i < items.size(); ++i) {
      const Item& it = items[i];
      const std::string os = fmt::format("in_off_p{}", i);
      m.wire(os, wbits,
             fmt::format("where {} {} goes among the merged elements", gs == 1 ? "vector" : "group",
                         i));
      m.assign(os, netlist::zext_sum(earlier, wbits));
      m.reg(fmt::format("pl_off_q{}", i), wbits, os, "push", {},
            i == 0 ? (gs == 1 ? "per vector: its offset, elements and target ends"
                              : "per group: its offset, elements and target ends")
                   : "");
      m.reg(fmt::format("pl_vec_q{}", i), it.lanes * vb, it.vec, "push");
      m.reg(fmt::format("pl_last_q{}", i), it.lanes, it.last, "push");
      earlier.emplace_back(it.elems, it.elems_bits);
    }
    // The total is the last vector's (group's) offset plus its elements, added after the
    // register (one operand fewer than the offsets' sums before it).
    const Item& last_item = items.back();
    m.reg("pl_elems_q", last_item.elems_bits, last_item.elems, "push", {},
          gs == 1 ? "elements of the last vector" : "elements of the last group");
    m.wire("merge_elems", wbits, "elements of all vectors");
    m.assign("merge_elems", fmt::format("pl_off_q{} + {}", items.size() - 1,
                                        zext("pl_elems_q", last_item.elems_bits, wbits)));
    // Merge: vector p shifted to its offset, behind vectors 0..p-1.
    std::string data_or, last_or;
    for (size_t i = 0; i < items.size(); ++i) {
      const int il = items[i].lanes;
      const std::string os = fmt::format("pl_off_q{}", i);
      const std::string placed = fmt::format("in_placed_p{}", i);
      add_lane_shift_left(m, placed, fmt::format("pl_vec_q{}", i), il, wn, vb, os, wbits);
      data_or += (data_or.empty() ? "" : " | ") + placed;
      last_or += (last_or.empty() ? "" : " | ") +
                 fmt::format("({} << {})", zext(fmt::format("pl_last_q{}", i), il, wn), os);
    }
    m.wire("merge_vec", wn * vb, "the vectors' elements, merged");
    m.assign("merge_vec", data_or);
    m.wire("merge_last", wn, "the vectors' target ends, merged");
    m.assign("merge_last", last_or);
    m.assign("pl_go", "pl_v & (~mg_v | mg_go)");
    m.reg("mg_v", 1, "pl_go | (mg_v & ~mg_go)", "", lit(1, 0), "the merge register holds vectors");
    m.reg("mg_elems_q", wbits, "merge_elems", "pl_go");
    m.reg("mg_vec_q", wn * vb, "merge_vec", "pl_go");
    m.reg("mg_last_q", wn, "merge_last", "pl_go");
    m.wire("in_vec", wn * vb);
    m.assign("in_vec", "mg_vec_q");
    m.wire("in_last_vec", wn);
    m.assign("in_last_vec", fmt::format("mg_go ? mg_last_q : {}", lit(wn, 0)));
  }
  // Both next states, from registers only: without the beat taken (`n_`) the incoming elements
  // go at count_q behind the queue; with it (`p_`) the queue shifts down by take_q and they go at
  // cpop_q = count_q - take_q. The handshake picks one: two append shifters in parallel instead
  // of the append's shifter in series with the pop's.
  const std::string in_last_e = zext("in_last_vec", wn, e);
  // The incoming elements as they would be appended (from registers, or the input port with one
  // input), and whether they are: the beat logic below gates them late, after their shifts.
  const std::string in_go = ni == 1 ? "push" : "mg_go";
  const std::string in_raw = zext(ni == 1 ? "in_elems_raw" : "mg_elems_q", wbits, cbits);
  const std::string in_raw_last = ni == 1 ? "in_last_raw" : "mg_last_q";
  m.wire("in_therm", l, "bit j: more than j elements would be appended");
  for (int j = 0; j < l; ++j)
    m.assign(bit("in_therm", j),
             fmt::format("{} > {}", in_raw, lit(cbits, static_cast<uint64_t>(j))));
  add_lane_shift_left(m, "n_app_data", "in_vec", wn, e, vb, "count_q", cbits);
  add_lane_shift_left(m, "p_app_data", "in_vec", wn, e, vb, "cpop_q", cbits);
  add_lane_shift_right(m, "p_kept_data", "data_q", e, vb, "take_q", lbits);
  m.wire("n_app_last", e);
  m.assign("n_app_last", fmt::format("{} << count_q", in_last_e));
  m.wire("p_app_last", e);
  m.assign("p_app_last", fmt::format("{} << cpop_q", in_last_e));
  // The popped queue's first target ends again, selected by the take's one-hot (AND/OR) rather
  // than through the pop's shifter: they start the beat logic.
  m.wire("p_kept_flags", l, "last_q >> take_q, first lanes");
  for (int k = 0; k < l; ++k) {
    std::string any;
    for (int x = 0; x <= l; ++x)
      any += (any.empty() ? "" : " | ") + fmt::format("(toh_q[{}] & last_q[{}])", x, k + x);
    m.assign(bit("p_kept_flags", k), any);
  }
  m.wire("p_kept_last", e);
  m.assign("p_kept_last", "last_q >> take_q");
  for (const bool popped : {false, true}) {
    const std::string pre = popped ? "p_" : "n_", base = popped ? "cpop_q" : "count_q";
    const std::string kd = popped ? "p_kept_data" : "data_q",
                      kl = popped ? "p_kept_last" : "last_q",
                      kf = popped ? "p_kept_flags" : "last_q";
    m.wire(pre + "all_data", e * vb, "the queue with the incoming elements appended");
    m.wire(pre + "all_last", e);
    for (int i = 0; i < e; ++i) {
      const std::string held = fmt::format("({} > {})", base, lit(cbits, static_cast<uint64_t>(i)));
      m.assign(lane(pre + "all_data", i, vb),
               fmt::format("{} ? {} : {}", held, lane(kd, i, vb), lane(pre + "app_data", i, vb)));
      m.assign(bit(pre + "all_last", i),
               fmt::format("{} ? {} : {}", held, bit(kl, i), bit(pre + "app_last", i)));
    }
    m.wire(pre + "cnt", cbits, "elements of the next state");
    m.assign(pre + "cnt", fmt::format("{} ? ({} + {}) : {}", in_go, base, in_raw, base));
    // Its first lanes, from registers: which hold an element and their target ends; the queue's
    // (`held`: the registered thermometer of base), then the incoming ones placed behind by the
    // one-hot of base (AND/OR, no shifter, no compare).
    const std::string hq = popped ? "hp_q" : "hn_q", eq = pre + "base_at";
    m.wire(eq, l, "one-hot: base == m (none when base >= lanes)");
    for (int k = 0; k < l; ++k)
      m.assign(bit(eq, k),
               k == 0 ? "~" + bit(hq, 0) : fmt::format("{} & ~{}", bit(hq, k - 1), bit(hq, k)));
    const auto placed = [&](const std::string& v, int k) {
      std::string any;
      for (int x = 0; x <= k; ++x)
        any += (any.empty() ? "" : " | ") + fmt::format("({} & {})", bit(eq, x), bit(v, k - x));
      return fmt::format("{} & ({})", in_go, any);
    };
    m.wire(pre + "has", l, "lane holds an element");
    m.wire(pre + "flags", l, "the next state's first target ends");
    for (int k = 0; k < l; ++k) {
      m.assign(bit(pre + "has", k), fmt::format("{} | {}", bit(hq, k), placed("in_therm", k)));
      m.assign(bit(pre + "flags", k),
               fmt::format("{} ? {} : {}", bit(hq, k), bit(kf, k), placed(in_raw_last, k)));
    }
    beat(pre, pre + "flags", pre + "cnt");
  }
  for (const char* r : {"data", "last"})
    m.assign(fmt::format("{}_d", r), fmt::format("fire ? p_all_{} : n_all_{}", r, r));
  m.assign("count_d", "fire ? p_cnt : n_cnt");
  m.assign("room_d", fmt::format("fire ? (p_cnt <= {}) : (n_cnt <= {})", room_max, room_max));
  m.assign("hn_d",
           fmt::format("fire ? {} : {}", slice("p_cnt_gt", l - 1, 0), slice("n_cnt_gt", l - 1, 0)));
  // The beat's registers from the two states' beats.
  for (const auto& [reg, beat_wire] :
       std::vector<std::pair<const char*, const char*>>{{"hp", "left_gt"},
                                                        {"take", "take"},
                                                        {"toh", "toh"},
                                                        {"cpop", "left"},
                                                        {"tl", "take_lane"},
                                                        {"seg", "seg"},
                                                        {"ova", "ova"},
                                                        {"ovb", "ovb"}})
    m.assign(fmt::format("{}_d", reg), fmt::format("fire ? p_{} : n_{}", beat_wire, beat_wire));
  design.add(std::move(m));
  return name;
}

ConcentrationModel::ConcentrationModel(const ConcentrationParams& p) : p_(p) {
  check(p);
}

int ConcentrationModel::take() const {
  int ends = 0, k = 0;
  while (k < p_.lanes && k < count() && ends <= p_.lookaside) {
    ends += queue_[static_cast<size_t>(k)].last;
    ++k;
  }
  return k;
}

bool ConcentrationModel::room() const {
  return count() <= concentration_room(p_);
}

bool ConcentrationModel::in_ready() const {
  return p_.inputs == 1 ? room() : !place_v_ || !merge_v_ || room();
}

bool ConcentrationModel::out_valid(bool in_valid) const {
  if (count() == 0) return false;
  const int t = take();
  const bool arriving = p_.inputs == 1 ? in_valid : merge_v_;
  return t == p_.lanes || t < count() || (queue_[static_cast<size_t>(t - 1)].last && !arriving);
}

ConcentrationModel::Beat ConcentrationModel::out_beat() const {
  Beat b;
  b.count = take();
  b.data.assign(static_cast<size_t>(p_.lanes), 0);
  b.last.assign(static_cast<size_t>(p_.lanes), 0);
  for (int k = 0; k < b.count; ++k) {
    b.data[static_cast<size_t>(k)] = queue_[static_cast<size_t>(k)].value;
    b.last[static_cast<size_t>(k)] = queue_[static_cast<size_t>(k)].last;
  }
  return b;
}

void ConcentrationModel::step(bool in_valid, int in_count, const std::vector<int64_t>& in_data,
                              bool in_last, bool out_ready) {
  step(in_valid, std::vector<Input>{{in_count, in_data, in_last}}, out_ready);
}

void ConcentrationModel::step(bool in_valid, const std::vector<Input>& in, bool out_ready) {
  if (static_cast<int>(in.size()) != p_.inputs)
    throw InternalError("ConcentrationModel::step: one input per vector port");
  const bool pop = out_valid(in_valid) && out_ready;
  const bool push = in_valid && in_ready();
  const bool merge_go = p_.inputs > 1 && merge_v_ && room();
  if (pop) queue_.erase(queue_.begin(), queue_.begin() + take());
  std::vector<Elem> incoming;
  for (const Input& v : in) {
    if (v.count == 0 && v.last) {
      incoming.push_back({v.data.at(0), true});  // lane 0 carries the marker's payload
    } else {
      for (int k = 0; k < v.count; ++k)
        incoming.push_back({v.data[static_cast<size_t>(k)], v.last && k == v.count - 1});
    }
  }
  if (p_.inputs == 1) {
    if (push) queue_.insert(queue_.end(), incoming.begin(), incoming.end());
    return;
  }
  // inputs > 1: the merge register empties into the queue and loads the placement register's
  // vectors, which loads this cycle's.
  const bool place_go = place_v_ && (!merge_v_ || merge_go);
  if (merge_go) {
    queue_.insert(queue_.end(), merge_.begin(), merge_.end());
    merge_.clear();
    merge_v_ = false;
  }
  if (place_go) {
    merge_ = std::move(place_);
    merge_v_ = true;
    place_.clear();
    place_v_ = false;
  }
  if (push) {
    place_ = std::move(incoming);
    place_v_ = true;
  }
}

}  // namespace escgen::blocks
