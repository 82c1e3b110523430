// Drain buffer generator (see drain_buffer.h).
//
//   stage register G (moves on every clock) -> [B0 B1] two-entry queue, bypassed when empty
//   out = B0 if B0 holds an item, else G.  At each clock edge:
//     pop  = B0 holds an item and the consumer takes it
//     push = G holds an item that the consumer does not take (B0 is ahead of it, or not ready)
//   The stage may start an item when (items in B) + (item in G) < 2: an item started now is in
//   G after the edge and, if not taken then, in B after the next edge, where it always fits.
#include "blocks/drain_buffer.h"

#include <fmt/format.h>

#include "netlist/expr.h"
#include "util/error.h"

namespace escgen::blocks {

using netlist::lit;
using netlist::Module;

std::string build_drain_buffer(netlist::Design& design, const DrainBufferParams& p) {
  if (p.data_bits < 1) throw InternalError("drain_buffer: data_bits must be >= 1");
  const std::string name = fmt::format("escgen_drain_buffer_b{}", p.data_bits);
  if (design.has(name)) return name;
  const int w = p.data_bits;
  Module m(name, "two-entry buffer with bypass behind a stage that cannot stall");
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("in_valid", 1, "the stage's register holds an item (it moves on every clock)");
  m.input("in_data", w);
  m.output("out_valid", 1);
  m.input("out_ready", 1);
  m.output("out_data", w);
  m.output("can_accept", 1, "the stage may take an item in this cycle");

  m.wire("pop", 1, "the consumer takes the buffered head");
  m.wire("push", 1, "the stage's item is not taken: it moves into the buffer");
  m.wire("load0", 1);
  m.wire("load1", 1);
  m.assign("pop", "full0 & out_ready");
  m.assign("push", "in_valid & (full0 | ~out_ready)");
  // Entry 0 is written when the buffer was empty, or when its head leaves and something follows.
  m.assign("load0", "(~full0 & push) | (pop & (full1 | push))");
  // Entry 1 is written when the head stays and a second item arrives (never with both full:
  // can_accept guarantees buffered + in-stage <= 2, so a full buffer has an empty stage).
  m.assign("load1", "full0 & ~pop & push");

  m.reg("full0", 1, "full1 | (full0 & ~pop) | push", "", lit(1, 0), "entry 0 holds an item");
  m.reg("full1", 1, "~pop & (full1 | (full0 & push))", "", lit(1, 0), "entry 1 holds an item");
  m.reg("data0", w, "full1 ? data1 : in_data", "load0", {}, "head of the buffer");
  m.reg("data1", w, "in_data", "load1");

  m.assign("out_valid", "full0 | in_valid");
  m.assign("out_data", "full0 ? data0 : in_data");
  m.assign("can_accept", "~full1 & ~(full0 & in_valid)");
  design.add(std::move(m));
  return name;
}

}  // namespace escgen::blocks
