// Dilution generator and model (see dilution.h): parameter checks and widths, the ports, the
// match and sign stage, the bit-gathers and the drain buffer, assembled in order; then the model.
//
//   act [0 7 3 5], act_mask 0b1110, coef_mask 0b1011, sign 0b1000
//   -> match 0b1010, signed lanes [. +7 . -5] -> bit-gather -> out [7 -5 0 -5], count 2
//   (the lanes past the count are not cleared: the consumer reads out_count lanes).
//   The gather's output register loads on every clock, so a drain buffer behind it holds the
//   items the consumer does not take (in_ready registered; no item lost).
//   With gather_lanes 2 the same chunk is two parts: [. +7 | . -5] -> out [7 x | -5 x],
//   counts [1 1].
#include "blocks/dilution.h"

#include <fmt/format.h>

#include "blocks/bit_gather.h"
#include "blocks/drain_buffer.h"
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

namespace {

// The widths of the block, derived once from the parameters.
struct Shape {
  int n, b, sb;   // lanes, activation bits, signed value bits
  int side;       // side payload bits
  int g, parts;   // lanes per bit-gather, gathers
  int mw;         // stored mask bits
  int cbits, cw;  // one part's count, all counts
  int tw;         // the counts' sum (parts > 1)
  int data_w, payload_w;
};

Shape shape_of(const DilutionParams& p) {
  if (p.row_width < 2 || !is_pow2(static_cast<uint64_t>(p.row_width)))
    throw InternalError(
        fmt::format("dilution: row_width {} is not a power of two >= 2", p.row_width));
  if (p.act_bits < 1) throw InternalError("dilution: act_bits must be >= 1");
  if (p.coef_bits != 2)
    throw InternalError(fmt::format(
        "dilution: coef_bits {}: only ternary coefficients (2) are supported; wider ones need a "
        "multiplier per lane",
        p.coef_bits));
  Shape s{};
  s.n = p.row_width, s.b = p.act_bits, s.sb = s.b + 1;
  if (p.side_bits < 1) throw InternalError("dilution: side_bits must be >= 1");
  s.side = p.side_bits;
  s.g = p.gather_lanes == 0 ? s.n : p.gather_lanes;
  if (s.g < 2 || s.g > s.n || !is_pow2(static_cast<uint64_t>(s.g)))
    throw InternalError(
        fmt::format("dilution: gather_lanes {} is not 0 or a power of two in 2..row_width ({})",
                    p.gather_lanes, s.n));
  s.parts = s.n / s.g;
  s.mw = p.with_mask ? s.n : 0;
  s.cbits = bits_for(static_cast<uint64_t>(s.g));
  s.cw = s.parts * s.cbits;
  s.tw = s.parts == 1 ? 0 : bits_for(static_cast<uint64_t>(s.n));
  s.data_w = s.n * s.sb, s.payload_w = s.side + s.tw + s.cw + s.mw + s.data_w;
  return s;
}

void add_ports(Module& m, const DilutionParams& p, const Shape& s) {
  const int n = s.n, parts = s.parts;
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("in_valid", 1);
  m.output("in_ready", 1, "registered");
  if (p.with_act_mask) m.input("in_act_mask", n, "non-zero activations");
  m.input("in_act", n * s.b, "dense chunk (unsigned), lane i at [i*act_bits +: act_bits]");
  m.input("in_coef_mask", n,
          p.with_act_mask ? "non-zero coefficients of basis j"
                          : "the match: non-zero coefficients of basis j and non-zero activations");
  m.input("in_sign_mask", n, "1 = coefficient -1");
  m.input(
      "in_last", s.side,
      s.side == 1 ? "last chunk of the pixel (passed through)" : "side payload (passed through)");
  m.output("out_valid", 1);
  m.input("out_ready", 1);
  m.output("out_count", s.cw,
           parts == 1
               ? "matched lanes"
               : fmt::format("per part: matched lanes, part t at [t*{} +: {}]", s.cbits, s.cbits));
  if (parts > 1) m.output("out_total", s.tw, "matched lanes of all parts (the sum of out_count's)");
  if (p.with_mask)
    m.output("out_mask", n,
             parts == 1 ? "first out_count lanes set" : "per part: first count lanes set");
  m.output("out_data", s.data_w,
           parts == 1 ? "signed matched values at the head, then zeros or copies of them (all "
                        "zero when nothing matched)"
                      : fmt::format("per part of {} lanes: signed matched values at its head, then "
                                    "zeros or copies of them",
                                    s.g));
  m.output("out_last", s.side);
}

// The match and the signed lanes, and the handshake into the bit-gather.
void add_match_and_sign(Module& m, const DilutionParams& p, const Shape& s) {
  const int sb = s.sb;
  m.wire("match", s.n, "activation and coefficient both non-zero");
  m.assign("match", p.with_act_mask ? "in_act_mask & in_coef_mask" : "in_coef_mask");
  // Conditional negation per lane: (x ^ {sb{s}}) + s on the zero-extended value (no multiplier).
  m.wire("signed_act", s.data_w, "activations with the coefficient signs applied");
  for (int k = 0; k < s.n; ++k) {
    const std::string sg = bit("in_sign_mask", k);
    m.assign(lane("signed_act", k, sb),
             fmt::format("({{{}{{{}}}}} ^ {}) + {}", sb, sg,
                         cat({lit(1, 0), lane("in_act", k, s.b)}), cat({lit(s.b, 0), sg})));
  }
  m.wire("can_accept", 1, "the drain buffer has room for one more chunk");
  m.wire("take", 1, "a chunk enters the bit-gather");
  m.assign("take", "in_valid & can_accept");
  m.assign("in_ready", "can_accept");
}

// One bit-gather per part (lanes [t*g, (t+1)*g)), all loading on the same clock, and the side
// payload delayed with them.
void add_gathers(Module& m, const DilutionParams& p, const Shape& s, const std::string& gather) {
  const int g = s.g, parts = s.parts;
  m.wire("gather_valid", 1);
  m.wire("gather_count", s.cw);
  if (p.with_mask) m.wire("gather_mask", s.n);
  m.wire("gather_data", s.data_w);
  for (int t = 0; t < parts; ++t) {
    const auto part = [&](const std::string& v, int w) { return slice(v, (t + 1) * w - 1, t * w); };
    std::string valid = "gather_valid";
    if (t > 0) {  // every part loads on the same clock: one valid is enough
      valid = fmt::format("gather_valid_unused{}", t);
      m.wire(valid, 1, "equal to gather_valid");
    }
    std::vector<std::pair<std::string, std::string>> conns = {
        {"clk", "clk"},
        {"rst_n", "rst_n"},
        {"in_valid", "take"},
        {"in_mask", parts == 1 ? "match" : part("match", g)},
        {"in_data", parts == 1 ? "signed_act" : part("signed_act", g * s.sb)},
        {"out_valid", valid},
        {"out_count", parts == 1 ? "gather_count" : part("gather_count", s.cbits)},
        {"out_data", parts == 1 ? "gather_data" : part("gather_data", g * s.sb)}};
    if (p.with_mask)
      conns.emplace_back("out_mask", parts == 1 ? "gather_mask" : part("gather_mask", g));
    m.instance(gather, parts == 1 ? "u_gather" : fmt::format("u_gather{}", t), std::move(conns));
  }
  // Delayed like the gather's output register (which loads on every clock).
  m.reg("last_q", s.side, "in_last", "", {},
        "last flag of the chunk in the gather's output register");
}

// The drain buffer after the gathers (with the parts' sum) and the outputs from it.
void add_drain(Module& m, const DilutionParams& p, const Shape& s, const std::string& drain) {
  const int data_w = s.data_w, mw = s.mw, cw = s.cw, tw = s.tw, payload_w = s.payload_w;
  if (s.parts > 1) {  // the parts' sum, added beside the butterflies (after the prefix counts)
    std::vector<std::pair<std::string, int>> counts;
    for (int t = 0; t < s.parts; ++t)
      counts.emplace_back(lane("gather_count", t, s.cbits), s.cbits);
    m.wire("gather_total", tw, "matched lanes of all parts");
    m.assign("gather_total", netlist::zext_sum(counts, tw));
  }
  std::vector<std::string> buffer_fields = {"last_q"};
  if (s.parts > 1) buffer_fields.push_back("gather_total");
  buffer_fields.push_back("gather_count");
  if (p.with_mask) buffer_fields.push_back("gather_mask");
  buffer_fields.push_back("gather_data");
  m.wire("buffered", payload_w,
         s.parts > 1 ? "{last, total, counts, mask, values}" : "{last, count, mask, values}");
  m.instance(drain, "u_drain",
             {{"clk", "clk"},
              {"rst_n", "rst_n"},
              {"in_valid", "gather_valid"},
              {"in_data", cat(buffer_fields)},
              {"out_valid", "out_valid"},
              {"out_ready", "out_ready"},
              {"out_data", "buffered"},
              {"can_accept", "can_accept"}});
  m.assign("out_data", slice("buffered", data_w - 1, 0));
  if (p.with_mask) m.assign("out_mask", slice("buffered", data_w + s.n - 1, data_w));
  m.assign("out_count", slice("buffered", data_w + mw + cw - 1, data_w + mw));
  if (s.parts > 1)
    m.assign("out_total", slice("buffered", data_w + mw + cw + tw - 1, data_w + mw + cw));
  m.assign("out_last", slice("buffered", payload_w - 1, payload_w - s.side));
}

}  // namespace

std::string build_dilution(netlist::Design& design, const DilutionParams& p) {
  const Shape s = shape_of(p);
  const std::string name = fmt::format("escgen_dilution_n{}_b{}{}{}{}{}", s.n, s.b,
                                       s.side == 1 ? std::string() : fmt::format("_s{}", s.side),
                                       p.with_mask ? "" : "_nm", p.with_act_mask ? "" : "_pm",
                                       s.parts == 1 ? std::string() : fmt::format("_g{}", s.g));
  if (design.has(name)) return name;
  const std::string gather = build_bit_gather(
      design, {.width = s.g, .data_bits = s.sb, .with_mask = p.with_mask, .clear_tail = false});
  const std::string drain = build_drain_buffer(design, {.data_bits = s.payload_w});
  Module m(name, fmt::format("dilution: match, sign and compact a {} x {}-bit chunk{}", s.n, s.b,
                             s.parts == 1 ? std::string()
                                          : fmt::format(" as {} parts of {} lanes", s.parts, s.g)));
  add_ports(m, p, s);
  add_match_and_sign(m, p, s);
  add_gathers(m, p, s, gather);
  add_drain(m, p, s, drain);
  design.add(std::move(m));
  return name;
}

DilutionResult dilution_model(std::span<const uint8_t> act_mask, std::span<const uint64_t> act,
                              std::span<const uint8_t> coef_mask,
                              std::span<const uint8_t> sign_mask) {
  const size_t n = act.size();
  if (act_mask.size() != n || coef_mask.size() != n || sign_mask.size() != n)
    throw InternalError("dilution_model: masks and activations differ in length");
  DilutionResult r;
  r.data.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (!act_mask[i] || !coef_mask[i]) continue;
    const auto x = static_cast<int64_t>(act[i]);
    r.data[static_cast<size_t>(r.count++)] = sign_mask[i] ? -x : x;
  }
  return r;
}

std::vector<DilutionResult> dilution_parts_model(std::span<const uint8_t> act_mask,
                                                 std::span<const uint64_t> act,
                                                 std::span<const uint8_t> coef_mask,
                                                 std::span<const uint8_t> sign_mask,
                                                 int gather_lanes) {
  const size_t n = act.size(), g = gather_lanes == 0 ? n : static_cast<size_t>(gather_lanes);
  if (g == 0 || n % g != 0)
    throw InternalError("dilution_parts_model: gather_lanes does not divide the lanes");
  std::vector<DilutionResult> parts;
  for (size_t t = 0; t < n; t += g)
    parts.push_back(dilution_model(act_mask.subspan(t, g), act.subspan(t, g),
                                   coef_mask.subspan(t, g), sign_mask.subspan(t, g)));
  return parts;
}

}  // namespace escgen::blocks
