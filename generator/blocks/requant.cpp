// Requantisation pipeline generator and model (see requant.h): the widths, the ports, and the
// stages in order (A: bias add into the skid buffer, B/P: the product, C: round and clamp).
//
// Rounding without a wide adder: with P = sum * M and S > 0,
//   r = floor((P + 2^(S-1)) / 2^S) = q + rnd,  q = P >>> S,  rnd = P[S-1]
// (write P = q 2^S + rem: adding 2^(S-1) carries into q exactly when rem >= 2^(S-1), i.e. when
// bit S-1 is set). One arithmetic shift of {P, 0} by S yields both: bits [pw:1] are q and bit 0
// is rnd (0 when S = 0). The clamp needs only r's sign (q < 0, except q = -1 with rnd = 1 gives
// 0), whether r >= 2^act_bits (q's bits above act_bits, or q = 2^act_bits - 1 with rnd = 1) and
// r's act_bits low bits (an act_bits-wide increment). q + rnd never overflows: rnd = 1 needs
// S >= 1, and then |q| <= 2^(pw-2). Raw items go through the same datapath with M = 1, S = 0,
// so q is then the sum itself and only the clamp is bypassed.
//
//   stage A (skid buffer): sum = acc + bias, M' = mode ? M : 1, S' = mode ? S : 0
//   stage B: sum * M' as two carry-save rows (partial products, 3:2 compressors)
//   stage P: P = the rows' sum    stage C: r = (P >>> S') + P[S'-1]; out = mode ? clamp(r) : r
#include "blocks/requant.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "blocks/mac_unit_parts.h"
#include "blocks/stream.h"
#include "config/config.h"
#include "model/golden.h"
#include "netlist/arith.h"
#include "netlist/expr.h"
#include "util/error.h"

namespace escgen::blocks {
namespace {

using netlist::bit;
using netlist::cat;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

void check_range(const char* what, int v, int lo, int hi) {
  if (v < lo || v > hi)
    throw InternalError(fmt::format("requant: {} = {} outside {} .. {}", what, v, lo, hi));
}

// The widths of the pipeline, derived once from the parameters.
struct Shape {
  int ab, bb;  // accumulator, bias bits
  int sb;      // the exact sum acc + bias
  int mb, qb;  // multiplier, activation bits
  int pw;      // signed product: |sum| <= 2^(sb-1), M < 2^mb
  int ow;      // out_data
  int hb;      // S in 0 .. 62 (63 is outside the contract)
  int pa;      // stage A payload {mode, S', M', sum}
};

Shape shape_of(const RequantParams& p) {
  Shape s{};
  s.ab = p.acc_bits, s.bb = p.bias_bits;
  s.sb = requant_sum_bits(p), s.mb = p.mult_bits, s.qb = p.act_bits;
  s.pw = s.sb + s.mb;
  s.ow = requant_out_bits(p);
  s.hb = kShiftBits;
  s.pa = 1 + s.hb + s.mb + s.sb;
  return s;
}

void add_ports(Module& m, const Shape& s) {
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("in_valid", 1);
  m.output("in_ready", 1, "registered");
  m.input("in_acc", s.ab, "signed accumulator");
  m.input("in_bias", s.bb, "signed bias");
  m.input("in_mult", s.mb, "unsigned multiplier M");
  m.input("in_shift", s.hb, "right shift S, 0 .. 62");
  m.input("in_mode", 1, "1: requant_relu, 0: raw");
  m.output("out_valid", 1, "registered");
  m.input("out_ready", 1);
  m.output("out_data", s.ow, "raw: sum (signed); requant_relu: activation (unsigned), registered");
}

// Stage A: bias add and raw-mode operands, registered in the input skid buffer; the stages'
// load enables.
void add_stage_a(Module& m, const Shape& s, const std::string& skid) {
  const int sb = s.sb, mb = s.mb;
  m.wire("sum", sb, "acc + bias, exact");
  m.assign("sum", fmt::format("{} + {}", sext("in_acc", s.ab, sb), sext("in_bias", s.bb, sb)));
  m.wire("a_in", s.pa);
  m.assign("a_in", cat({"in_mode", fmt::format("in_mode ? in_shift : {}", lit(s.hb, 0)),
                        fmt::format("in_mode ? in_mult : {}", lit(mb, 1)), "sum"}));
  m.wire("a_valid", 1);
  m.wire("a_data", s.pa);
  m.wire("en_b", 1, "stage B loads: empty or its item moves on");
  m.wire("en_p", 1, "stage P loads: empty or its item moves on");
  m.wire("en_c", 1, "stage C loads: empty or its item is taken");
  m.instance(skid, "u_in",
             {{"clk", "clk"},
              {"rst_n", "rst_n"},
              {"in_valid", "in_valid"},
              {"in_ready", "in_ready"},
              {"in_data", "a_in"},
              {"out_valid", "a_valid"},
              {"out_ready", "en_b"},
              {"out_data", "a_data"}});
  m.wire("a_sum", sb);
  m.wire("a_mult", mb);
  m.assign("a_sum", slice("a_data", sb - 1, 0));
  m.assign("a_mult", slice("a_data", sb + mb - 1, sb));
  m.assign("en_c", "~c_valid | out_ready");
  m.assign("en_p", "~p_valid | en_c");
  m.assign("en_b", "~b_valid | en_p");
}

// Stage B: the product's partial-product rows reduced carry-save to two rows; stage P: their
// sum. (A `*` would be mapped by Yosys as an array of chained adders, one stage deep.)
void add_product(Module& m, const Shape& s) {
  const int sb = s.sb, mb = s.mb, pw = s.pw, hb = s.hb;
  m.wire("a_sum_x", pw, "sum sign-extended to the product width");
  m.assign("a_sum_x", sext("a_sum", sb, pw));
  std::vector<std::string> rows = netlist::carry_save_reduce(
      m, "mul", netlist::partial_products(m, "mul", "a_sum_x", "a_mult", mb, pw), pw);
  if (rows.size() == 1) rows.push_back(lit(pw, 0));
  m.reg("b_valid", 1, "a_valid", "en_b", lit(1, 0));
  m.reg("b_ps", pw, rows[0], "en_b", {}, "carry-save product, first row");
  m.reg("b_pc", pw, rows[1], "en_b", {}, "carry-save product, second row");
  m.reg("b_shift", hb, slice("a_data", sb + mb + hb - 1, sb + mb), "en_b");
  m.reg("b_mode", 1, bit("a_data", s.pa - 1), "en_b");
  m.reg("p_valid", 1, "b_valid", "en_p", lit(1, 0));
  m.reg("p_prod", pw, "b_ps + b_pc", "en_p", {}, "sum x M', exact");
  m.reg("p_shift", hb, "b_shift", "en_p");
  m.reg("p_mode", 1, "b_mode", "en_p");
}

// Stage C: rounding shift and clamp. r = q + rnd is never formed at full width: its sign and
// its overflow past act_bits follow from q and rnd, and only act_bits low bits are added.
void add_round_clamp(Module& m, const Shape& s) {
  const int pw = s.pw, qb = s.qb, sb = s.sb, ow = s.ow;
  m.wire("shifted", pw + 1, "{P, 0} >>> S: [pw:1] = q = P >>> S, [0] = rnd = P[S-1]");
  m.assign("shifted", "$signed({p_prod, 1'b0}) >>> p_shift");
  m.wire("q", pw);
  m.wire("rnd", 1);
  m.assign("q", slice("shifted", pw, 1));
  m.assign("rnd", "shifted[0]");
  m.wire("neg", 1, "r = q + rnd < 0: q < 0 unless q = -1 rounds up to 0");
  m.assign("neg", fmt::format("{} & ~((&q) & rnd)", bit("q", pw - 1)));
  m.wire("act", qb, "r clamped to [0, 2^act_bits - 1]");
  if (pw - 1 > qb) {
    m.wire("over", 1, "r >= 2^act_bits: high bits of q set, or q = 2^act_bits - 1 rounds up");
    m.assign("over", fmt::format("~{} & ((|{}) | ((&{}) & rnd))", bit("q", pw - 1),
                                 slice("q", pw - 2, qb), slice("q", qb - 1, 0)));
    m.wire("low", qb, "r mod 2^act_bits");
    m.assign("low", fmt::format("{} + {}", slice("q", qb - 1, 0), zext("rnd", 1, qb)));
    m.assign("act", fmt::format("neg ? {} : over ? {{{}{{1'b1}}}} : low", lit(qb, 0), qb));
  } else {  // every non-negative r fits act_bits (q + rnd cannot carry out, see above)
    m.wire("low", pw - 1);
    m.assign("low", fmt::format("{} + {}", slice("q", pw - 2, 0), zext("rnd", 1, pw - 1)));
    m.assign("act", fmt::format("neg ? {} : {}", lit(qb, 0), zext("low", pw - 1, qb)));
  }
  m.wire("raw", sb, "raw mode: M' = 1, S' = 0, so q is the sum and rnd is 0");
  m.assign("raw", slice("q", sb - 1, 0));
  m.reg("c_valid", 1, "p_valid", "en_c", lit(1, 0));
  m.reg("c_data", ow, fmt::format("p_mode ? {} : {}", zext("act", qb, ow), sext("raw", sb, ow)),
        "en_c");
  m.assign("out_valid", "c_valid");
  m.assign("out_data", "c_data");
}

}  // namespace

int requant_sum_bits(const RequantParams& p) {
  return std::max(p.acc_bits, p.bias_bits) + 1;
}
int requant_out_bits(const RequantParams& p) {
  return std::max(requant_sum_bits(p), p.act_bits);
}

std::string build_requant(netlist::Design& design, const RequantParams& p) {
  check_range("acc_bits", p.acc_bits, 2, 62);
  check_range("bias_bits", p.bias_bits, 2, 62);
  check_range("mult_bits", p.mult_bits, 1, 62);
  check_range("act_bits", p.act_bits, 1, 62);
  const std::string name = fmt::format("escgen_requant_a{}_b{}_m{}_q{}", p.acc_bits, p.bias_bits,
                                       p.mult_bits, p.act_bits);
  if (design.has(name)) return name;
  const Shape s = shape_of(p);
  const std::string skid = build_skid_buffer(design, {.data_bits = s.pa});
  Module m(name, fmt::format("requantisation: acc{} + bias{}, x M{}, >>> S, clamp to {} bits", s.ab,
                             s.bb, s.mb, s.qb));
  add_ports(m, s);
  add_stage_a(m, s, skid);
  add_product(m, s);
  add_round_clamp(m, s);
  design.add(std::move(m));
  return name;
}

int64_t requant_model(const RequantParams& p, const RequantItem& item) {
  auto check = [](const char* what, int64_t v, int64_t lo, int64_t hi) {
    if (v < lo || v > hi)
      throw InternalError(fmt::format("requant_model: {} = {} outside {} .. {}", what, v, lo, hi));
  };
  check("acc", item.acc, -(int64_t{1} << (p.acc_bits - 1)), (int64_t{1} << (p.acc_bits - 1)) - 1);
  check("bias", item.bias, -(int64_t{1} << (p.bias_bits - 1)),
        (int64_t{1} << (p.bias_bits - 1)) - 1);
  check("mult", item.mult, 0, (int64_t{1} << p.mult_bits) - 1);
  check("shift", item.shift, 0, 62);
  const int64_t sum = item.acc + item.bias;
  return item.requant_relu ? requantize(sum, item.mult, item.shift, p.act_bits) : sum;
}

}  // namespace escgen::blocks
