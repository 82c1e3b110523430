// CA unit picker (see ca_unit_shape.h): the `issue` lowest pending bases of the held chunk
// (one-hot each), the issue handshake and the chunk's consumption, and per issued vector the
// picked basis's coefficient masks, its tag and the pixel end.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "blocks/ca_unit_shape.h"
#include "netlist/expr.h"
#include "util/bits.h"

namespace escgen::blocks::ca_detail {
namespace {

using netlist::lit;
using netlist::Module;

std::string pick_name(const Shape& s, int q) {
  return s.ni == 1 ? std::string("pick") : fmt::format("pick{}", q);
}

// Picks: the ni lowest pending bases (one-hot each), issued together as vectors 0..ni-1.
void add_pick_chain(Module& m, const Shape& s) {
  const int ni = s.ni, md = s.md;
  std::string left = "pend", issued;
  for (int q = 0; q < ni; ++q) {
    const std::string rem = fmt::format("pend_after{}", q);
    if (q > 0) {
      m.wire(rem, md, fmt::format("pending bases not taken by picks 0..{}", q - 1));
      m.assign(rem, fmt::format("{} & ~{}", left, pick_name(s, q - 1)));
      left = rem;
    }
    m.wire(pick_name(s, q), md,
           ni == 1 ? "lowest pending basis (one-hot)"
                   : fmt::format("{}-th lowest pending basis (one-hot, 0 when none)", q));
    m.assign(pick_name(s, q), fmt::format("{} & (~{} + {})", left, left, lit(md, 1)));
    issued += (issued.empty() ? "" : " | ") + pick_name(s, q);
  }
  if (ni > 1) {
    m.wire("pick", md, "bases issued this cycle");
    m.assign("pick", issued);
  }
}

}  // namespace

void add_picks(Module& m, const Shape& s) {
  const int ni = s.ni, md = s.md;
  add_pick_chain(m, s);
  m.wire("rest", md);
  m.assign("rest", "pend & ~pick");
  m.wire("has", 1);
  m.assign("has", "|pend");
  m.wire("iss_ready", 1);
  m.wire("send", 1, "an issue is wanted: a match, or the end-of-pixel marker");
  m.assign("send", "chunk_v & (has | chunk_plast)");
  m.wire("issue", 1);
  m.assign("issue", "send & iss_ready");
  // ~|rest (no basis left after the picks) is "at most ni pending": a population count, shallower
  // than the chain of ni priority picks, since consume is the chunk stage's ready.
  m.wire("few", 1, "at most ni bases pending: this cycle's issue takes them all");
  if (ni >= md) {
    m.assign("few", lit(1, 1));
  } else {
    std::vector<std::string> bits;
    for (int j = 0; j < md; ++j) bits.push_back(m.select("pend", j));
    const int w = bits_for(static_cast<uint64_t>(md));
    m.assign("few", fmt::format("({}) <= {}", netlist::bit_sum(bits, w),
                                lit(w, static_cast<uint64_t>(ni))));
  }
  m.assign("consume", "chunk_v & (has ? (few & iss_ready) : (~chunk_plast | iss_ready))");
}

// Per issued vector q: the picked basis's masks (AND-OR), its index, and the pixel end (on the
// last vector of the pixel; vector 0 is the empty marker when nothing matches).
void add_issue_fields(Module& m, const Shape& s) {
  const int ni = s.ni, md = s.md, n = s.n;
  for (int q = 0; q < ni; ++q) {
    const std::string pk = pick_name(s, q);
    std::string sel;
    for (int j = 0; j < md; ++j)
      sel += (sel.empty() ? "" : " | ") +
             fmt::format("({{{}{{{}}}}} & rd_j{})", 2 * n, m.select(pk, j), j);
    m.wire(per_vector(s, "sel_coef", q), 2 * n, "{sign, mask} of the picked basis (0 when none)");
    m.assign(per_vector(s, "sel_coef", q), sel);
    const std::string tag = per_vector(s, "tag", q);
    m.wire(tag, s.tag_bits, "index of the picked basis");
    for (int t = 0; t < s.tag_bits; ++t) {
      std::string any;
      for (int j = 0; j < md; ++j)
        if ((j >> t) & 1) any += (any.empty() ? "" : " | ") + m.select(pk, j);
      m.assign(m.select(tag, t), any.empty() ? lit(1, 0) : any);
    }
    m.wire(per_vector(s, "pe", q), 1, "this vector ends the pixel");
    m.assign(per_vector(s, "pe", q),
             q + 1 == ni ? "chunk_plast & ~|rest"
                         : fmt::format("chunk_plast & ~|rest & ~|{}", pick_name(s, q + 1)));
    if (q > 0) {
      m.wire(fmt::format("vld{}", q), 1, "vector q carries a picked basis");
      m.assign(fmt::format("vld{}", q), "|" + pk);
    }
  }
}

}  // namespace escgen::blocks::ca_detail
