// Concentration queue (see concentration_shape.h): the element queue's registers and the beat it
// offers, the outputs driven from them, and the handshakes.
//
// The beat (its size, lanes, segments and whether it may go) is a function of the queue's first
// `lanes` target ends and its count. It is computed for both next states, the one where this
// cycle's beat is taken (`p_`) and the one where it is not (`n_`), each from registers only,
// and the handshake selects one at the end: the take -> pop -> take loop of the queue has no
// logic but that selection, and the pop's shifter starts at a register.
#include <fmt/format.h>

#include "blocks/concentration_shape.h"
#include "netlist/expr.h"

namespace escgen::blocks::conc_detail {

using netlist::bit;
using netlist::lane;
using netlist::lit;
using netlist::Module;

// The element queue, oldest at lane 0, and the beat it offers, decided a cycle ahead.
void add_queue_state(Module& m, const Shape& s) {
  const int e = s.e, vb = s.vb, l = s.l, cbits = s.cbits, lbits = s.lbits, segs = s.segs;
  m.wire("data_d", e * vb);
  m.wire("last_d", e);
  m.wire("count_d", cbits);
  m.reg("count_q", cbits, "count_d", "", lit(cbits, 0), "elements waiting");
  m.reg("last_q", e, "last_d", "", lit(e, 0), "target ends; zero beyond count_q");
  m.reg("data_q", e * vb, "data_d", "", std::nullopt, "element values; garbage beyond count_q");
  m.wire("hn_d", l);
  m.reg("hn_q", l, "hn_d", "", lit(l, 0), "bit k: count_q > k");
  m.wire("hp_d", l);
  m.reg("hp_q", l, "hp_d", "", lit(l, 0), "bit k: cpop_q > k");
  // take_q and toh_q are the same number: binary for the pop's shifter and out_count, one-hot
  // for the next beat's flags.
  m.wire("toh_d", l + 1);
  m.reg("toh_q", l + 1, "toh_d", "", lit(l + 1, 1), "one-hot: bit x set when take_q == x");
  m.wire("take_d", lbits);
  m.reg("take_q", lbits, "take_d", "", lit(lbits, 0), "elements in the beat offered");
  m.wire("cpop_d", cbits);
  m.reg("cpop_q", cbits, "cpop_d", "", lit(cbits, 0),
        "elements that stay when the beat is taken: count_q - take_q");
  m.wire("tl_d", l);
  m.reg("tl_q", l, "tl_d", "", lit(l, 0), "lane is part of the beat offered (a prefix)");
  m.wire("seg_d", segs * l);
  // An empty queue's lanes are all in segment 0.
  const std::string seg_reset = segs == 1
                                    ? fmt::format("{{{}{{1'b1}}}}", l)
                                    : fmt::format("{{{}'b0, {{{}{{1'b1}}}}}}", (segs - 1) * l, l);
  m.reg("seg_q", segs * l, "seg_d", "", seg_reset, "out_seg of the beat offered");
  m.wire("ova_d", 1);
  m.reg("ova_q", 1, "ova_d", "", lit(1, 0),
        "the beat is full or cut by the (lookaside+1)-th target end: it goes");
  m.wire("ovb_d", 1);
  m.reg("ovb_q", 1, "ovb_d", "", lit(1, 0),
        "the beat ends at a target end: it goes unless an input is arriving");
}

void add_queue_outputs(Module& m, const Shape& s) {
  const int vb = s.vb;
  m.assign("out_valid", fmt::format("ova_q | (ovb_q & ~{})", s.ni == 1 ? "in_valid" : "mg_v"));
  m.assign("out_count", "take_q");
  m.assign("out_seg", "seg_q");
  for (int k = 0; k < s.l; ++k) {
    m.assign(lane("out_data", k, vb),
             fmt::format("{} & {{{}{{tl_q[{}]}}}}", lane("data_q", k, vb), vb, k));
    m.assign(bit("out_last", k), fmt::format("last_q[{}] & tl_q[{}]", k, k));
  }
}

void add_handshakes(Module& m, const Shape& s) {
  // Room for inputs x width more elements, registered (decided with the next count).
  m.wire("room_d", 1);
  m.reg("room_q", 1, "room_d", "", lit(1, 1), fmt::format("count_q <= {}", s.room));
  if (s.ni == 1) {
    m.assign("in_ready", "room_q");
  } else {
    // The merge register: the merged vectors wait here, then go into the queue when it has room
    // (cuts the merge network off the queue's update loop); the placement register before it
    // cuts the offsets' adders off the shifts.
    m.wire("mg_go", 1, "the merge register empties into the queue");
    m.assign("mg_go", "mg_v & (room_q)");
    m.assign("in_ready", "~pl_v | pl_go");
  }
  m.wire("fire", 1, "the beat is taken");
  m.assign("fire", "out_valid & out_ready");
  m.wire("push", 1);
  m.assign("push", "in_valid & in_ready");
}

}  // namespace escgen::blocks::conc_detail
