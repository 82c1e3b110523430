// CA unit generator and reference (see ca_unit.h).
//
//   d 3, chunk mask 0b0110, coefficient masks j0 0b0000, j1 0b0100, j2 0b0011:
//   matches j0 none, j1 0b0100, j2 0b0010 -> issue (j1), then (j2) and the chunk is consumed;
//   on the pixel's last chunk the last issued vector carries end-of-pixel.
#include "blocks/ca_unit.h"

#include <fmt/format.h>

#include "blocks/adder_tree.h"
#include "blocks/concentration.h"
#include "blocks/dilution.h"
#include "blocks/mac_unit_parts.h"
#include "blocks/regfile.h"
#include "blocks/stream.h"
#include "netlist/expr.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {

using netlist::bit;
using netlist::cat;
using netlist::lane;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

int ca_unit_z_bits(const CaUnitParams& p) {
  if (p.z_bits != 0) return p.z_bits;
  const int64_t bound =
      static_cast<int64_t>(p.chunks_max) * p.row_width * ((int64_t{1} << p.act_bits) - 1);
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
  const int64_t bound =
      static_cast<int64_t>(p.chunks_max) * p.row_width * ((int64_t{1} << p.act_bits) - 1);
  // An explicit z_bits is the caller's bound (e.g. from max_c_in, not chunks_max * row_width).
  if (p.z_bits != 0 && (p.z_bits < 2 || p.z_bits > 62))
    throw InternalError(fmt::format("ca_unit: z_bits {} not in 2..62 (bound {})", p.z_bits, bound));
}

// Index width of n things (at least one bit, so ports always exist).
int index_bits(int n) {
  return std::max(1, clog2(static_cast<uint64_t>(n)));
}

// The chunk stage: chunk register, chunk counter, coefficient store, all-bases match, the
// basis picker and the issue payload {pe, tag, sign, coef mask, act mask, act}.
void add_chunk_stage(Module& m, const CaUnitParams& p, int tag_bits) {
  const int n = p.row_width, b = p.act_bits, md = p.max_d, cm = p.chunks_max;
  const int cb = bits_for(static_cast<uint64_t>(cm)), ci = index_bits(cm);
  const int db = bits_for(static_cast<uint64_t>(md));

  // Chunk counter: position of the next incoming chunk within its pixel.
  m.wire("in_fire", 1);
  m.assign("in_fire", "in_valid & in_ready");
  m.wire("cnt_last", 1, "the incoming chunk is the last of its pixel");
  m.assign("cnt_last", fmt::format("{} == chunks - {}", zext("cnt", ci, cb), lit(cb, 1)));
  m.reg("cnt", ci, fmt::format("cnt_last ? {} : cnt + {}", lit(ci, 0), lit(ci, 1)), "in_fire",
        lit(ci, 0), "chunk index of the next incoming chunk");
  m.wire("consume", 1, "the held chunk is finished this cycle");
  m.reg("chunk_v", 1, "in_fire | (chunk_v & ~consume)", "", lit(1, 0), "a chunk is held");
  m.reg("chunk_mask", n, "in_mask", "in_fire");
  m.reg("chunk_act", n * b, "in_act", "in_fire");
  if (cm > 1) m.reg("chunk_idx", ci, "cnt", "in_fire");
  m.reg("chunk_plast", 1, "cnt_last", "in_fire", {}, "the held chunk ends its pixel");
  m.assign("in_ready", "~chunk_v | consume");

  // Coefficient store: entry (c, j) = {sign, mask}, all bases of a chunk written at once. (A
  // store of one chunk needs no decoder: its address must be 0 for the write to happen.)
  if (cm > 1) {
    add_decoder(m, "wr_c_sel", "coef_chunk", cm);
    add_decoder(m, "rd_c_sel", "chunk_idx", cm);
  }
  m.wire("coef_wr", 1, "write every basis of the addressed chunk");
  m.assign("coef_wr",
           cm == 1 ? "coef_we & (coef_chunk == " + lit(1, 0) + ")" : std::string("coef_we"));
  std::vector<std::vector<std::string>> store(static_cast<size_t>(md));
  for (int j = 0; j < md; ++j) {
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

  // Matches of every basis at once, found as the chunk enters (its masks against the entry at
  // `cnt`) and registered with it: the chunk stage's ready (consume) starts at a register, not
  // behind the coefficient read. The store and d do not change while a chunk is held or entering
  // (they change between layers, or at coef_swap, when no chunk is held or entering: the row
  // holds the next pass's input back until its coefficients are in use). The picker takes the
  // lowest pending ones per cycle.
  if (cm > 1) add_decoder(m, "in_c_sel", "cnt", cm);
  m.wire("nz_in", md, "basis j (< d) has a non-empty match in the incoming chunk");
  for (int j = 0; j < md; ++j) {
    std::vector<std::string> masks;
    for (const std::string& e : store[static_cast<size_t>(j)]) masks.push_back(slice(e, n - 1, 0));
    const std::string rd = fmt::format("in_rd_j{}", j);
    add_read_mux(m, rd, masks, n, cm > 1 ? "in_c_sel" : "");
    m.assign(m.select("nz_in", j),
             fmt::format("(|(in_mask & {})) & (d > {})", rd, lit(db, static_cast<uint64_t>(j))));
  }
  m.reg("nz", md, "nz_in", "in_fire", {}, "basis j (< d) has a non-empty match in the held chunk");
  m.reg("done", md, fmt::format("in_fire ? {} : (issue ? (done | pick) : done)", lit(md, 0)), "",
        lit(md, 0), "bases of the held chunk already issued");
  m.wire("pend", md);
  m.assign("pend", "nz & ~done");
  // Picks: the ni lowest pending bases (one-hot each), issued together as vectors 0..ni-1.
  const int ni = p.issue;
  auto pk = [&](int q) { return ni == 1 ? std::string("pick") : fmt::format("pick{}", q); };
  std::string left = "pend", issued;
  for (int q = 0; q < ni; ++q) {
    const std::string rem = fmt::format("pend_after{}", q);
    if (q > 0) {
      m.wire(rem, md, fmt::format("pending bases not taken by picks 0..{}", q - 1));
      m.assign(rem, fmt::format("{} & ~{}", left, pk(q - 1)));
      left = rem;
    }
    m.wire(pk(q), md,
           ni == 1 ? "lowest pending basis (one-hot)"
                   : fmt::format("{}-th lowest pending basis (one-hot, 0 when none)", q));
    m.assign(pk(q), fmt::format("{} & (~{} + {})", left, left, lit(md, 1)));
    issued += (issued.empty() ? "" : " | ") + pk(q);
  }
  if (ni > 1) {
    m.wire("pick", md, "bases issued this cycle");
    m.assign("pick", issued);
  }
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

  // Per issued vector q: the picked basis's masks (AND-OR), its index, and the pixel end (on the
  // last vector of the pixel; vector 0 is the empty marker when nothing matches).
  auto qn = [&](const char* base, int q) {
    return ni == 1 ? std::string(base) : fmt::format("{}{}", base, q);
  };
  for (int q = 0; q < ni; ++q) {
    std::string sel;
    for (int j = 0; j < md; ++j)
      sel += (sel.empty() ? "" : " | ") +
             fmt::format("({{{}{{{}}}}} & rd_j{})", 2 * n, m.select(pk(q), j), j);
    m.wire(qn("sel_coef", q), 2 * n, "{sign, mask} of the picked basis (0 when none)");
    m.assign(qn("sel_coef", q), sel);
    m.wire(qn("tag", q), tag_bits, "index of the picked basis");
    for (int t = 0; t < tag_bits; ++t) {
      std::string s;
      for (int j = 0; j < md; ++j)
        if ((j >> t) & 1) s += (s.empty() ? "" : " | ") + m.select(pk(q), j);
      m.assign(m.select(qn("tag", q), t), s.empty() ? lit(1, 0) : s);
    }
    m.wire(qn("pe", q), 1, "this vector ends the pixel");
    m.assign(qn("pe", q), q + 1 == ni ? "chunk_plast & ~|rest"
                                      : fmt::format("chunk_plast & ~|rest & ~|{}", pk(q + 1)));
    if (q > 0) {
      m.wire(fmt::format("vld{}", q), 1, "vector q carries a picked basis");
      m.assign(fmt::format("vld{}", q), "|" + pk(q));
    }
  }
}

}  // namespace

std::string build_ca_unit(netlist::Design& design, const CaUnitParams& p) {
  check(p);
  const int n = p.row_width, b = p.act_bits, md = p.max_d, cm = p.chunks_max, l = p.lanes;
  const int zb = ca_unit_z_bits(p);
  // Each Dilution unit gathers its vector as `parts` parts of g lanes; the Concentration takes
  // them as ni x parts vectors of g lanes, with the look-ahead counted in them (the same queue).
  const int g = p.gather_lanes == 0 ? n : p.gather_lanes, parts = n / g;
  const std::string name =
      fmt::format("escgen_ca_unit_n{}_b{}_d{}_c{}_l{}_a{}_s{}_z{}{}{}{}", n, b, md, cm, l,
                  p.lookahead, p.lookaside, zb, p.issue == 1 ? "" : fmt::format("_i{}", p.issue),
                  p.prefetch ? "_pf" : "", parts == 1 ? "" : fmt::format("_g{}", g));
  if (design.has(name)) return name;
  const int tag_bits = index_bits(md), sb = b + 1;  // signed value after dilution
  const int side = 1 + tag_bits;                    // {pe, tag}
  const int eb = sb + side;                         // concentration element {pe, tag, value}
  const int segs = p.lookaside + 1;
  const int cbits = bits_for(static_cast<uint64_t>(g));  // one part's count
  const int64_t seg_bound = static_cast<int64_t>(l) * ((int64_t{1} << b) - 1);
  const int sum_bits = std::min(mac_tree_bits(l, sb, 64), signed_width(-seg_bound, seg_bound));

  // Sub-blocks. Issue payload: {per vector q from ni-1 down to 0: [valid (q > 0)], pe, tag, sign,
  // match (coefficient mask & activation mask, found before the buffer); then act}.
  const int ni = p.issue;
  const int issue_w = ni * (side + 2 * n) + (ni - 1) + n * b;
  const std::string skid = build_skid_buffer(design, {.data_bits = issue_w});
  const int lb = bits_for(static_cast<uint64_t>(l));  // a beat's element count 0..l
  const int beat_bits = l + l * eb + segs * l;        // {target ends, elements, segment lanes}
  const std::string beat_skid = build_skid_buffer(design, {.data_bits = beat_bits});
  const std::string dil = build_dilution(design, {.row_width = n,
                                                  .act_bits = b,
                                                  .coef_bits = 2,
                                                  .side_bits = side,
                                                  .with_mask = false,
                                                  .with_act_mask = false,
                                                  .gather_lanes = g});
  const std::string dil_v =  // vectors q > 0 also carry their valid bit
      ni == 1 ? dil
              : build_dilution(design, {.row_width = n,
                                        .act_bits = b,
                                        .coef_bits = 2,
                                        .side_bits = side + 1,
                                        .with_mask = false,
                                        .with_act_mask = false,
                                        .gather_lanes = g});
  const std::string conc = build_concentration(design, ca_unit_concentration(p, eb));
  const std::string tree = build_mac_tree(design, l, sb, sum_bits);

  Module m(name, fmt::format("CA unit: {} x {}-bit chunks, {} bases, {} chunks, {} adder lanes, "
                             "Z of {} bits{}",
                             n, b, md, cm, l, zb,
                             ni == 1 ? "" : fmt::format(", {} vectors issued per cycle", ni)));
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("chunks", bits_for(static_cast<uint64_t>(cm)), "chunks per pixel, 1..chunks_max");
  m.input("d", bits_for(static_cast<uint64_t>(md)), "bases, 1..max_d");
  m.input("coef_we", 1, "coefficient store write");
  m.input("coef_chunk", index_bits(cm));
  m.input("coef_data", md * 2 * n, "basis j at [j*2*row_width +: 2*row_width]: {sign, mask}");
  if (p.prefetch) m.input("coef_swap", 1, "copy the shadow coefficient store into the one in use");
  m.input("in_valid", 1);
  m.output("in_ready", 1);
  m.input("in_mask", n, "non-zero activations of the chunk");
  m.input("in_act", n * b, "dense chunk, lane i at [i*act_bits +: act_bits]");
  m.output("out_valid", 1, "registered");
  m.input("out_ready", 1);
  m.output("out_z", md * zb, "Z[j] at [j*z_bits +: z_bits], registered");
  m.output("stat_issue", 1,
           ni == 1 ? "a vector was issued to dilution this cycle"
                   : "vectors were issued to dilution this cycle");
  m.output("stat_stall", 1, "a finished pixel waits for out_ready");
  if (p.prefetch)
    m.output("chunk_held", 1,
             "registered: a chunk is in the chunk stage (the coefficient store is in use)");

  add_chunk_stage(m, p, tag_bits);
  m.assign("stat_issue", "issue");
  if (p.prefetch) m.assign("chunk_held", "chunk_v");

  // Issue buffer -> Dilution (one unit per issued vector, in lockstep: unit 0's handshake).
  auto qn = [&](const char* base, int q) {
    return ni == 1 ? std::string(base) : fmt::format("{}{}", base, q);
  };
  std::vector<std::string> payload;
  for (int q = ni - 1; q >= 0; --q) {
    if (q > 0) payload.push_back(fmt::format("vld{}", q));
    for (const char* f : {"pe", "tag"}) payload.push_back(qn(f, q));
    const std::string sc = qn("sel_coef", q), sm = qn("sel_match", q);
    m.wire(sm, 2 * n, "{sign, match}: the picked basis's mask & the chunk's activation mask");
    m.assign(sm,
             cat({slice(sc, 2 * n - 1, n), fmt::format("{} & chunk_mask", slice(sc, n - 1, 0))}));
    payload.push_back(sm);
  }
  payload.push_back("chunk_act");
  m.wire("iss_valid", 1);
  m.wire("iss_data", issue_w);
  m.wire("dil_ready", 1);
  m.instance(skid, "u_issue",
             {{"clk", "clk"},
              {"rst_n", "rst_n"},
              {"in_valid", "issue"},
              {"in_ready", "iss_ready"},
              {"in_data", cat(payload)},
              {"out_valid", "iss_valid"},
              {"out_ready", "dil_ready"},
              {"out_data", "iss_data"}});
  int pos = 0;
  auto field = [&](int w) {
    const std::string s = slice("iss_data", pos + w - 1, pos);
    pos += w;
    return s;
  };
  // The Dilution's match is the payload's (no activation mask input).
  const std::string f_act = field(n * b);
  m.wire("dil_valid", 1);
  m.wire("dil_ready_out", 1);
  std::vector<std::string> counts, datas, lasts, totals;
  for (int q = 0; q < ni; ++q) {
    const std::string f_cmask = field(n), f_sign = field(n);
    const std::string f_side = field(q == 0 ? side : side + 1);
    const std::string cnt = qn("dil_count", q), dat = qn("dil_data", q), sd = qn("dil_side", q);
    m.wire(cnt, parts * cbits, parts == 1 ? "" : "per part: matched lanes");
    const std::string tot = qn("dil_total", q);
    if (parts > 1) {
      m.wire(tot, bits_for(static_cast<uint64_t>(n)), "matched lanes of all parts");
      totals.insert(totals.begin(), tot);
    }
    m.wire(dat, n * sb);
    m.wire(sd, q == 0 ? side : side + 1,
           q == 0 ? "{end of pixel, tag}" : "{valid, end of pixel, tag}");
    std::string vin = "dil_valid", rin = "dil_ready";
    if (q > 0) {  // lockstep with unit 0: its handshake outputs are not needed
      vin = fmt::format("dil_valid_unused{}", q);
      rin = fmt::format("dil_ready_unused{}", q);
      m.wire(vin, 1, "equal to dil_valid");
      m.wire(rin, 1, "equal to dil_ready");
    }
    std::vector<std::pair<std::string, std::string>> dil_conns = {{"clk", "clk"},
                                                                  {"rst_n", "rst_n"},
                                                                  {"in_valid", "iss_valid"},
                                                                  {"in_ready", rin},
                                                                  {"in_act", f_act},
                                                                  {"in_coef_mask", f_cmask},
                                                                  {"in_sign_mask", f_sign},
                                                                  {"in_last", f_side},
                                                                  {"out_valid", vin},
                                                                  {"out_ready", "dil_ready_out"},
                                                                  {"out_count", cnt},
                                                                  {"out_data", dat},
                                                                  {"out_last", sd}};
    if (parts > 1) dil_conns.emplace_back("out_total", tot);
    m.instance(q == 0 ? dil : dil_v, ni == 1 ? "u_dilution" : fmt::format("u_dilution{}", q),
               std::move(dil_conns));
    // Concentration: every element carries {pe, tag, value}; every vector is one segment. Of
    // a vector's parts, the last non-empty one ends the segment (part 0 when all are empty: it
    // appends the one-element end marker).
    const std::string el = qn("elems", q);
    m.wire(el, n * eb);
    const std::string pe_tag = q == 0 ? sd : slice(sd, side - 1, 0);
    for (int k = 0; k < n; ++k) m.assign(lane(el, k, eb), cat({pe_tag, lane(dat, k, sb)}));
    const std::string ends = q == 0 ? lit(1, 1) : bit(sd, side);
    for (int t = 0; t < parts; ++t) {
      counts.insert(counts.begin(), parts == 1 ? cnt : lane(cnt, t, cbits));
      datas.insert(datas.begin(), parts == 1 ? el : lane(el, t, g * eb));
      if (parts == 1) {
        lasts.insert(lasts.begin(), ends);
        continue;
      }
      std::string last = t == 0 ? ends : fmt::format("{} & (|{})", ends, lane(cnt, t, cbits));
      for (int u = t + 1; u < parts; ++u) last += fmt::format(" & ~(|{})", lane(cnt, u, cbits));
      const std::string lw = fmt::format("{}_p{}", qn("dil_ends", q), t);
      m.wire(lw, 1, fmt::format("part {} ends the vector's segment", t));
      m.assign(lw, last);
      lasts.insert(lasts.begin(), lw);
    }
  }
  m.wire("conc_valid", 1);
  m.wire("conc_ready", 1);
  m.wire("conc_count", lb);
  m.wire("conc_data", l * eb);
  m.wire("conc_last", l);
  m.wire("conc_seg", segs * l);
  std::vector<std::pair<std::string, std::string>> conc_conns = {{"clk", "clk"},
                                                                 {"rst_n", "rst_n"},
                                                                 {"in_valid", "dil_valid"},
                                                                 {"in_ready", "dil_ready_out"},
                                                                 {"in_count", cat(counts)},
                                                                 {"in_data", cat(datas)},
                                                                 {"in_last", cat(lasts)},
                                                                 {"out_valid", "conc_valid"},
                                                                 {"out_ready", "conc_ready"},
                                                                 {"out_count", "conc_count"},
                                                                 {"out_data", "conc_data"},
                                                                 {"out_last", "conc_last"},
                                                                 {"out_seg", "conc_seg"}};
  if (parts > 1) conc_conns.emplace_back("in_total", cat(totals));
  m.instance(conc, "u_concentration", std::move(conc_conns));
  // Beat buffer: a skid buffer (registered ready, one clock, two beats) between the Concentration
  // and the segment sums, so the look-aside decision (count, target ends) and the segment adder
  // trees are in different cycles and the accumulate stage's ready stops at the buffer instead of
  // running into the Concentration's queue update. Each lane's segment comes with the beat (from
  // the Concentration's registers) and is cut to the beat's size before the buffer, so the
  // segment sums start at this buffer.
  m.wire("conc_lanes", segs * l, "lane k of the beat is in segment s, at [s*lanes + k]");
  for (int s = 0; s < segs; ++s)
    for (int k = 0; k < l; ++k)
      m.assign(bit("conc_lanes", s * l + k),
               fmt::format("(conc_count > {}) & {}", lit(lb, static_cast<uint64_t>(k)),
                           bit("conc_seg", s * l + k)));
  m.wire("beat_valid", 1);
  m.wire("beat_ready", 1);
  m.wire("beat_all", beat_bits, "{target ends, elements, segment lanes}");
  m.instance(beat_skid, "u_beat",
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
  m.assign("beat_last", slice("beat_all", beat_bits - 1, segs * l + l * eb));

  // Segment sums: lane k belongs to segment s (s target ends before it) when it is in the beat.
  std::vector<std::string> s1_sum, s1_tag, s1_pe;
  for (int s = 0; s < segs; ++s) {
    const std::string in_s = fmt::format("in_seg{}", s);
    m.wire(in_s, l, fmt::format("lanes of segment {}", s));
    std::vector<std::string> tag_terms, pe_terms, masked;
    for (int k = l - 1; k >= 0; --k)
      masked.push_back(fmt::format("({{{}{{{}}}}} & {})", sb, m.select(in_s, k),
                                   slice("beat_data", k * eb + sb - 1, k * eb)));
    m.assign(in_s, slice("beat_lanes", s * l + l - 1, s * l));
    for (int k = 0; k < l; ++k) {
      const std::string start =
          k == 0 ? m.select(in_s, 0)
                 : fmt::format("{} & {}", m.select(in_s, k), m.select("beat_last", k - 1));
      tag_terms.push_back(fmt::format("({{{}{{{}}}}} & {})", tag_bits, start,
                                      slice("beat_data", k * eb + sb + tag_bits - 1, k * eb + sb)));
      pe_terms.push_back(fmt::format("({} & {} & {})", m.select(in_s, k), m.select("beat_last", k),
                                     bit("beat_data", k * eb + eb - 1)));
    }
    const std::string sum = fmt::format("seg_sum{}", s);
    m.wire(sum, sum_bits);
    m.instance(tree, fmt::format("u_tree{}", s), {{"in", cat(masked)}, {"sum", sum}});
    auto join = [](const std::vector<std::string>& v, const char* op) {
      std::string r;
      for (const auto& t : v) r += (r.empty() ? "" : op) + t;
      return r;
    };
    const std::string tg = fmt::format("seg_tag{}", s), pe = fmt::format("seg_pe{}", s);
    m.wire(tg, tag_bits);
    m.assign(tg, join(tag_terms, " | "));
    m.wire(pe, 1);
    m.assign(pe, join(pe_terms, " | "));
    s1_sum.push_back(m.reg(fmt::format("s1_sum{}", s), sum_bits, sum, "beat_take"));
    s1_tag.push_back(m.reg(fmt::format("s1_tag{}", s), tag_bits, tg, "beat_take"));
    s1_pe.push_back(m.reg(fmt::format("s1_pe{}", s), 1, pe, "beat_take"));
  }
  m.wire("beat_present", segs, "segments of the incoming beat with at least one lane");
  for (int s = 0; s < segs; ++s)
    m.assign(m.select("beat_present", s), "|" + fmt::format("in_seg{}", s));
  m.wire("beat_take", 1, "the segment register loads a beat");
  m.wire("s1_take", 1, "the segment register's record is finished");
  m.assign("beat_ready", "~s1_v | s1_take");
  m.assign("beat_take", "beat_valid & beat_ready");
  m.reg("s1_v", 1, "beat_take | (s1_v & ~s1_take)", "", lit(1, 0), "a beat's segments are held");

  // Accumulate. `active` (registered): the held beat's segments not yet applied. A cycle applies
  // them up to and including the first pixel end; the segments after it start the next pixel's
  // Z in the same cycle when no other pixel end follows (`tail`), else they wait for the next
  // cycle (a beat with two pixel ends takes two cycles, the second clearing the segments the
  // first applied).
  m.reg("active", segs, "beat_take ? beat_present : active & ~apply",
        "beat_take | (s2_go & any_pe & more)", lit(segs, 0),
        "segments of the held beat not yet applied");
  m.wire("pe_act", segs);
  for (int s = 0; s < segs; ++s)
    m.assign(m.select("pe_act", s), fmt::format("{} & s1_pe{}", m.select("active", s), s));
  m.wire("any_pe", 1);
  m.assign("any_pe", "|pe_act");
  m.wire("apply", segs, "segments applied this cycle: up to and including the first pixel end");
  for (int s = 0; s < segs; ++s)
    m.assign(m.select("apply", s),
             s == 0 ? m.select("active", 0)
                    : fmt::format("{} & ~|{}", m.select("active", s),
                                  s == 1 ? m.select("pe_act", 0) : slice("pe_act", s - 1, 0)));
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
  // Segment s's sum, sign-extended, when its `mask` bit is set and its tag is basis j.
  auto tagged_term = [&](const std::string& term, const std::string& mask_bit, int s, int j) {
    m.wire(term, zb);
    const std::string hit =
        fmt::format("{} & (s1_tag{} == {})", mask_bit, s, lit(tag_bits, static_cast<uint64_t>(j)));
    m.assign(term, fmt::format("{{{}{{{}}}}} & {}", zb, hit,
                               sext(s1_sum[static_cast<size_t>(s)], sum_bits, zb)));
    return term;
  };
  std::vector<std::string> zq;
  for (int j = md - 1; j >= 0; --j) {
    const std::string zn = fmt::format("z_next{}", j), acc = fmt::format("z_acc{}", j);
    std::string sum = acc;
    for (int s = 0; s < segs; ++s)
      sum += " + " + tagged_term(fmt::format("z_term{}_s{}", j, s), m.select("apply", s), s, j);
    m.wire(zn, zb, fmt::format("Z[{}] with this cycle's segments", j));
    m.assign(zn, sum);
    // The next pixel's start: its segments of this beat.
    std::string start;
    for (int s = 1; s < segs; ++s)
      start += (start.empty() ? "" : " + ") +
               tagged_term(fmt::format("z_tail{}_s{}", j, s), m.select("tail", s - 1), s, j);
    std::string restart = lit(zb, 0);
    if (!start.empty()) {
      restart = fmt::format("z_start{}", j);
      m.wire(restart, zb, fmt::format("Z[{}] of the next pixel from this beat's tail", j));
      m.assign(restart, start);
    }
    m.reg(acc, zb, fmt::format("any_pe ? {} : {}", restart, zn), "s2_go", lit(zb, 0),
          fmt::format("Z[{}] of the pixel so far", j));
    zq.push_back(zn);
  }
  m.reg("out_valid_q", 1, "(s2_go & any_pe) | (out_valid_q & ~out_ready)", "", lit(1, 0));
  m.reg("out_z_q", md * zb, cat(zq), "s2_go & any_pe");
  m.assign("out_valid", "out_valid_q");
  m.assign("out_z", "out_z_q");
  m.assign("stat_stall", "s1_v & any_pe & ~z_free");
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
