// Concentration generator and cycle model (see concentration.h).
//
//   lanes 4, lookaside 1; queue [a0 a1* b0 b1 b2* c0] (* = last of its target)
//   -> beat [a0 a1* b0 b1] (two segments), queue [b2* c0]; next beat [b2* c0 ...] once c
//   has 3 more elements, or at once if the input is idle and the queue ends with a target end.
#include "blocks/concentration.h"

#include <algorithm>

#include <fmt/format.h>

#include "netlist/expr.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {
namespace {

using netlist::bit;
using netlist::bit_sum;
using netlist::cat;
using netlist::lane;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

void check(const ConcentrationParams& p) {
  if (p.width < 2 || p.lanes < 1 || p.lanes > p.width || p.value_bits < 2 || p.lookahead < 0 ||
      p.lookaside < 0)
    throw InternalError(
        fmt::format("concentration: need 1 <= lanes ({}) <= width ({}), width >= 2, value_bits "
                    "({}) >= 2, lookahead ({}) "
                    ">= 0, lookaside ({}) >= 0",
                    p.lanes, p.width, p.value_bits, p.lookahead, p.lookaside));
}

}  // namespace

std::string build_concentration(netlist::Design& design, const ConcentrationParams& p) {
  check(p);
  const std::string name = fmt::format("escgen_concentration_n{}_l{}_b{}_a{}_s{}", p.width, p.lanes,
                                       p.value_bits, p.lookahead, p.lookaside);
  if (design.has(name)) return name;
  const int n = p.width, l = p.lanes, vb = p.value_bits, e = p.capacity();
  const int cbits = bits_for(static_cast<uint64_t>(e));       // queue count 0..E
  const int nbits = bits_for(static_cast<uint64_t>(n));       // input count 0..N
  const int lbits = bits_for(static_cast<uint64_t>(l));       // beat count 0..L
  const int fbits = bits_for(static_cast<uint64_t>(l));       // target ends among lanes
  const int sbits = bits_for(static_cast<uint64_t>(e) * vb);  // shift amounts in bits

  Module m(name, fmt::format("concentration: {} -> {} lanes of {} bits, queue of {} elements, "
                             "look-aside {}",
                             n, l, vb, e, p.lookaside));
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("in_valid", 1);
  m.output("in_ready", 1);
  m.input("in_count", nbits, "elements in in_data (compacted at the head)");
  m.input("in_data", n * vb);
  m.input("in_last", 1, "this vector ends its target");
  m.output("out_valid", 1);
  m.input("out_ready", 1);
  m.output("out_count", lbits);
  m.output("out_data", l * vb, "zero beyond out_count");
  m.output("out_last", l, "lane ends its target");

  // --- state: element queue, oldest at lane 0 ---
  m.wire("data_d", e * vb);
  m.wire("last_d", e);
  m.wire("count_d", cbits);
  m.reg("count_q", cbits, "count_d", "", lit(cbits, 0), "elements waiting");
  m.reg("last_q", e, "last_d", "", lit(e, 0), "target ends; zero beyond count_q");
  m.reg("data_q", e * vb, "data_d", "", std::nullopt, "element values; garbage beyond count_q");

  // --- the beat offered: lanes 0 .. take-1 ---
  // ends_before_k = target ends among lanes 0 .. k-1; lane k is taken when it holds an
  // element and fewer than lookaside+1 target ends precede it.
  m.wire("take_lane", l, "lane is part of the beat (a prefix)");
  for (int k = 0; k < l; ++k) {
    std::vector<std::string> before;
    for (int i = 0; i < k; ++i) before.push_back(bit("last_q", i));
    const std::string has = fmt::format("(count_q > {})", lit(cbits, static_cast<uint64_t>(k)));
    if (before.empty() || static_cast<int>(before.size()) <= p.lookaside) {
      m.assign(bit("take_lane", k), has);
    } else {
      const std::string ends = fmt::format("ends_before_{}", k);
      m.wire(ends, fbits);
      m.assign(ends, bit_sum(before, fbits));
      m.assign(bit("take_lane", k), fmt::format("{} & ({} <= {})", has, ends,
                                                lit(fbits, static_cast<uint64_t>(p.lookaside))));
    }
  }
  m.wire("take", lbits, "elements in the beat");
  {
    std::vector<std::string> bits;
    for (int k = 0; k < l; ++k) bits.push_back(bit("take_lane", k));
    m.assign("take", bit_sum(bits, lbits));
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
                       "~in_valid))",
                       lit(cbits, 0), lit(lbits, static_cast<uint64_t>(l)), take_c));
  m.assign("out_count", "take");
  for (int k = 0; k < l; ++k) {
    m.assign(lane("out_data", k, vb),
             fmt::format("{} & {{{}{{take_lane[{}]}}}}", lane("data_q", k, vb), vb, k));
    m.assign(bit("out_last", k), fmt::format("last_q[{}] & take_lane[{}]", k, k));
  }
  m.assign("in_ready", fmt::format("count_q <= {}", lit(cbits, static_cast<uint64_t>(e - n))));

  // --- next state: pop the beat, append the incoming vector behind what stays ---
  m.wire("pop", lbits, "elements leaving");
  m.assign("pop", fmt::format("(out_valid & out_ready) ? take : {}", lit(lbits, 0)));
  m.wire("push", 1);
  m.assign("push", "in_valid & in_ready");
  // A zero-count last vector appends one element (lane 0 of in_data, zero unless the producer
  // puts a payload there) so its target still ends.
  m.wire("in_elems", nbits, "elements appended");
  m.assign("in_elems",
           fmt::format("~push ? {} : (in_count == {}) ? {{{}, in_last}} : in_count", lit(nbits, 0),
                       lit(nbits, 0), lit(nbits - 1 > 0 ? nbits - 1 : 1, 0)));
  m.wire("base", cbits, "where the incoming elements go");
  m.assign("base", fmt::format("count_q - {}", zext("pop", lbits, cbits)));
  m.assign("count_d", fmt::format("base + {}", zext("in_elems", nbits, cbits)));
  m.wire("in_vec", n * vb, "incoming elements; an empty last vector keeps only lane 0");
  m.assign("in_vec",
           fmt::format("(in_count == {}) ? {} : in_data", lit(nbits, 0),
                       n == 1 ? std::string("in_data")
                              : cat({lit((n - 1) * vb, 0), slice("in_data", vb - 1, 0)})));
  m.wire("in_last_vec", n, "target end on the last appended lane");
  {
    std::vector<std::string> lanes;
    for (int k = n - 1; k >= 0; --k)
      lanes.push_back(
          fmt::format("in_last & (in_elems == {})", lit(nbits, static_cast<uint64_t>(k + 1))));
    m.assign("in_last_vec", netlist::cat(lanes));
  }
  m.wire("pop_shift", sbits);
  m.assign("pop_shift", fmt::format("{} * {}", zext("pop", lbits, sbits),
                                    lit(sbits, static_cast<uint64_t>(vb))));
  m.wire("base_shift", sbits);
  m.assign("base_shift", fmt::format("{} * {}", zext("base", cbits, sbits),
                                     lit(sbits, static_cast<uint64_t>(vb))));
  m.wire("kept_data", e * vb);
  m.assign("kept_data", "data_q >> pop_shift");
  m.wire("kept_last", e);
  m.assign("kept_last", "last_q >> pop");
  m.wire("new_data", e * vb);
  m.assign("new_data", fmt::format("{} << base_shift", zext("in_vec", n * vb, e * vb)));
  m.wire("new_last", e);
  m.assign("new_last", fmt::format("{} << base", zext("in_last_vec", n, e)));
  for (int i = 0; i < e; ++i) {
    const std::string keep = fmt::format("(base > {})", lit(cbits, static_cast<uint64_t>(i)));
    m.assign(lane("data_d", i, vb),
             fmt::format("{} ? {} : {}", keep, lane("kept_data", i, vb), lane("new_data", i, vb)));
    m.assign(bit("last_d", i), fmt::format("{} ? kept_last[{}] : new_last[{}]", keep, i, i));
  }
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

bool ConcentrationModel::in_ready() const {
  return count() <= p_.capacity() - p_.width;
}

bool ConcentrationModel::out_valid(bool in_valid) const {
  if (count() == 0) return false;
  const int t = take();
  return t == p_.lanes || t < count() || (queue_[static_cast<size_t>(t - 1)].last && !in_valid);
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
  const bool pop = out_valid(in_valid) && out_ready;
  const bool push = in_valid && in_ready();
  if (pop) queue_.erase(queue_.begin(), queue_.begin() + take());
  if (push) {
    if (in_count == 0 && in_last) {
      queue_.push_back({in_data.at(0), true});  // lane 0 carries the marker's payload
    } else {
      for (int k = 0; k < in_count; ++k)
        queue_.push_back({in_data[static_cast<size_t>(k)], in_last && k == in_count - 1});
    }
  }
}

}  // namespace escgen::blocks
