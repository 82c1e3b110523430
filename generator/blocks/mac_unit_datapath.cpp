// MAC unit datapath (see mac_unit_shape.h): the basis store, the lanes (tap coordinates, window
// position and validity, Z and basis reads) and the pipeline (operands, products, adder tree and
// accumulator, output skid buffer).
//
//   macs = 4, 18 taps (d = 2, k = 3): output cycle c, lane m takes flat tap t = 4c + m, i.e.
//   (j, p, q) = (t / 9, t / 3 % 3, t % 3) and basis bank m entry c; 5 cycles, the last with lanes
//   0 and 1 live (t = 16, 17) and lanes 2, 3 masked (j = 2 >= d).
#include <fmt/format.h>

#include "blocks/mac_unit_parts.h"
#include "blocks/mac_unit_shape.h"
#include "blocks/regfile.h"
#include "config/geometry.h"
#include "netlist/expr.h"
#include "util/bits.h"

namespace escgen::blocks::mac_detail {

using netlist::bit;
using netlist::cat;
using netlist::Design;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

// Basis store: one register per tap, written through the load port (addresses past the store
// are ignored): T taps per write, tap e from lane e % T of write beat e / T. Lane m reads bank m
// (entries m, m + macs, ...) at the output's cycle c.
std::vector<std::string> add_basis_store(Module& m, const Shape& s) {
  const int beats = basis_beats(s.taps, s.T);
  if (beats > 1) add_decoder(m, "baddr_oh", "basis_addr", beats);
  std::vector<std::string> names;
  for (int e = 0; e < s.taps; ++e) {
    const int a = e / s.T, i = e % s.T;
    names.push_back(fmt::format("bstore_{}", e));
    m.reg(names.back(), s.BB,
          s.T == 1 ? std::string("basis_data") : slice("basis_data", i * s.BB + s.BB - 1, i * s.BB),
          beats > 1 ? fmt::format("basis_we & {}", m.select("baddr_oh", a))
                    : std::string("basis_we & ~basis_addr"),
          {}, fmt::format("tap {} (beat {}, lane {})", e, a, i));
  }
  return names;
}

// Lanes: coordinates of tap base + m, window position, validity, Z read, basis read.
void add_lanes(Module& m, const Shape& s, const std::string& tap_add, const std::string& reader,
               const std::vector<std::string>& basis) {
  for (int i = 0; i < s.M; ++i) {
    Coords c = kBase;  // lane 0 takes the base itself
    if (i > 0) {
      // Lane i's coordinates (base + off_i) are registered: the next cycle's are this cycle's
      // plus the step (off_macs); an idle unit's base is 0, so they reload off_i (settled by the
      // time `run` rises: off_i takes i + 1 cycles after k, `run` macs + 1). The tap adder thus
      // sits before the register, not between the base and the Z read multiplexers.
      c = {fmt::format("lj_{}", i), fmt::format("lp_{}", i), fmt::format("lq_{}", i)};
      const Coords step{fmt::format("sj_{}", i), fmt::format("sp_{}", i), fmt::format("sq_{}", i)};
      add_tap_sum(m, s, tap_add, fmt::format("u_lane{}", i), c, offset(s.M), step);
      const Coords off = offset(i);
      const auto next = [](const std::string& st, const std::string& o) {
        return fmt::format("(issue & ~last) ? {} : {}", st, o);
      };
      m.reg(c.j, s.jb, next(step.j, off.j), "issue | ~in_out_q", {},
            fmt::format("lane {}: coordinates of tap base + {}", i, i));
      m.reg(c.p, s.kb, next(step.p, off.p), "issue | ~in_out_q");
      m.reg(c.q, s.kb, next(step.q, off.q), "issue | ~in_out_q");
    }
    const std::string &J = c.j, &P = c.p, &Q = c.q;
    const std::string row = fmt::format("row_{}", i), col = fmt::format("col_{}", i);
    const std::string tv = fmt::format("tv_{}", i), z = fmt::format("z_{}", i);
    m.wire(row, s.rw, fmt::format("lane {}: padded window row", i));
    m.wire(col, s.cw);
    m.wire(tv, 1, "tap inside the input and j < d");
    m.wire(z, s.ZB);
    m.assign(row, fmt::format("ro_q + {}", zext(P, s.kb, s.rw)));
    m.assign(col, fmt::format("co_q + {}", zext(Q, s.kb, s.cw)));
    m.assign(tv, fmt::format("({0} >= pad_r) & ({0} < hp) & ({1} >= pad_c) & ({1} < wp) & "
                             "({2} < d_j)",
                             row, col, J));
    std::vector<std::pair<std::string, std::string>> conns = {{"zbuf", "zbuf_all"}};
    if (s.K > 1) {
      const std::string ss = fmt::format("ss_{}", i), slot = fmt::format("slot_{}", i);
      m.wire(ss, s.ssb, "rslot + p");
      m.wire(slot, s.sl);
      m.assign(ss, fmt::format("{} + {}", zext("rslot_q", s.sl, s.ssb), zext(P, s.kb, s.ssb)));
      m.assign(slot, mod_once(ss, s.ssb, s.K, s.sl));
      conns.emplace_back("slot", slot);
    }
    if (s.W > 1) {
      const std::string xr = fmt::format("xr_{}", i);
      m.wire(xr, s.xl, "input column");
      m.assign(xr, fmt::format("cx_q + {}", netlist::resize(Q, s.kb, s.xl)));
      conns.emplace_back("col", xr);
    }
    if (s.D > 1) conns.emplace_back("j", slice(J, s.jl - 1, 0));
    conns.emplace_back("valid", tv);
    conns.emplace_back("z", z);
    m.instance(reader, fmt::format("u_read{}", i), std::move(conns));

    std::vector<std::string> bank;
    for (int t = i; t < s.taps; t += s.M) bank.push_back(basis[static_cast<size_t>(t)]);
    const std::string b = fmt::format("b_{}", i);
    if (bank.size() == 1) {
      m.wire(b, s.BB);
      m.assign(b, bank[0]);
    } else {
      add_read_mux(m, b, bank, s.BB, "c_oh");
    }
  }
}

// Pipeline: operand registers, product registers, adder tree in two halves into the partial-sum
// and sum registers, accumulator, skid buffer. The whole pipeline holds (stall) while a finished
// result waits for the skid buffer.
void add_pipeline(Design& design, Module& m, const Shape& s, const std::string& skid) {
  // The flags that travel with a cycle's taps: its output's first and last cycle and, with
  // last_out, the layer's last output. carry() registers the previous stage's into the next.
  std::vector<std::string> flags = {"first", "last"};
  if (s.last_out) flags.push_back("end");
  const auto carry = [&](const std::string& from, const std::string& to, const std::string& en) {
    for (const std::string& f : flags)
      m.reg(fmt::format("{}_{}_q", to, f), 1, fmt::format("{}_{}_q", from, f), en);
  };
  m.wire("stall", 1, "a result waits for the output buffer");
  m.reg("op_valid_q", 1, "issue", "~stall", lit(1, 0), "operand registers hold a cycle's taps");
  m.reg("op_first_q", 1, "~in_out_q", "issue");
  m.reg("op_last_q", 1, "last", "issue");
  if (s.last_out)
    m.reg("op_end_q", 1, "adv_end", "issue", {}, "the layer's last output (with op_last_q)");
  for (int i = 0; i < s.M; ++i) {
    m.reg(fmt::format("zq_{}", i), s.ZB, fmt::format("z_{}", i), "issue");
    // Invalid taps multiply a zero Z; their basis operand is zeroed too, so a basis entry never
    // written (j >= d, unknown in 4-state simulation) cannot reach the sum.
    m.reg(fmt::format("bq_{}", i), s.BB, fmt::format("b_{0} & {{{1}{{tv_{0}}}}}", i, s.BB),
          "issue");
  }
  m.wire("op_adv", 1);
  m.assign("op_adv", "~stall & op_valid_q");
  m.reg("prod_valid_q", 1, "op_valid_q", "~stall", lit(1, 0));
  carry("op", "prod", "op_adv");
  std::vector<std::string> prods;
  for (int i = s.M - 1; i >= 0; --i) {
    const std::string pr = fmt::format("prod_{}", i);
    m.reg(pr, s.pw, fmt::format("$signed(zq_{0}) * $signed(bq_{0})", i), "op_adv", {},
          i == 0 ? "signed products (modulo 2^acc_bits)" : "");
    prods.push_back(pr);
  }
  // The adder tree in two halves with a register between them: groups of 2^h products (h, half
  // the tree's levels, rounded up) summed into the partial-sum registers, then the partials into
  // the sum register. Each half is half the tree's adder levels.
  const int levels = clog2(static_cast<uint64_t>(s.M)), h = (levels + 1) / 2;
  const int g = 1 << h, groups = (s.M + g - 1) / g;
  const int gb = mac_tree_bits(g, s.pw, s.AB);
  m.wire("prod_adv", 1);
  m.assign("prod_adv", "~stall & prod_valid_q");
  m.reg("part_valid_q", 1, "prod_valid_q", "~stall", lit(1, 0));
  carry("prod", "part", "prod_adv");
  std::vector<std::string> parts;
  for (int gi = groups - 1; gi >= 0; --gi) {
    std::vector<std::string> members;
    for (int i = std::min(s.M, (gi + 1) * g) - 1; i >= gi * g; --i)
      members.push_back(fmt::format("prod_{}", i));
    const int n = static_cast<int>(members.size()), nb = mac_tree_bits(n, s.pw, s.AB);
    const std::string ps = fmt::format("psum_{}", gi), pq = fmt::format("psum_q_{}", gi);
    m.wire(ps, nb, fmt::format("products {} .. {}", gi * g, gi * g + n - 1));
    if (n == 1) {
      m.assign(ps, members[0]);
    } else {
      const std::string tree = build_mac_tree(design, n, s.pw, s.AB);
      m.instance(tree, fmt::format("u_tree{}", gi), {{"in", cat(members)}, {"sum", ps}});
    }
    m.reg(pq, gb, sext(ps, nb, gb), "prod_adv", {},
          gi == groups - 1 ? "partial sums of the products" : "");
    parts.push_back(pq);
  }
  const int tb = mac_tree_bits(s.M, s.pw, s.AB);
  m.wire("tsum", tb, "sum of this cycle's products");
  if (groups == 1) {
    m.assign("tsum", sext(parts[0], gb, tb));
  } else {
    const std::string tree = build_mac_tree(design, groups, gb, s.AB);
    m.instance(tree, "u_tree", {{"in", cat(parts)}, {"sum", "tsum"}});
  }
  // The tree's sum is registered before the accumulator: the accumulate and the skid buffer's
  // input take the next cycle.
  m.wire("part_adv", 1);
  m.assign("part_adv", "~stall & part_valid_q");
  m.reg("sum_valid_q", 1, "part_valid_q", "~stall", lit(1, 0));
  carry("part", "sum", "part_adv");
  m.reg("tsum_q", tb, "tsum", "part_adv", {}, "sum of a cycle's products");
  m.wire("acc_next", s.AB);
  m.assign("acc_next",
           fmt::format("(sum_first_q ? {} : acc_q) + {}", lit(s.AB, 0), sext("tsum_q", tb, s.AB)));
  m.wire("sum_adv", 1);
  m.assign("sum_adv", "~stall & sum_valid_q");
  m.reg("acc_q", s.AB, "acc_next", "sum_adv", {}, "partial dot product of the output");
  m.wire("res_valid", 1, "acc_next is a finished output");
  m.wire("res_ready", 1);
  m.assign("res_valid", "sum_valid_q & sum_last_q");
  m.assign("stall", "res_valid & ~res_ready");
  if (s.last_out) m.wire("out_word", s.AB + 1, "{layer's last output, accumulator}");
  m.instance(skid, "u_out",
             {{"clk", "clk"},
              {"rst_n", "rst_n"},
              {"in_valid", "res_valid"},
              {"in_ready", "res_ready"},
              {"in_data", s.last_out ? "{sum_end_q, acc_next}" : "acc_next"},
              {"out_valid", "out_valid"},
              {"out_ready", "out_ready"},
              {"out_data", s.last_out ? "out_word" : "out_acc"}});
  if (s.last_out) {
    m.assign("out_acc", slice("out_word", s.AB - 1, 0));
    m.assign("out_last", bit("out_word", s.AB));
  }
  // Nothing between the issue and the output port: with `busy` low, every output has left.
  m.assign("drained", "~op_valid_q & ~prod_valid_q & ~part_valid_q & ~sum_valid_q & ~out_valid");
}

}  // namespace escgen::blocks::mac_detail
