// Internal to the Concentration generator (concentration.h): the widths every stage of the block
// uses, derived once from the parameters, and the stages that build the module in order: the
// queue's state and outputs (concentration_queue.cpp), the incoming vectors
// (concentration_input.cpp), with inputs > 1 the placement and merge registers
// (concentration_merge.cpp), the two candidate next states (concentration_next.cpp) and the beat
// of each (concentration_beat.cpp).
#pragma once

#include <string>

#include "blocks/concentration.h"
#include "netlist/netlist.h"

namespace escgen::blocks::conc_detail {

// Every width of the block, derived once from the parameters.
struct Shape {
  int n, l, vb;  // input lanes (width), output lanes, element bits
  int e;         // queue capacity (elements)
  int ni;        // input vectors per cycle
  int wn;        // merged input lanes: ni * n
  int wbits;     // merged input count 0..wn
  int cbits;     // queue count 0..e
  int nbits;     // one vector's count 0..n
  int lbits;     // beat count 0..l
  int segs;      // segments of a beat at most (lookaside + 1)
  int gs, ng;    // vectors per group, groups
  int gbits;     // one group's count 0..gs*n
  int room;      // the queue can take a cycle's inputs (ni * n elements) at this count or less
};

Shape shape_of(const ConcentrationParams& p);

// The module's ports.
void add_ports(netlist::Module& m, const Shape& s);

// The queue's registers and the beat it offers, the outputs from them, and the handshakes (room
// and in_ready, fire, push).
void add_queue_state(netlist::Module& m, const Shape& s);
void add_queue_outputs(netlist::Module& m, const Shape& s);
void add_handshakes(netlist::Module& m, const Shape& s);

// Each input vector as it would be appended: its element count, its lanes (an empty last vector
// keeps lane 0) and its target end on the last appended lane.
void add_input_vectors(netlist::Module& m, const Shape& s);

// inputs > 1: the placement register (vectors, or joined groups, with their offsets) and the
// merge register (the vectors shifted to their offsets and merged), feeding in_vec/in_last_vec.
void add_placement_and_merge(netlist::Module& m, const Shape& s);

// Both next states (beat taken or not), their beats, and the registers' next values.
void add_next_state(netlist::Module& m, const Shape& s);

// The beat of a state whose first `lanes` lanes hold elements `<pre>has` (a thermometer) with
// target ends `flags`, and `cnt` elements in all, as wires `<pre>take_lane`, `<pre>take` (and
// its one-hot `<pre>toh`), `<pre>seg`, `<pre>ova`, `<pre>ovb`, and `<pre>left` = cnt - take
// (with its thermometer over the first lanes `<pre>left_gt`).
void add_beat(netlist::Module& m, const Shape& s, const std::string& pre, const std::string& flags,
              const std::string& cnt);

}  // namespace escgen::blocks::conc_detail
