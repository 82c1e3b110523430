// CA unit accumulate stage (see ca_unit_shape.h): Z[tag] += segment sum per basis, and the
// output register that takes a finished pixel's Z vector.
//
// `active` (registered): the held beat's segments not yet applied. A cycle applies them up to
// and including the first pixel end; the segments after it start the next pixel's Z in the same
// cycle when no other pixel end follows (`tail`), else they wait for the next cycle (a beat with
// two pixel ends takes two cycles, the second clearing the segments the first applied).
#include <string>
#include <vector>

#include <fmt/format.h>

#include "blocks/ca_unit_shape.h"
#include "blocks/mac_unit_parts.h"
#include "netlist/expr.h"

namespace escgen::blocks::ca_detail {
namespace {

using netlist::cat;
using netlist::lit;
using netlist::Module;
using netlist::slice;

// Which held segments are applied this cycle, and when the segment register moves on.
void add_apply(Module& m, const Shape& s) {
  const int segs = s.segs;
  m.reg("active", segs, "beat_take ? beat_present : active & ~apply",
        "beat_take | (s2_go & any_pe & more)", lit(segs, 0),
        "segments of the held beat not yet applied");
  m.wire("pe_act", segs);
  for (int g = 0; g < segs; ++g)
    m.assign(m.select("pe_act", g), fmt::format("{} & s1_pe{}", m.select("active", g), g));
  m.wire("any_pe", 1);
  m.assign("any_pe", "|pe_act");
  m.wire("apply", segs, "segments applied this cycle: up to and including the first pixel end");
  for (int g = 0; g < segs; ++g)
    m.assign(m.select("apply", g),
             g == 0 ? m.select("active", 0)
                    : fmt::format("{} & ~|{}", m.select("active", g),
                                  g == 1 ? m.select("pe_act", 0) : slice("pe_act", g - 1, 0)));
  m.wire("seg_rest", segs, "active segments after the first pixel end");
  m.assign("seg_rest", "active & ~apply");
  m.wire("more", 1, "another pixel end remains after the first: the beat takes another cycle");
  m.assign("more", "|(seg_rest & pe_act)");
  if (segs > 1) {
    m.wire("tail", segs - 1,
           "segments 1.. after the beat's last pixel end (the next pixel's first; segment 0 "
           "never follows one)");
    m.assign("tail", fmt::format("{} & {{{}{{~more}}}}", slice("seg_rest", segs - 1, 1), segs - 1));
  }
  m.wire("z_free", 1, "the output register can take a pixel");
  m.assign("z_free", "~out_valid_q | out_ready");
  m.wire("s2_go", 1);
  m.assign("s2_go", "s1_v & (~any_pe | z_free)");
  m.assign("s1_take", "s2_go & ~(any_pe & more)");
}

// Segment g's sum, sign-extended, as the wire `term` when its `mask_bit` is set and its tag is
// basis j.
std::string add_tagged_term(Module& m, const Shape& s, const std::vector<std::string>& s1_sum,
                            const std::string& term, const std::string& mask_bit, int g, int j) {
  m.wire(term, s.zb);
  const std::string hit =
      fmt::format("{} & (s1_tag{} == {})", mask_bit, g, lit(s.tag_bits, static_cast<uint64_t>(j)));
  m.assign(term, fmt::format("{{{}{{{}}}}} & {}", s.zb, hit,
                             sext(s1_sum[static_cast<size_t>(g)], s.sum_bits, s.zb)));
  return term;
}

// Basis j's accumulator: Z[j] with this cycle's segments (z_next<j>, returned), and the restart
// value from the beat's tail at a pixel end.
std::string add_accumulator(Module& m, const Shape& s, const std::vector<std::string>& s1_sum,
                            int j) {
  const int zb = s.zb;
  const std::string zn = fmt::format("z_next{}", j), acc = fmt::format("z_acc{}", j);
  std::string sum = acc;
  for (int g = 0; g < s.segs; ++g)
    sum += " + " + add_tagged_term(m, s, s1_sum, fmt::format("z_term{}_s{}", j, g),
                                   m.select("apply", g), g, j);
  m.wire(zn, zb, fmt::format("Z[{}] with this cycle's segments", j));
  m.assign(zn, sum);
  // The next pixel's start: its segments of this beat.
  std::string start;
  for (int g = 1; g < s.segs; ++g)
    start += (start.empty() ? "" : " + ") + add_tagged_term(m, s, s1_sum,
                                                            fmt::format("z_tail{}_s{}", j, g),
                                                            m.select("tail", g - 1), g, j);
  std::string restart = lit(zb, 0);
  if (!start.empty()) {
    restart = fmt::format("z_start{}", j);
    m.wire(restart, zb, fmt::format("Z[{}] of the next pixel from this beat's tail", j));
    m.assign(restart, start);
  }
  m.reg(acc, zb, fmt::format("any_pe ? {} : {}", restart, zn), "s2_go", lit(zb, 0),
        fmt::format("Z[{}] of the pixel so far", j));
  return zn;
}

}  // namespace

void add_accumulate(Module& m, const Shape& s, const std::vector<std::string>& s1_sum) {
  add_apply(m, s);
  std::vector<std::string> zq;
  for (int j = s.md - 1; j >= 0; --j) zq.push_back(add_accumulator(m, s, s1_sum, j));
  m.reg("out_valid_q", 1, "(s2_go & any_pe) | (out_valid_q & ~out_ready)", "", lit(1, 0));
  m.reg("out_z_q", s.md * s.zb, cat(zq), "s2_go & any_pe");
  m.assign("out_valid", "out_valid_q");
  m.assign("out_z", "out_z_q");
  m.assign("stat_stall", "s1_v & any_pe & ~z_free");
}

}  // namespace escgen::blocks::ca_detail
