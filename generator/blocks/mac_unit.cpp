// MAC unit generator and model (see mac_unit.h): parameter checks, the derived widths, the top
// module's ports, layer registers and status, and the assembly of the control
// (mac_unit_control.cpp), the datapath (mac_unit_datapath.cpp) and the submodules
// (mac_unit_parts.cpp, the skid buffer of stream.h).
#include "blocks/mac_unit.h"

#include <algorithm>

#include <fmt/format.h>

#include "blocks/mac_unit_parts.h"
#include "blocks/mac_unit_shape.h"
#include "blocks/stream.h"
#include "config/geometry.h"
#include "netlist/expr.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {
namespace mac_detail {

using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

Shape shape_of(const MacUnitParams& p) {
  auto u = [](int v) { return static_cast<uint64_t>(v); };
  Shape s{};
  s.K = p.max_k, s.D = p.max_d, s.W = p.max_w, s.H = p.max_h, s.S = p.max_stride;
  s.ZB = p.z_bits, s.BB = p.basis_bits, s.M = p.macs;
  s.AB = p.acc_bits != 0 ? p.acc_bits : mac_unit_exact_bits(p);
  s.taps = s.D * s.K * s.K;
  s.kb = bits_for(u(s.K)), s.db = bits_for(u(s.D)), s.sb = bits_for(u(s.S));
  s.pab = bits_for(u(s.K - 1)), s.hb = bits_for(u(s.H)), s.wb = bits_for(u(s.W));
  s.T = p.basis_lanes;
  s.ab = std::max(1, clog2(u(basis_beats(s.taps, s.T))));
  s.sl = clog2(u(s.K)), s.xl = clog2(u(s.W)), s.jl = clog2(u(s.D));
  s.xw = std::max(1, s.xl);
  s.jb = bits_for(u(s.D + s.M + 1));
  s.nc = (s.taps + s.M - 1) / s.M;
  s.cl = clog2(u(s.nc));
  s.rw = bits_for(u(s.H + 3 * s.K + 2 * s.S));
  s.cw = bits_for(u(s.W + 3 * s.K + 2 * s.S));
  s.ssb = bits_for(u(2 * s.K));
  s.pw = std::min(s.ZB + s.BB, s.AB);
  s.setup_bits = bits_for(u(mac_unit_setup_cycles(s.M)));
  s.last_out = p.last_out;
  return s;
}

std::string mod_once(const std::string& v, int vw, int k, int sl) {
  const std::string lo = slice(v, sl - 1, 0);
  const uint64_t kt = static_cast<uint64_t>(k) & ((uint64_t{1} << sl) - 1);
  return fmt::format("({} >= {}) ? {} - {} : {}", v, lit(vw, static_cast<uint64_t>(k)), lo,
                     lit(sl, kt), lo);
}

void add_tap_sum(Module& m, const Shape& s, const std::string& tap_add, const std::string& inst,
                 const Coords& base, const Coords& off, const Coords& out) {
  m.wire(out.j, s.jb);
  m.wire(out.p, s.kb);
  m.wire(out.q, s.kb);
  m.instance(tap_add, inst,
             {{"k", "k_q"},
              {"bj", base.j},
              {"bp", base.p},
              {"bq", base.q},
              {"oj", off.j},
              {"op", off.p},
              {"oq", off.q},
              {"j", out.j},
              {"p", out.p},
              {"q", out.q}});
}

Coords offset(int i) {
  return {fmt::format("offj_{}", i), fmt::format("offp_{}", i), fmt::format("offq_{}", i)};
}

}  // namespace mac_detail

using namespace mac_detail;
using netlist::Design;

namespace {

void check_params(const MacUnitParams& p) {
  auto bad = [](const std::string& what) { throw InternalError("mac_unit: " + what); };
  if (p.max_k < 1 || p.max_k > 64) bad(fmt::format("max_k {} not in 1..64", p.max_k));
  if (p.max_d < 1 || p.max_d > 4096) bad(fmt::format("max_d {} not in 1..4096", p.max_d));
  if (p.max_w < 1 || p.max_w > 65535) bad(fmt::format("max_w {} not in 1..65535", p.max_w));
  if (p.max_h < 1 || p.max_h > 65535) bad(fmt::format("max_h {} not in 1..65535", p.max_h));
  if (p.max_stride < 1 || p.max_stride > 64)
    bad(fmt::format("max_stride {} not in 1..64", p.max_stride));
  if (p.z_bits < 2 || p.z_bits > 48) bad(fmt::format("z_bits {} not in 2..48", p.z_bits));
  if (p.basis_bits < 2 || p.basis_bits > 32)
    bad(fmt::format("basis_bits {} not in 2..32", p.basis_bits));
  const int taps = p.max_d * p.max_k * p.max_k;
  if (p.basis_lanes < 1 || p.basis_lanes > taps)
    bad(fmt::format("basis_lanes {} not in 1..max_d*max_k*max_k = {}", p.basis_lanes, taps));
  if (p.macs < 1 || p.macs > taps)
    bad(fmt::format("macs {} not in 1..max_d*max_k*max_k = {}", p.macs, taps));
  const int lo = std::max(p.z_bits, p.basis_bits);
  if (p.acc_bits != 0 && (p.acc_bits < lo || p.acc_bits > 64))
    bad(fmt::format("acc_bits {} not 0 (exact) or in {}..64", p.acc_bits, lo));
  if (p.acc_bits == 0 && mac_unit_exact_bits(p) > 64)
    bad(fmt::format("exact acc_bits {} exceeds 64: pass acc_bits", mac_unit_exact_bits(p)));
}

void add_ports(Module& m, const Shape& s) {
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("start", 1, "begin a layer (when not busy)");
  m.input("next", 1,
          "a started pass of the same layer waits for this start: its input may enter early");
  m.input("k", s.kb, "kernel size 1..max_k");
  m.input("d", s.db, "bases 1..max_d");
  m.input("stride", s.sb, "1..max_stride");
  m.input("pad", s.pab, "0..k-1");
  m.input("h", s.hb, "input height");
  m.input("w", s.wb, "input width <= max_w");
  m.output("busy", 1, "registered");
  m.output("finishing", 1,
           "the pass finishes this cycle (from registers): a start now is taken, and its pass "
           "issues from the next cycle");
  m.output("done", 1, "registered one-cycle pulse: pass finished, no start taken with it");
  m.input("basis_we", 1, "basis store write");
  if (s.T == 1) {
    m.input("basis_addr", s.ab, "j*k*k + p*k + q");
    m.input("basis_data", s.BB, "signed basis tap");
  } else {
    m.input("basis_addr", s.ab, fmt::format("beat a: taps a*{0} .. a*{0} + {1}", s.T, s.T - 1));
    m.input("basis_data", s.T * s.BB,
            fmt::format("signed taps, tap a*{} + i at [i*{} +: {}]", s.T, s.BB, s.BB));
  }
  m.input("in_valid", 1);
  m.output("in_ready", 1, "registered");
  m.input("in_z", s.D * s.ZB, "Z[j] at [j*z_bits +: z_bits]");
  m.output("out_valid", 1, "registered");
  m.input("out_ready", 1);
  m.output("out_acc", s.AB, "registered, signed");
  if (s.last_out) m.output("out_last", 1, "registered: out_acc is the layer's last output");
  m.output("drained", 1, "no output between the multipliers and out_acc (out_valid low)");
  m.output("stat_issue", 1, "the multipliers take taps this cycle (busy cycle)");
}

// Layer registers (sampled at an accepted start) and the padded extents derived from them, also
// registered at the start (from the ports, so they are valid with the layer registers): the
// pointer compares then start at a register, not behind two adders.
void add_layer(Module& m, const Shape& s) {
  m.wire("start_acc", 1, "start accepted: idle, or in the cycle the pass finishes");
  m.assign("start_acc", "start & (~busy_q | finishing)");
  m.reg("k_q", s.kb, "k", "start_acc");
  m.reg("d_q", s.db, "d", "start_acc");
  m.reg("s_q", s.sb, "stride", "start_acc");
  m.reg("pad_q", s.pab, "pad", "start_acc");
  m.reg("wm1_q", s.wb, fmt::format("w - {}", lit(s.wb, 1)), "start_acc", {},
        "w - 1: the input row's last column (no adder before the row-end compare)");
  m.reg("h_q", s.hb, "h", "start_acc");
  m.wire("pad_r", s.rw);
  m.wire("pad_c", s.cw);
  m.wire("k_r", s.rw);
  m.wire("k_c", s.cw);
  m.wire("hp", s.rw, "h + pad: first padded row below the input");
  m.wire("h2p", s.rw, "h + 2*pad: padded height");
  m.wire("wp", s.cw, "w + pad");
  m.wire("w2p", s.cw, "w + 2*pad: padded width");
  m.assign("pad_r", zext("pad_q", s.pab, s.rw));
  m.assign("pad_c", zext("pad_q", s.pab, s.cw));
  m.assign("k_r", zext("k_q", s.kb, s.rw));
  m.assign("k_c", zext("k_q", s.kb, s.cw));
  const std::string ph = zext("pad", s.pab, s.rw), pw = zext("pad", s.pab, s.cw);
  m.reg("hp_q", s.rw, fmt::format("{} + {}", zext("h", s.hb, s.rw), ph), "start_acc");
  m.reg("h2p_q", s.rw, fmt::format("{} + {} + {}", zext("h", s.hb, s.rw), ph, ph), "start_acc");
  m.reg("wp_q", s.cw, fmt::format("{} + {}", zext("w", s.wb, s.cw), pw), "start_acc");
  m.reg("w2p_q", s.cw, fmt::format("{} + {} + {}", zext("w", s.wb, s.cw), pw, pw), "start_acc");
  m.assign("hp", "hp_q");
  m.assign("h2p", "h2p_q");
  m.assign("wp", "wp_q");
  m.assign("w2p", "w2p_q");
  m.wire("sk_r", s.rw, "stride + k: a window's next position plus its size");
  m.wire("sk_c", s.cw);
  m.reg("sk_r_q", s.rw, fmt::format("{} + {}", zext("stride", s.sb, s.rw), zext("k", s.kb, s.rw)),
        "start_acc");
  m.reg("sk_c_q", s.cw, fmt::format("{} + {}", zext("stride", s.sb, s.cw), zext("k", s.kb, s.cw)),
        "start_acc");
  m.assign("sk_r", "sk_r_q");
  m.assign("sk_c", "sk_c_q");
}

// The unit finishes in the cycle that issues its last output's last taps (or later, once every
// input is taken); its pass's last outputs are then still in the pipeline (they leave in order,
// before any of the next pass's). The next start is taken in that cycle when the finish is known
// from registers (`finishing`: the last taps of an output already in progress, or every output
// issued before), so the next pass issues from the next cycle; otherwise in the next cycle.
void add_status(Module& m) {
  m.wire("finish", 1, "last output issued (now or before), every input taken");
  m.assign("finish", "run & in_done & (out_all_q | adv_end)");
  // From registers only, so a start taken with it stays off the pointer compares: the input
  // complete as of the previous cycle (it stays complete), and the output in progress at the
  // last window (its position is unchanged while in_out_q).
  m.reg("in_done_q", 1, "~start_acc & in_done", "", lit(1, 0),
        "every input of the pass taken (as of the previous cycle)");
  m.reg("last_win_q", 1, "row_end & last_row", "", lit(1, 0),
        "the window pointer was at the pass's last window in the previous cycle");
  m.assign("finishing",
           "run & in_done_q & (out_all_q | (in_out_q & ~stall & (nj_q >= d_j) & last_win_q))");
  m.reg("busy_q", 1, "start_acc | (busy_q & ~finish)", "", lit(1, 0));
  m.reg("done_q", 1, "finish & ~start_acc", "", lit(1, 0));
  m.assign("busy", "busy_q");
  m.assign("done", "done_q");
}

}  // namespace

std::string build_mac_unit(Design& design, const MacUnitParams& p) {
  check_params(p);
  const Shape s = shape_of(p);
  const std::string name = fmt::format(
      "escgen_mac_unit_k{}_d{}_w{}_h{}_s{}_z{}_b{}_a{}_m{}{}{}", s.K, s.D, s.W, s.H, s.S, s.ZB,
      s.BB, s.AB, s.M, s.T == 1 ? std::string() : fmt::format("_t{}", s.T), s.last_out ? "_l" : "");
  if (design.has(name)) return name;
  const std::string tap_add = build_mac_tap_add(design, s.kb, s.jb);
  const std::string reader = build_mac_reader(design, s.K, s.W, s.D, s.ZB);
  const std::string skid = build_skid_buffer(design, {.data_bits = s.AB + (s.last_out ? 1 : 0)});
  Module m(name, fmt::format("basis convolution: {} MACs over a {} x {} x {} Z line buffer", s.M,
                             s.K, s.W, s.D));
  add_ports(m, s);
  add_layer(m, s);
  add_input_side(m, s);
  add_offsets(m, s, tap_add);
  add_issue(m, s, tap_add);
  const auto basis = add_basis_store(m, s);
  add_lanes(m, s, tap_add, reader, basis);
  add_pipeline(design, m, s, skid);
  add_status(m);
  design.add(std::move(m));
  return name;
}

int mac_unit_exact_bits(const MacUnitParams& p) {
  const int taps = p.max_d * p.max_k * p.max_k;
  return bits_for(static_cast<uint64_t>(taps)) + p.z_bits + p.basis_bits - 1;
}

std::vector<int64_t> mac_unit_model(const MacLayer& l, std::span<const int64_t> basis,
                                    std::span<const int64_t> z) {
  const auto n = [](int v) { return static_cast<size_t>(v); };
  if (l.k < 1 || l.d < 1 || l.stride < 1 || l.pad < 0 || l.pad >= l.k || l.h < 1 || l.w < 1 ||
      l.h + 2 * l.pad < l.k || l.w + 2 * l.pad < l.k)
    throw InternalError("mac_unit_model: invalid layer");
  if (basis.size() != n(l.d * l.k * l.k) || z.size() != n(l.h) * n(l.w) * n(l.d))
    throw InternalError("mac_unit_model: basis or z has the wrong size");
  std::vector<int64_t> out;
  for (int u = 0; u < l.h_out(); ++u)
    for (int v = 0; v < l.w_out(); ++v) {
      int64_t acc = 0;
      for (int j = 0; j < l.d; ++j)
        for (int p = 0; p < l.k; ++p)
          for (int q = 0; q < l.k; ++q) {
            const int y = u * l.stride + p - l.pad, x = v * l.stride + q - l.pad;
            if (y < 0 || y >= l.h || x < 0 || x >= l.w) continue;  // padding: Z = 0
            acc += basis[n((j * l.k + p) * l.k + q)] * z[(n(y) * n(l.w) + n(x)) * n(l.d) + n(j)];
          }
      out.push_back(acc);
    }
  return out;
}

}  // namespace escgen::blocks
