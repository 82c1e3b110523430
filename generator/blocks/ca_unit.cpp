// CA unit generator and reference (see ca_unit.h): parameter checks, the derived widths, the
// submodules, the ports, and the assembly of the stages (ca_unit_shape.h) in order.
#include "blocks/ca_unit.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "blocks/adder_tree.h"
#include "blocks/ca_unit_shape.h"
#include "blocks/concentration.h"
#include "blocks/dilution.h"
#include "blocks/mac_unit_parts.h"
#include "blocks/stream.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {

namespace {

// |Z| at most: chunks_max * row_width activations of the largest value.
int64_t z_bound(const CaUnitParams& p) {
  return static_cast<int64_t>(p.chunks_max) * p.row_width * ((int64_t{1} << p.act_bits) - 1);
}

}  // namespace

int ca_unit_z_bits(const CaUnitParams& p) {
  if (p.z_bits != 0) return p.z_bits;
  const int64_t bound = z_bound(p);
  return signed_width(-bound, bound);
}

namespace {

void check(const CaUnitParams& p) {
  if (p.row_width < 2 || !is_pow2(static_cast<uint64_t>(p.row_width)))
    throw InternalError(
        fmt::format("ca_unit: row_width {} is not a power of two >= 2", p.row_width));
  if (p.act_bits < 1 || p.act_bits > 30 || p.max_d < 1 || p.chunks_max < 1 || p.lanes < 2 ||
      p.lanes > p.row_width || p.lookahead < 0 || p.lookaside < 0 || p.issue < 1 ||
      p.issue > p.max_d || p.gather_lanes < 0 || p.gather_lanes > p.row_width ||
      (p.gather_lanes != 0 &&
       (!is_pow2(static_cast<uint64_t>(p.gather_lanes)) || p.gather_lanes < p.lanes)))
    throw InternalError(fmt::format(
        "ca_unit: need act_bits 1..30 ({}), max_d >= 1 ({}), chunks_max >= 1 ({}), 2 <= lanes ({}) "
        "<= row_width ({}), lookahead/lookaside >= 0 ({}, {}), 1 <= issue ({}) <= max_d, "
        "gather_lanes ({}) 0 or a power of two in lanes..row_width",
        p.act_bits, p.max_d, p.chunks_max, p.lanes, p.row_width, p.lookahead, p.lookaside, p.issue,
        p.gather_lanes));
  const int64_t bound = z_bound(p);
  // An explicit z_bits is the caller's bound (e.g. from max_c_in, not chunks_max * row_width).
  if (p.z_bits != 0 && (p.z_bits < 2 || p.z_bits > 62))
    throw InternalError(fmt::format("ca_unit: z_bits {} not in 2..62 (bound {})", p.z_bits, bound));
}

}  // namespace

namespace ca_detail {

int index_bits(int n) {
  return std::max(1, clog2(static_cast<uint64_t>(n)));
}

std::string per_vector(const Shape& s, const char* base, int q) {
  return s.ni == 1 ? std::string(base) : fmt::format("{}{}", base, q);
}

Shape shape_of(const CaUnitParams& p) {
  auto u = [](int v) { return static_cast<uint64_t>(v); };
  Shape s{};
  s.n = p.row_width, s.b = p.act_bits, s.md = p.max_d, s.cm = p.chunks_max, s.l = p.lanes;
  s.zb = ca_unit_z_bits(p);
  s.ni = p.issue;
  // Each Dilution unit gathers its vector as `parts` parts of g lanes; the Concentration takes
  // them as ni x parts vectors of g lanes, with the look-ahead counted in them (the same queue).
  s.g = ca_unit_gather_lanes(p), s.parts = s.n / s.g;
  s.ci = index_bits(s.cm), s.cb = bits_for(u(s.cm)), s.db = bits_for(u(s.md));
  s.tag_bits = index_bits(s.md), s.sb = s.b + 1;
  s.side = 1 + s.tag_bits;
  s.eb = s.sb + s.side;
  s.segs = p.lookaside + 1;
  s.cbits = bits_for(u(s.g));
  const int64_t seg_bound = static_cast<int64_t>(s.l) * ((int64_t{1} << s.b) - 1);
  s.sum_bits = std::min(mac_tree_bits(s.l, s.sb, 64), signed_width(-seg_bound, seg_bound));
  s.issue_w = s.ni * (s.side + 2 * s.n) + (s.ni - 1) + s.n * s.b;
  s.lb = bits_for(u(s.l));
  s.beat_bits = s.l + s.l * s.eb + s.segs * s.l;
  return s;
}

}  // namespace ca_detail

namespace {

using namespace ca_detail;
using netlist::Module;

// The submodules, in the order the design first sees them.
Parts build_parts(netlist::Design& design, const CaUnitParams& p, const Shape& s) {
  Parts parts;
  parts.skid = build_skid_buffer(design, {.data_bits = s.issue_w});
  parts.beat_skid = build_skid_buffer(design, {.data_bits = s.beat_bits});
  const DilutionParams dp{.row_width = s.n,
                          .act_bits = s.b,
                          .coef_bits = 2,
                          .side_bits = s.side,
                          .with_mask = false,
                          .with_act_mask = false,
                          .gather_lanes = s.g};
  parts.dil = build_dilution(design, dp);
  if (s.ni == 1) {
    parts.dil_v = parts.dil;
  } else {  // vectors q > 0 also carry their valid bit
    DilutionParams dv = dp;
    dv.side_bits = s.side + 1;
    parts.dil_v = build_dilution(design, dv);
  }
  parts.conc = build_concentration(design, ca_unit_concentration(p, s.eb));
  parts.tree = build_mac_tree(design, s.l, s.sb, s.sum_bits);
  return parts;
}

void add_ports(Module& m, const CaUnitParams& p, const Shape& s) {
  const int n = s.n, md = s.md;
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("chunks", s.cb, "chunks per pixel, 1..chunks_max");
  m.input("d", s.db, "bases, 1..max_d");
  m.input("coef_we", 1, "coefficient store write");
  m.input("coef_chunk", s.ci);
  m.input("coef_data", md * 2 * n, "basis j at [j*2*row_width +: 2*row_width]: {sign, mask}");
  if (p.prefetch) m.input("coef_swap", 1, "copy the shadow coefficient store into the one in use");
  m.input("in_valid", 1);
  m.output("in_ready", 1);
  m.input("in_mask", n, "non-zero activations of the chunk");
  m.input("in_act", n * s.b, "dense chunk, lane i at [i*act_bits +: act_bits]");
  m.output("out_valid", 1, "registered");
  m.input("out_ready", 1);
  m.output("out_z", md * s.zb, "Z[j] at [j*z_bits +: z_bits], registered");
  m.output("stat_issue", 1,
           s.ni == 1 ? "a vector was issued to dilution this cycle"
                     : "vectors were issued to dilution this cycle");
  m.output("stat_stall", 1, "a finished pixel waits for out_ready");
  if (p.prefetch)
    m.output("chunk_held", 1,
             "registered: a chunk is in the chunk stage (the coefficient store is in use)");
}

}  // namespace

std::string build_ca_unit(netlist::Design& design, const CaUnitParams& p) {
  check(p);
  const Shape s = shape_of(p);
  const std::string name =
      fmt::format("escgen_ca_unit_n{}_b{}_d{}_c{}_l{}_a{}_s{}_z{}{}{}{}", s.n, s.b, s.md, s.cm, s.l,
                  p.lookahead, p.lookaside, s.zb, s.ni == 1 ? "" : fmt::format("_i{}", s.ni),
                  p.prefetch ? "_pf" : "", s.parts == 1 ? "" : fmt::format("_g{}", s.g));
  if (design.has(name)) return name;
  const Parts parts = build_parts(design, p, s);
  Module m(name, fmt::format("CA unit: {} x {}-bit chunks, {} bases, {} chunks, {} adder lanes, "
                             "Z of {} bits{}",
                             s.n, s.b, s.md, s.cm, s.l, s.zb,
                             s.ni == 1 ? "" : fmt::format(", {} vectors issued per cycle", s.ni)));
  add_ports(m, p, s);
  add_chunk_stage(m, p, s);
  m.assign("stat_issue", "issue");
  if (p.prefetch) m.assign("chunk_held", "chunk_v");
  add_dilution_side(m, s, parts);
  add_accumulate(m, s, add_segment_sums(m, s, parts));
  design.add(std::move(m));
  return name;
}

std::vector<int64_t> ca_unit_model(std::span<const uint64_t> act, std::span<const int8_t> coef,
                                   int c_in, int d) {
  if (static_cast<int>(act.size()) != c_in || static_cast<int>(coef.size()) != c_in * d)
    throw InternalError("ca_unit_model: sizes do not match c_in and d");
  std::vector<int64_t> z(static_cast<size_t>(d), 0);
  for (int i = 0; i < c_in; ++i)
    for (int j = 0; j < d; ++j)
      z[static_cast<size_t>(j)] +=
          coef[static_cast<size_t>(i * d + j)] * static_cast<int64_t>(act[static_cast<size_t>(i)]);
  return z;
}

}  // namespace escgen::blocks
