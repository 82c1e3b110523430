// CA unit issue side (see ca_unit_shape.h): the issue buffer (a skid buffer) after the chunk
// stage, one Dilution unit per issued vector in lockstep (unit 0's handshake), and the
// Concentration taking their vectors together; every element carries {pe, tag, value} and every
// vector is one segment.
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "blocks/ca_unit_shape.h"
#include "netlist/expr.h"
#include "util/bits.h"

namespace escgen::blocks::ca_detail {
namespace {

using netlist::bit;
using netlist::cat;
using netlist::lane;
using netlist::lit;
using netlist::Module;
using netlist::slice;

using Conns = std::vector<std::pair<std::string, std::string>>;

// Issue payload: {per vector q from ni-1 down to 0: [valid (q > 0)], pe, tag, sign, match
// (coefficient mask & activation mask, found before the buffer); then act}.
void add_issue_buffer(Module& m, const Shape& s, const Parts& parts) {
  const int n = s.n;
  std::vector<std::string> payload;
  for (int q = s.ni - 1; q >= 0; --q) {
    if (q > 0) payload.push_back(fmt::format("vld{}", q));
    for (const char* f : {"pe", "tag"}) payload.push_back(per_vector(s, f, q));
    const std::string sc = per_vector(s, "sel_coef", q), sm = per_vector(s, "sel_match", q);
    m.wire(sm, 2 * n, "{sign, match}: the picked basis's mask & the chunk's activation mask");
    m.assign(sm,
             cat({slice(sc, 2 * n - 1, n), fmt::format("{} & chunk_mask", slice(sc, n - 1, 0))}));
    payload.push_back(sm);
  }
  payload.push_back("chunk_act");
  m.wire("iss_valid", 1);
  m.wire("iss_data", s.issue_w);
  m.wire("dil_ready", 1);
  m.instance(parts.skid, "u_issue",
             {{"clk", "clk"},
              {"rst_n", "rst_n"},
              {"in_valid", "issue"},
              {"in_ready", "iss_ready"},
              {"in_data", cat(payload)},
              {"out_valid", "iss_valid"},
              {"out_ready", "dil_ready"},
              {"out_data", "iss_data"}});
}

// The issue buffer's output fields, from bit 0 up.
struct Fields {
  int pos = 0;
  std::string next(int w) {
    const std::string f = slice("iss_data", pos + w - 1, pos);
    pos += w;
    return f;
  }
};

// The Concentration's inputs, one entry per vector part (the first is the last part).
struct ConcInputs {
  std::vector<std::string> counts, datas, lasts, totals;
};

// Dilution unit q on its payload fields. (The Dilution's match is the payload's: no activation
// mask input.)
void add_dilution_unit(Module& m, const Shape& s, const Parts& parts, int q,
                       const std::string& f_act, Fields& fields, ConcInputs& in) {
  const int n = s.n, side = q == 0 ? s.side : s.side + 1;
  const std::string f_cmask = fields.next(n), f_sign = fields.next(n), f_side = fields.next(side);
  const std::string cnt = per_vector(s, "dil_count", q), dat = per_vector(s, "dil_data", q),
                    sd = per_vector(s, "dil_side", q), tot = per_vector(s, "dil_total", q);
  m.wire(cnt, s.parts * s.cbits, s.parts == 1 ? "" : "per part: matched lanes");
  if (s.parts > 1) {
    m.wire(tot, bits_for(static_cast<uint64_t>(n)), "matched lanes of all parts");
    in.totals.insert(in.totals.begin(), tot);
  }
  m.wire(dat, n * s.sb);
  m.wire(sd, side, q == 0 ? "{end of pixel, tag}" : "{valid, end of pixel, tag}");
  std::string vin = "dil_valid", rin = "dil_ready";
  if (q > 0) {  // lockstep with unit 0: its handshake outputs are not needed
    vin = fmt::format("dil_valid_unused{}", q);
    rin = fmt::format("dil_ready_unused{}", q);
    m.wire(vin, 1, "equal to dil_valid");
    m.wire(rin, 1, "equal to dil_ready");
  }
  Conns conns = {{"clk", "clk"},
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
  if (s.parts > 1) conns.emplace_back("out_total", tot);
  m.instance(q == 0 ? parts.dil : parts.dil_v,
             s.ni == 1 ? "u_dilution" : fmt::format("u_dilution{}", q), std::move(conns));
}

// Vector q's elements {pe, tag, value} and its parts as Concentration inputs. Of a vector's
// parts, the last non-empty one ends the segment (part 0 when all are empty: it appends the
// one-element end marker).
void add_vector_parts(Module& m, const Shape& s, int q, ConcInputs& in) {
  const int n = s.n, eb = s.eb, cbits = s.cbits;
  const std::string cnt = per_vector(s, "dil_count", q), dat = per_vector(s, "dil_data", q),
                    sd = per_vector(s, "dil_side", q), el = per_vector(s, "elems", q);
  m.wire(el, n * eb);
  const std::string pe_tag = q == 0 ? sd : slice(sd, s.side - 1, 0);
  for (int k = 0; k < n; ++k) m.assign(lane(el, k, eb), cat({pe_tag, lane(dat, k, s.sb)}));
  const std::string ends = q == 0 ? lit(1, 1) : bit(sd, s.side);
  for (int t = 0; t < s.parts; ++t) {
    in.counts.insert(in.counts.begin(), s.parts == 1 ? cnt : lane(cnt, t, cbits));
    in.datas.insert(in.datas.begin(), s.parts == 1 ? el : lane(el, t, s.g * eb));
    if (s.parts == 1) {
      in.lasts.insert(in.lasts.begin(), ends);
      continue;
    }
    std::string last = t == 0 ? ends : fmt::format("{} & (|{})", ends, lane(cnt, t, cbits));
    for (int u = t + 1; u < s.parts; ++u) last += fmt::format(" & ~(|{})", lane(cnt, u, cbits));
    const std::string lw = fmt::format("{}_p{}", per_vector(s, "dil_ends", q), t);
    m.wire(lw, 1, fmt::format("part {} ends the vector's segment", t));
    m.assign(lw, last);
    in.lasts.insert(in.lasts.begin(), lw);
  }
}

void add_concentration(Module& m, const Shape& s, const Parts& parts, const ConcInputs& in) {
  m.wire("conc_valid", 1);
  m.wire("conc_ready", 1);
  m.wire("conc_count", s.lb);
  m.wire("conc_data", s.l * s.eb);
  m.wire("conc_last", s.l);
  m.wire("conc_seg", s.segs * s.l);
  Conns conns = {{"clk", "clk"},
                 {"rst_n", "rst_n"},
                 {"in_valid", "dil_valid"},
                 {"in_ready", "dil_ready_out"},
                 {"in_count", cat(in.counts)},
                 {"in_data", cat(in.datas)},
                 {"in_last", cat(in.lasts)},
                 {"out_valid", "conc_valid"},
                 {"out_ready", "conc_ready"},
                 {"out_count", "conc_count"},
                 {"out_data", "conc_data"},
                 {"out_last", "conc_last"},
                 {"out_seg", "conc_seg"}};
  if (s.parts > 1) conns.emplace_back("in_total", cat(in.totals));
  m.instance(parts.conc, "u_concentration", std::move(conns));
}

}  // namespace

void add_dilution_side(Module& m, const Shape& s, const Parts& parts) {
  add_issue_buffer(m, s, parts);
  Fields fields;
  const std::string f_act = fields.next(s.n * s.b);
  m.wire("dil_valid", 1);
  m.wire("dil_ready_out", 1);
  ConcInputs in;
  for (int q = 0; q < s.ni; ++q) {
    add_dilution_unit(m, s, parts, q, f_act, fields, in);
    add_vector_parts(m, s, q, in);
  }
  add_concentration(m, s, parts, in);
}

}  // namespace escgen::blocks::ca_detail
