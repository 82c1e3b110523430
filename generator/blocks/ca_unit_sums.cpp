// CA unit segment sums (see ca_unit_shape.h): the beat buffer after the Concentration and, per
// segment of the buffered beat, its sum (an adder tree), tag and pixel end, registered.
//
// The beat buffer is a skid buffer (registered ready, one clock, two beats) between the
// Concentration and the segment sums, so the look-aside decision (count, target ends) and the
// segment adder trees are in different cycles and the accumulate stage's ready stops at the
// buffer instead of running into the Concentration's queue update. Each lane's segment comes
// with the beat (from the Concentration's registers) and is cut to the beat's size before the
// buffer, so the segment sums start at this buffer.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "blocks/ca_unit_shape.h"
#include "netlist/expr.h"

namespace escgen::blocks::ca_detail {
namespace {

using netlist::bit;
using netlist::cat;
using netlist::lit;
using netlist::Module;
using netlist::slice;

void add_beat_buffer(Module& m, const Shape& s, const Parts& parts) {
  const int l = s.l, segs = s.segs, eb = s.eb;
  m.wire("conc_lanes", segs * l, "lane k of the beat is in segment s, at [s*lanes + k]");
  for (int g = 0; g < segs; ++g)
    for (int k = 0; k < l; ++k)
      m.assign(bit("conc_lanes", g * l + k),
               fmt::format("(conc_count > {}) & {}", lit(s.lb, static_cast<uint64_t>(k)),
                           bit("conc_seg", g * l + k)));
  m.wire("beat_valid", 1);
  m.wire("beat_ready", 1);
  m.wire("beat_all", s.beat_bits, "{target ends, elements, segment lanes}");
  m.instance(parts.beat_skid, "u_beat",
             {{"clk", "clk"},
              {"rst_n", "rst_n"},
              {"in_valid", "conc_valid"},
              {"in_ready", "conc_ready"},
              {"in_data", cat({"conc_last", "conc_data", "conc_lanes"})},
              {"out_valid", "beat_valid"},
              {"out_ready", "beat_ready"},
              {"out_data", "beat_all"}});
  m.wire("beat_data", l * eb);
  m.wire("beat_last", l);
  m.wire("beat_lanes", segs * l, "lane k in segment s at [s*lanes + k]");
  m.assign("beat_lanes", slice("beat_all", segs * l - 1, 0));
  m.assign("beat_data", slice("beat_all", segs * l + l * eb - 1, segs * l));
  m.assign("beat_last", slice("beat_all", s.beat_bits - 1, segs * l + l * eb));
}

std::string join(const std::vector<std::string>& v, const char* op) {
  std::string r;
  for (const auto& t : v) r += (r.empty() ? "" : op) + t;
  return r;
}

// Segment g: lane k belongs to it (g target ends before it) when it is in the beat; its sum,
// its tag (the first lane's) and whether it ends a pixel, registered as s1_sum/s1_tag/s1_pe<g>.
// Returns the registered sum.
std::string add_segment(Module& m, const Shape& s, const Parts& parts, int g) {
  const int l = s.l, eb = s.eb, sb = s.sb, tag_bits = s.tag_bits;
  const std::string in_s = fmt::format("in_seg{}", g);
  m.wire(in_s, l, fmt::format("lanes of segment {}", g));
  std::vector<std::string> tag_terms, pe_terms, masked;
  for (int k = l - 1; k >= 0; --k)
    masked.push_back(fmt::format("({{{}{{{}}}}} & {})", sb, m.select(in_s, k),
                                 slice("beat_data", k * eb + sb - 1, k * eb)));
  m.assign(in_s, slice("beat_lanes", g * l + l - 1, g * l));
  for (int k = 0; k < l; ++k) {
    const std::string start =
        k == 0 ? m.select(in_s, 0)
               : fmt::format("{} & {}", m.select(in_s, k), m.select("beat_last", k - 1));
    tag_terms.push_back(fmt::format("({{{}{{{}}}}} & {})", tag_bits, start,
                                    slice("beat_data", k * eb + sb + tag_bits - 1, k * eb + sb)));
    pe_terms.push_back(fmt::format("({} & {} & {})", m.select(in_s, k), m.select("beat_last", k),
                                   bit("beat_data", k * eb + eb - 1)));
  }
  const std::string sum = fmt::format("seg_sum{}", g);
  m.wire(sum, s.sum_bits);
  m.instance(parts.tree, fmt::format("u_tree{}", g), {{"in", cat(masked)}, {"sum", sum}});
  const std::string tg = fmt::format("seg_tag{}", g), pe = fmt::format("seg_pe{}", g);
  m.wire(tg, tag_bits);
  m.assign(tg, join(tag_terms, " | "));
  m.wire(pe, 1);
  m.assign(pe, join(pe_terms, " | "));
  const std::string s1 = m.reg(fmt::format("s1_sum{}", g), s.sum_bits, sum, "beat_take");
  m.reg(fmt::format("s1_tag{}", g), tag_bits, tg, "beat_take");
  m.reg(fmt::format("s1_pe{}", g), 1, pe, "beat_take");
  return s1;
}

}  // namespace

std::vector<std::string> add_segment_sums(Module& m, const Shape& s, const Parts& parts) {
  add_beat_buffer(m, s, parts);
  std::vector<std::string> s1_sum;
  for (int g = 0; g < s.segs; ++g) s1_sum.push_back(add_segment(m, s, parts, g));
  m.wire("beat_present", s.segs, "segments of the incoming beat with at least one lane");
  for (int g = 0; g < s.segs; ++g)
    m.assign(m.select("beat_present", g), "|" + fmt::format("in_seg{}", g));
  m.wire("beat_take", 1, "the segment register loads a beat");
  m.wire("s1_take", 1, "the segment register's record is finished");
  m.assign("beat_ready", "~s1_v | s1_take");
  m.assign("beat_take", "beat_valid & beat_ready");
  m.reg("s1_v", 1, "beat_take | (s1_v & ~s1_take)", "", lit(1, 0), "a beat's segments are held");
  return s1_sum;
}

}  // namespace escgen::blocks::ca_detail
