// Dilution generator and model (see dilution.h).
//
//   act [0 7 3 5], act_mask 0b1110, coef_mask 0b1011, sign 0b1000
//   -> match 0b1010, signed lanes [. +7 . -5] -> bit-gather -> out [7 -5 0 -5], count 2
//   (the lanes past the count are not cleared: the consumer reads out_count lanes).
//   The gather's output register loads on every clock, so a drain buffer behind it holds the
//   items the consumer does not take (in_ready registered; no item lost).
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

std::string build_dilution(netlist::Design& design, const DilutionParams& p) {
  if (p.row_width < 2 || !is_pow2(static_cast<uint64_t>(p.row_width)))
    throw InternalError(
        fmt::format("dilution: row_width {} is not a power of two >= 2", p.row_width));
  if (p.act_bits < 1) throw InternalError("dilution: act_bits must be >= 1");
  if (p.coef_bits != 2)
    throw InternalError(fmt::format(
        "dilution: coef_bits {}: only ternary coefficients (2) are supported; wider ones need a "
        "multiplier per lane",
        p.coef_bits));
  const int n = p.row_width, b = p.act_bits, sb = b + 1;
  if (p.side_bits < 1) throw InternalError("dilution: side_bits must be >= 1");
  const int side = p.side_bits;
  const int mw = p.with_mask ? n : 0;  // stored mask bits
  const std::string name = fmt::format("escgen_dilution_n{}_b{}{}{}{}", n, b,
                                       side == 1 ? std::string() : fmt::format("_s{}", side),
                                       p.with_mask ? "" : "_nm", p.with_act_mask ? "" : "_pm");
  if (design.has(name)) return name;
  const int cbits = bits_for(static_cast<uint64_t>(n));
  const int data_w = n * sb, payload_w = side + cbits + mw + data_w;
  const std::string gather = build_bit_gather(
      design, {.width = n, .data_bits = sb, .with_mask = p.with_mask, .clear_tail = false});
  const std::string drain = build_drain_buffer(design, {.data_bits = payload_w});

  Module m(name, fmt::format("dilution: match, sign and compact a {} x {}-bit chunk", n, b));
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("in_valid", 1);
  m.output("in_ready", 1, "registered");
  if (p.with_act_mask) m.input("in_act_mask", n, "non-zero activations");
  m.input("in_act", n * b, "dense chunk (unsigned), lane i at [i*act_bits +: act_bits]");
  m.input("in_coef_mask", n,
          p.with_act_mask ? "non-zero coefficients of basis j"
                          : "the match: non-zero coefficients of basis j and non-zero activations");
  m.input("in_sign_mask", n, "1 = coefficient -1");
  m.input("in_last", side,
          side == 1 ? "last chunk of the pixel (passed through)" : "side payload (passed through)");
  m.output("out_valid", 1);
  m.input("out_ready", 1);
  m.output("out_count", cbits, "matched lanes");
  if (p.with_mask) m.output("out_mask", n, "first out_count lanes set");
  m.output("out_data", data_w,
           "signed matched values at the head, then zeros or copies of them (all zero when "
           "nothing matched)");
  m.output("out_last", side);

  m.wire("match", n, "activation and coefficient both non-zero");
  m.assign("match", p.with_act_mask ? "in_act_mask & in_coef_mask" : "in_coef_mask");
  // Conditional negation per lane: (x ^ {sb{s}}) + s on the zero-extended value (no multiplier).
  m.wire("signed_act", data_w, "activations with the coefficient signs applied");
  for (int k = 0; k < n; ++k) {
    const std::string s = bit("in_sign_mask", k);
    m.assign(lane("signed_act", k, sb),
             fmt::format("({{{}{{{}}}}} ^ {}) + {}", sb, s, cat({lit(1, 0), lane("in_act", k, b)}),
                         cat({lit(b, 0), s})));
  }
  m.wire("can_accept", 1, "the drain buffer has room for one more chunk");
  m.wire("take", 1, "a chunk enters the bit-gather");
  m.assign("take", "in_valid & can_accept");
  m.assign("in_ready", "can_accept");

  m.wire("gather_valid", 1);
  m.wire("gather_count", cbits);
  if (p.with_mask) m.wire("gather_mask", n);
  m.wire("gather_data", data_w);
  std::vector<std::pair<std::string, std::string>> gather_conns = {{"clk", "clk"},
                                                                   {"rst_n", "rst_n"},
                                                                   {"in_valid", "take"},
                                                                   {"in_mask", "match"},
                                                                   {"in_data", "signed_act"},
                                                                   {"out_valid", "gather_valid"},
                                                                   {"out_count", "gather_count"},
                                                                   {"out_data", "gather_data"}};
  if (p.with_mask) gather_conns.emplace_back("out_mask", "gather_mask");
  m.instance(gather, "u_gather", std::move(gather_conns));
  // Delayed like the gather's output register (which loads on every clock).
  m.reg("last_q", side, "in_last", "", {},
        "last flag of the chunk in the gather's output register");

  m.wire("buffered", payload_w, "{last, count, mask, values}");
  m.instance(
      drain, "u_drain",
      {{"clk", "clk"},
       {"rst_n", "rst_n"},
       {"in_valid", "gather_valid"},
       {"in_data", p.with_mask ? cat({"last_q", "gather_count", "gather_mask", "gather_data"})
                               : cat({"last_q", "gather_count", "gather_data"})},
       {"out_valid", "out_valid"},
       {"out_ready", "out_ready"},
       {"out_data", "buffered"},
       {"can_accept", "can_accept"}});
  m.assign("out_data", slice("buffered", data_w - 1, 0));
  if (p.with_mask) m.assign("out_mask", slice("buffered", data_w + n - 1, data_w));
  m.assign("out_count", slice("buffered", data_w + mw + cbits - 1, data_w + mw));
  m.assign("out_last", slice("buffered", payload_w - 1, payload_w - side));
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

}  // namespace escgen::blocks
