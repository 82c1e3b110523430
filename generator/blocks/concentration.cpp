// Concentration generator and cycle model (see concentration.h).
//
//   lanes 4, lookaside 1; queue [a0 a1* b0 b1 b2* c0] (* = last of its target)
//   -> beat [a0 a1* b0 b1] (two segments), queue [b2* c0]; next beat [b2* c0 ...] once c
//   has 3 more elements, or at once if the input is idle and the queue ends with a target end.
#include "blocks/concentration.h"

#include <algorithm>

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
      p.lookaside < 0 || p.inputs < 1)
    throw InternalError(
        fmt::format("concentration: need 1 <= lanes ({}) <= width ({}), width >= 2, value_bits "
                    "({}) >= 2, lookahead ({}) >= 0, lookaside ({}) >= 0, inputs ({}) >= 1",
                    p.lanes, p.width, p.value_bits, p.lookahead, p.lookaside, p.inputs));
}

}  // namespace

std::string build_concentration(netlist::Design& design, const ConcentrationParams& p) {
  check(p);
  const std::string name =
      fmt::format("escgen_concentration_n{}_l{}_b{}_a{}_s{}{}", p.width, p.lanes, p.value_bits,
                  p.lookahead, p.lookaside, p.inputs == 1 ? "" : fmt::format("_i{}", p.inputs));
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
  m.output("out_valid", 1);
  m.input("out_ready", 1);
  m.output("out_count", lbits);
  m.output("out_data", l * vb, "zero beyond out_count");
  m.output("out_last", l, "lane ends its target");
  m.output("out_seg", segs * l,
           "lane k belongs to segment s (s target ends before it) at [s*lanes + k]; a lane's bit "
           "is meaningful below out_count");

  // --- state: element queue, oldest at lane 0 ---
  m.wire("data_d", e * vb);
  m.wire("last_d", e);
  m.wire("count_d", cbits);
  m.reg("count_q", cbits, "count_d", "", lit(cbits, 0), "elements waiting");
  m.reg("last_q", e, "last_d", "", lit(e, 0), "target ends; zero beyond count_q");
  m.reg("data_q", e * vb, "data_d", "", std::nullopt, "element values; garbage beyond count_q");

  // --- the beat offered: lanes 0 .. take-1 ---
  // Target ends before each lane as a thermometer: ge_k[j-1] = at least j target ends among lanes
  // 0 .. k-1 (j up to lookaside+1), by ge_{k+1}[j-1] = ge_k[j-1] | (ge_k[j-2] & last_q[k]): AND/OR
  // logic the mapper can balance, not an adder chain (this decides the pop, on the queue's update
  // loop). Lane k is taken when it holds an element and fewer than lookaside+1 ends precede it.
  const auto ge = [&](int k, int j) -> std::string {
    if (j == 0) return lit(1, 1);
    if (j > k) return lit(1, 0);
    return m.select(fmt::format("ge_{}", k), j - 1);
  };
  for (int k = 1; k < l; ++k) {
    const int w = std::min(k, segs);
    const std::string g = fmt::format("ge_{}", k);
    m.wire(g, w, fmt::format("bit j-1: at least j target ends among lanes 0 .. {}", k - 1));
    for (int j = 1; j <= w; ++j) {
      const std::string last = bit("last_q", k - 1);
      const std::string stay = ge(k - 1, j), rise = ge(k - 1, j - 1);
      m.assign(m.select(g, j - 1), j - 1 == 0 && k == 1 ? last
                                   : j > k - 1          ? fmt::format("{} & {}", rise, last)
                                   : j == 1             ? fmt::format("{} | {}", stay, last)
                                            : fmt::format("{} | ({} & {})", stay, rise, last));
    }
  }
  m.wire("take_lane", l, "lane is part of the beat (a prefix)");
  for (int k = 0; k < l; ++k) {
    const std::string has = fmt::format("(count_q > {})", lit(cbits, static_cast<uint64_t>(k)));
    m.assign(bit("take_lane", k), k < segs ? has : fmt::format("{} & ~{}", has, ge(k, segs)));
    // The lane's segment, straight from the queue's registers (the consumer's segment sums start
    // from a register instead of counting target ends after it): s ends before it, not s + 1.
    for (int s = 0; s < segs; ++s) {
      std::string v;
      if (s > k) {
        v = lit(1, 0);
      } else if (s + 1 > k) {
        v = ge(k, s);
      } else {
        v = s == 0 ? "~" + ge(k, 1) : fmt::format("{} & ~{}", ge(k, s), ge(k, s + 1));
      }
      m.assign(bit("out_seg", s * l + k), v);
    }
  }
  // take_lane is a prefix (a thermometer code): the beat's size is where it ends, encoded by ORs
  // of the one-hot end position (no adder on the queue's update loop).
  m.wire("take_end", l, "one-hot: bit k - 1 set when the beat has k > 0 elements");
  for (int k = 1; k <= l; ++k)
    m.assign(bit("take_end", k - 1), k == l
                                         ? fmt::format("take_lane[{}]", l - 1)
                                         : fmt::format("take_lane[{}] & ~take_lane[{}]", k - 1, k));
  m.wire("take", lbits, "elements in the beat");
  for (int b = 0; b < lbits; ++b) {
    std::string any;
    for (int k = 1; k <= l; ++k)
      if ((k >> b) & 1) any += (any.empty() ? "" : " | ") + bit("take_end", k - 1);
    m.assign(bit("take", b), any.empty() ? lit(1, 0) : any);
  }
  // The beat ends with a target end: its last taken lane has last_q set.
  m.wire("ends_at_target", 1);
  {
    std::string any;
    for (int k = 0; k < l; ++k) {
      std::string t = k + 1 < l
                          ? fmt::format("take_lane[{}] & ~take_lane[{}] & last_q[{}]", k, k + 1, k)
                          : fmt::format("take_lane[{}] & last_q[{}]", k, k);
      any += (any.empty() ? "" : " | ") + fmt::format("({})", t);
    }
    m.assign("ends_at_target", any);
  }
  const std::string take_c = zext("take", lbits, cbits);
  m.assign("out_valid",
           fmt::format("(count_q != {}) & ((take == {}) | ({} < count_q) | (ends_at_target & "
                       "~{}))",
                       lit(cbits, 0), lit(lbits, static_cast<uint64_t>(l)), take_c,
                       ni == 1 ? "in_valid" : "mg_v"));
  m.assign("out_count", "take");
  for (int k = 0; k < l; ++k) {
    m.assign(lane("out_data", k, vb),
             fmt::format("{} & {{{}{{take_lane[{}]}}}}", lane("data_q", k, vb), vb, k));
    m.assign(bit("out_last", k), fmt::format("last_q[{}] & take_lane[{}]", k, k));
  }
  const std::string room =
      fmt::format("count_q <= {}", lit(cbits, static_cast<uint64_t>(e - ni * n)));
  if (ni == 1) {
    m.assign("in_ready", room);
  } else {
    // The merge register: the merged vectors wait here, then go into the queue when it has room
    // (cuts the merge network off the queue's update loop); the placement register before it
    // cuts the offsets' adders off the shifts.
    m.wire("mg_go", 1, "the merge register empties into the queue");
    m.assign("mg_go", "mg_v & (" + room + ")");
    m.assign("in_ready", "~pl_v | pl_go");
  }

  // --- next state: pop the beat, append the incoming vector(s) behind what stays ---
  m.wire("pop", lbits, "elements leaving");
  m.assign("pop", fmt::format("(out_valid & out_ready) ? take : {}", lit(lbits, 0)));
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
    const std::string elems = "in_elems" + sfx + s, vec = "in_vec" + sfx + s,
                      lvec = "in_last_vec" + sfx + s;
    m.wire(elems, nbits, "elements appended");
    m.assign(elems, fmt::format("{}({} == {}) ? {{{}, {}}} : {}",
                                ni == 1 ? fmt::format("~push ? {} : ", lit(nbits, 0)) : "", cnt,
                                lit(nbits, 0), lit(nbits - 1 > 0 ? nbits - 1 : 1, 0), lst, cnt));
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
  if (ni > 1) {
    // Placement register: the vectors as they come, each with its offset among the merged
    // elements (a multi-operand add of the earlier counts per vector, not a chain through the
    // previous offsets). It loads when empty or when its content moves into the merge register.
    auto sum_of = [&](const std::vector<std::string>& v) {
      if (v.empty()) return lit(wbits, 0);
      std::string s;
      for (const std::string& c : v) s += (s.empty() ? "" : " + ") + zext(c, nbits, wbits);
      return s;
    };
    m.wire("pl_go", 1, "the placement register moves into the merge register");
    m.reg("pl_v", 1, "push | (pl_v & ~pl_go)", "", lit(1, 0),
          "the placement register holds vectors");
    std::vector<std::string> earlier;
    for (int q = 0; q < ni; ++q) {
      const std::string os = fmt::format("in_off_p{}", q);
      m.wire(os, wbits, fmt::format("where vector {} goes among the merged elements", q));
      m.assign(os, sum_of(earlier));
      m.reg(fmt::format("pl_off_q{}", q), wbits, os, "push", {},
            q == 0 ? "per vector: its offset, elements and target ends" : "");
      m.reg(fmt::format("pl_vec_q{}", q), n * vb, fmt::format("in_vec_p{}", q), "push");
      m.reg(fmt::format("pl_last_q{}", q), n, fmt::format("in_last_vec_p{}", q), "push");
      earlier.push_back(fmt::format("in_elems_p{}", q));
    }
    // The total is the last vector's offset plus its elements, added after the register (one
    // operand fewer than the offsets' sums before it).
    m.reg("pl_elems_q", nbits, fmt::format("in_elems_p{}", ni - 1), "push", {},
          "elements of the last vector");
    m.wire("merge_elems", wbits, "elements of all vectors");
    m.assign("merge_elems",
             fmt::format("pl_off_q{} + {}", ni - 1, zext("pl_elems_q", nbits, wbits)));
    // Merge: vector p shifted to its offset, behind vectors 0..p-1.
    std::string data_or, last_or;
    for (int q = 0; q < ni; ++q) {
      const std::string os = fmt::format("pl_off_q{}", q);
      const std::string placed = fmt::format("in_placed_p{}", q);
      add_lane_shift_left(m, placed, fmt::format("pl_vec_q{}", q), n, wn, vb, os, wbits);
      data_or += (data_or.empty() ? "" : " | ") + placed;
      last_or += (last_or.empty() ? "" : " | ") +
                 fmt::format("({} << {})", zext(fmt::format("pl_last_q{}", q), n, wn), os);
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
    m.wire("in_elems", wbits, "elements appended");
    m.assign("in_elems", fmt::format("mg_go ? mg_elems_q : {}", lit(wbits, 0)));
    m.wire("in_vec", wn * vb);
    m.assign("in_vec", "mg_vec_q");
    m.wire("in_last_vec", wn);
    m.assign("in_last_vec", fmt::format("mg_go ? mg_last_q : {}", lit(wn, 0)));
  }
  // Append first, from registers only: the incoming elements placed at count_q behind the ones
  // waiting (queue + incoming fit: push needs count_q <= capacity - incoming). Then the pop: the
  // whole queue shifted down by the beat's size. The queue's update loop (last_q -> take -> pop)
  // thus meets one shifter and no adder; the append's shifter starts at count_q, not at
  // count_q - pop.
  add_lane_shift_left(m, "app_data", "in_vec", wn, e, vb, "count_q", cbits);
  m.wire("app_last", e);
  m.assign("app_last", fmt::format("{} << count_q", zext("in_last_vec", wn, e)));
  m.wire("all_data", e * vb, "the queue with the incoming elements appended");
  m.wire("all_last", e);
  for (int i = 0; i < e; ++i) {
    const std::string held = fmt::format("(count_q > {})", lit(cbits, static_cast<uint64_t>(i)));
    m.assign(lane("all_data", i, vb),
             fmt::format("{} ? {} : {}", held, lane("data_q", i, vb), lane("app_data", i, vb)));
    m.assign(bit("all_last", i), fmt::format("{} ? last_q[{}] : app_last[{}]", held, i, i));
  }
  add_lane_shift_right(m, "popped_data", "all_data", e, vb, "pop", lbits);
  m.assign("data_d", "popped_data");
  m.assign("last_d", "all_last >> pop");
  m.assign("count_d", fmt::format("count_q + {} - {}", zext("in_elems", wbits, cbits),
                                  zext("pop", lbits, cbits)));
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
  return count() <= p_.capacity() - p_.inputs * p_.width;
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
