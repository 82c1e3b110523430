// Concentration with inputs > 1 (see concentration_shape.h): the placement register (the
// vectors as they come, or each group's vectors joined, with their offsets among the merged
// elements) and the merge register (the vectors shifted to their offsets and merged by OR into
// one compacted vector), which empties into the queue.
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "blocks/concentration_shape.h"
#include "blocks/lane_shift.h"
#include "netlist/expr.h"

namespace escgen::blocks::conc_detail {
namespace {

using netlist::lane;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

using Term = std::pair<std::string, int>;  // a count and its width

// What the placement register holds per vector or group: its element count (and the count's
// width), its lanes and its target ends.
struct Item {
  std::string elems, vec, last;
  int elems_bits, lanes;
};

// Group r's vectors joined: vector t shifted behind the elements of vectors 0..t-1 of its group
// (a shift within the group's lanes beside the offsets' adders), so the offsets add one number
// per earlier group: its elements, in_total or the one end marker of an all-empty group.
Item add_group_join(Module& m, const Shape& s, int r) {
  const int n = s.n, vb = s.vb, gbits = s.gbits;
  const int first = r * s.gs, last = first + s.gs - 1, gl = s.gs * n;
  std::string data_or, last_or;
  std::vector<Term> before;
  for (int q = first; q <= last; ++q) {
    const std::string vec = fmt::format("in_vec_p{}", q), lv = fmt::format("in_last_vec_p{}", q);
    if (before.empty()) {
      data_or = zext(vec, n * vb, gl * vb);
      last_or = zext(lv, n, gl);
    } else {
      const std::string po = fmt::format("in_poff_p{}", q), placed = fmt::format("in_join_p{}", q);
      m.wire(po, gbits, fmt::format("where vector {} goes within group {}", q, r));
      m.assign(po, netlist::zext_sum(before, gbits));
      add_lane_shift_left(m, placed, vec, n, gl, vb, po, gbits);
      data_or += " | " + placed;
      last_or += fmt::format(" | ({} << {})", zext(lv, n, gl), po);
    }
    before.emplace_back(fmt::format("in_elems_p{}", q), s.nbits);
  }
  const std::string jv = fmt::format("in_group_vec{}", r), jl = fmt::format("in_group_last{}", r);
  m.wire(jv, gl * vb, fmt::format("group {}'s vectors joined", r));
  m.assign(jv, data_or);
  m.wire(jl, gl, fmt::format("group {}'s target ends joined", r));
  m.assign(jl, last_or);
  const std::string tot = lane("in_total", r, gbits), ge = fmt::format("in_gelems_{}", r);
  m.wire(ge, gbits, fmt::format("elements appended by group {}", r));
  m.assign(ge, fmt::format("({} == {}) ? {} : {}", tot, lit(gbits, 0),
                           zext(fmt::format("|{}", slice("in_last", last, first)), 1, gbits), tot));
  return {ge, jv, jl, gbits, gl};
}

std::vector<Item> add_items(Module& m, const Shape& s) {
  std::vector<Item> items;
  for (int r = 0; r < s.ng; ++r) {
    if (s.gs == 1) {
      items.push_back({fmt::format("in_elems_p{}", r), fmt::format("in_vec_p{}", r),
                       fmt::format("in_last_vec_p{}", r), s.nbits, s.n});
    } else {
      items.push_back(add_group_join(m, s, r));
    }
  }
  return items;
}

// The placement registers: each item with its offset (a multi-operand add of the earlier
// counts, not a chain through the previous offsets), and the merged total.
void add_placement_regs(Module& m, const Shape& s, const std::vector<Item>& items) {
  const int wbits = s.wbits;
  std::vector<Term> earlier;
  for (size_t i = 0; i < items.size(); ++i) {
    const Item& it = items[i];
    const std::string os = fmt::format("in_off_p{}", i);
    m.wire(os, wbits,
           fmt::format("where {} {} goes among the merged elements", s.gs == 1 ? "vector" : "group",
                       i));
    m.assign(os, netlist::zext_sum(earlier, wbits));
    m.reg(fmt::format("pl_off_q{}", i), wbits, os, "push", {},
          i == 0 ? (s.gs == 1 ? "per vector: its offset, elements and target ends"
                              : "per group: its offset, elements and target ends")
                 : "");
    m.reg(fmt::format("pl_vec_q{}", i), it.lanes * s.vb, it.vec, "push");
    m.reg(fmt::format("pl_last_q{}", i), it.lanes, it.last, "push");
    earlier.emplace_back(it.elems, it.elems_bits);
  }
  // The total is the last vector's (group's) offset plus its elements, added after the
  // register (one operand fewer than the offsets' sums before it).
  const Item& last_item = items.back();
  m.reg("pl_elems_q", last_item.elems_bits, last_item.elems, "push", {},
        s.gs == 1 ? "elements of the last vector" : "elements of the last group");
  m.wire("merge_elems", wbits, "elements of all vectors");
  m.assign("merge_elems", fmt::format("pl_off_q{} + {}", items.size() - 1,
                                      zext("pl_elems_q", last_item.elems_bits, wbits)));
}

// Merge: vector p shifted to its offset, behind vectors 0..p-1, into the merge register.
void add_merge(Module& m, const Shape& s, const std::vector<Item>& items) {
  const int wn = s.wn;
  std::string data_or, last_or;
  for (size_t i = 0; i < items.size(); ++i) {
    const int il = items[i].lanes;
    const std::string os = fmt::format("pl_off_q{}", i);
    const std::string placed = fmt::format("in_placed_p{}", i);
    add_lane_shift_left(m, placed, fmt::format("pl_vec_q{}", i), il, wn, s.vb, os, s.wbits);
    data_or += (data_or.empty() ? "" : " | ") + placed;
    last_or += (last_or.empty() ? "" : " | ") +
               fmt::format("({} << {})", zext(fmt::format("pl_last_q{}", i), il, wn), os);
  }
  m.wire("merge_vec", wn * s.vb, "the vectors' elements, merged");
  m.assign("merge_vec", data_or);
  m.wire("merge_last", wn, "the vectors' target ends, merged");
  m.assign("merge_last", last_or);
  m.assign("pl_go", "pl_v & (~mg_v | mg_go)");
  m.reg("mg_v", 1, "pl_go | (mg_v & ~mg_go)", "", lit(1, 0), "the merge register holds vectors");
  m.reg("mg_elems_q", s.wbits, "merge_elems", "pl_go");
  m.reg("mg_vec_q", wn * s.vb, "merge_vec", "pl_go");
  m.reg("mg_last_q", wn, "merge_last", "pl_go");
  m.wire("in_vec", wn * s.vb);
  m.assign("in_vec", "mg_vec_q");
  m.wire("in_last_vec", wn);
  m.assign("in_last_vec", fmt::format("mg_go ? mg_last_q : {}", lit(wn, 0)));
}

}  // namespace

// The placement register loads when empty or when its content moves into the merge register;
// the merge register when empty or when it empties into the queue.
void add_placement_and_merge(Module& m, const Shape& s) {
  m.wire("pl_go", 1, "the placement register moves into the merge register");
  m.reg("pl_v", 1, "push | (pl_v & ~pl_go)", "", lit(1, 0), "the placement register holds vectors");
  const std::vector<Item> items = add_items(m, s);
  add_placement_regs(m, s, items);
  add_merge(m, s, items);
}

}  // namespace escgen::blocks::conc_detail
