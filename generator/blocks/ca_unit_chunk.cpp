// CA unit chunk stage (see ca_unit_shape.h): the chunk register with its counter, the
// coefficient store, and the match of every basis against the incoming chunk.
//
//   d 3, chunk mask 0b0110, coefficient masks j0 0b0000, j1 0b0100, j2 0b0011:
//   matches j0 none, j1 0b0100, j2 0b0010 -> issue (j1), then (j2) and the chunk is consumed;
//   on the pixel's last chunk the last issued vector carries end-of-pixel.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "blocks/ca_unit_shape.h"
#include "blocks/regfile.h"
#include "netlist/expr.h"

namespace escgen::blocks::ca_detail {
namespace {

using netlist::lane;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

using Store = std::vector<std::vector<std::string>>;  // per basis j: its entries, per chunk

// Chunk counter (position of the next incoming chunk within its pixel) and the chunk register.
void add_chunk_register(Module& m, const Shape& s) {
  const int ci = s.ci, cb = s.cb;
  m.wire("in_fire", 1);
  m.assign("in_fire", "in_valid & in_ready");
  m.wire("cnt_last", 1, "the incoming chunk is the last of its pixel");
  m.assign("cnt_last", fmt::format("{} == chunks - {}", zext("cnt", ci, cb), lit(cb, 1)));
  m.reg("cnt", ci, fmt::format("cnt_last ? {} : cnt + {}", lit(ci, 0), lit(ci, 1)), "in_fire",
        lit(ci, 0), "chunk index of the next incoming chunk");
  m.wire("consume", 1, "the held chunk is finished this cycle");
  m.reg("chunk_v", 1, "in_fire | (chunk_v & ~consume)", "", lit(1, 0), "a chunk is held");
  m.reg("chunk_mask", s.n, "in_mask", "in_fire");
  m.reg("chunk_act", s.n * s.b, "in_act", "in_fire");
  if (s.cm > 1) m.reg("chunk_idx", ci, "cnt", "in_fire");
  m.reg("chunk_plast", 1, "cnt_last", "in_fire", {}, "the held chunk ends its pixel");
  m.assign("in_ready", "~chunk_v | consume");
}

// Coefficient store: entry (c, j) = {sign, mask}, all bases of a chunk written at once, and
// its read at the held chunk (rd_j<j>). (A store of one chunk needs no decoder: its address
// must be 0 for the write to happen.)
Store add_coef_store(Module& m, const CaUnitParams& p, const Shape& s) {
  const int n = s.n, cm = s.cm;
  if (cm > 1) {
    add_decoder(m, "wr_c_sel", "coef_chunk", cm);
    add_decoder(m, "rd_c_sel", "chunk_idx", cm);
  }
  m.wire("coef_wr", 1, "write every basis of the addressed chunk");
  m.assign("coef_wr",
           cm == 1 ? "coef_we & (coef_chunk == " + lit(1, 0) + ")" : std::string("coef_we"));
  Store store(static_cast<size_t>(s.md));
  for (int j = 0; j < s.md; ++j) {
    std::vector<std::string>& entries = store[static_cast<size_t>(j)];
    if (p.prefetch) {  // writes go to the shadow store, copied whole on coef_swap
      const auto shadow = add_entries(m, fmt::format("coef_next_j{}", j), cm, 2 * n, "coef_wr",
                                      cm > 1 ? "wr_c_sel" : "", lane("coef_data", j, 2 * n));
      for (int i = 0; i < cm; ++i) {
        entries.push_back(fmt::format("coef_j{}_{}", j, i));
        m.reg(entries.back(), 2 * n, shadow[static_cast<size_t>(i)], "coef_swap", {},
              fmt::format("entry {} in use (copied from coef_next_j{}_{})", i, j, i));
      }
    } else {
      entries = add_entries(m, fmt::format("coef_j{}", j), cm, 2 * n, "coef_wr",
                            cm > 1 ? "wr_c_sel" : "", lane("coef_data", j, 2 * n));
    }
    add_read_mux(m, fmt::format("rd_j{}", j), entries, 2 * n, cm > 1 ? "rd_c_sel" : "");
  }
  return store;
}

// Matches of every basis at once, found as the chunk enters (its masks against the entry at
// `cnt`) and registered with it: the chunk stage's ready (consume) starts at a register, not
// behind the coefficient read. The store and d do not change while a chunk is held or entering
// (they change between layers, or at coef_swap, when no chunk is held or entering: the row
// holds the next pass's input back until its coefficients are in use). The picker takes the
// lowest pending ones per cycle.
void add_matches(Module& m, const Shape& s, const Store& store) {
  const int n = s.n, md = s.md;
  if (s.cm > 1) add_decoder(m, "in_c_sel", "cnt", s.cm);
  m.wire("nz_in", md, "basis j (< d) has a non-empty match in the incoming chunk");
  for (int j = 0; j < md; ++j) {
    std::vector<std::string> masks;
    for (const std::string& e : store[static_cast<size_t>(j)]) masks.push_back(slice(e, n - 1, 0));
    const std::string rd = fmt::format("in_rd_j{}", j);
    add_read_mux(m, rd, masks, n, s.cm > 1 ? "in_c_sel" : "");
    m.assign(m.select("nz_in", j),
             fmt::format("(|(in_mask & {})) & (d > {})", rd, lit(s.db, static_cast<uint64_t>(j))));
  }
  m.reg("nz", md, "nz_in", "in_fire", {}, "basis j (< d) has a non-empty match in the held chunk");
  m.reg("done", md, fmt::format("in_fire ? {} : (issue ? (done | pick) : done)", lit(md, 0)), "",
        lit(md, 0), "bases of the held chunk already issued");
  m.wire("pend", md);
  m.assign("pend", "nz & ~done");
}

}  // namespace

void add_chunk_stage(Module& m, const CaUnitParams& p, const Shape& s) {
  add_chunk_register(m, s);
  add_matches(m, s, add_coef_store(m, p, s));
  add_picks(m, s);
  add_issue_fields(m, s);
}

}  // namespace escgen::blocks::ca_detail
