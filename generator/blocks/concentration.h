// Concentration: turns the stream of gathered (diluted) vectors of a row, mostly holes at
// sparse operands, into dense beats for the CA adder tree. An element queue of capacity
// row_width * (inputs + lookahead) + lanes appends the incoming vectors' elements behind the ones
// waiting (look-ahead: later vectors fill the holes) and hands the adder tree up to `lanes`
// elements per beat, crossing at most `lookaside` target boundaries (one sum segment each).
// With inputs > 1 it takes that many vectors per cycle (one per Dilution unit of a multi-issue
// CA unit): a placement register holds them with their offsets (prefix sums of the counts; with
// groups, each group's vectors joined first and one total per group), the
// next stage shifts each to its offset and merges them in input order into one compacted vector,
// held in a merge register (off the queue's update loop), then appended: two registers, each
// loading when it is empty or its content moves on.
// The beat is decided a cycle ahead: each cycle the block computes, from registers only, the
// next state's beat both with and without this cycle's beat taken, and the handshake selects one
// (the queue's update loop is that selection; the beats and the cycles are those of the plain
// design, which ConcentrationModel describes).
// The order and value of every element, hence every target's sum, is preserved exactly.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "netlist/netlist.h"

namespace escgen::blocks {

struct ConcentrationParams {
  int width = 16;      // input lanes (row_width)
  int lanes = 8;       // output lanes (ca_lanes), <= width
  int value_bits = 9;  // signed element width (act_bits + 1 after dilution's negation)
  int lookahead = 4;   // queue holds 1 + lookahead input vectors (+ lanes) elements
  int lookaside = 1;   // target boundaries a beat may cross (segments per beat - 1)
  int inputs = 1;      // vectors taken per cycle
  // Consecutive vectors that come as one group (the parts of one Dilution unit's gather), with
  // the group's element count given (in_total, from the producer's register): the placement
  // stage joins each group's vectors (a shift within the group's lanes) and the offsets add one
  // total per earlier group instead of one count per earlier vector. Divides inputs.
  int group = 1;

  int capacity() const { return width * (inputs + lookahead) + lanes; }
};

// Ports: clk, rst_n;
//   in_valid, in_ready, in_count[bits(width)], in_data[width*value_bits] (elements 0 ..
//   in_count-1, compacted at the head; lanes beyond are ignored), in_last (the vector ends its
//   target; a zero-count last vector appends one element, lane 0 of in_data (normally zero; a
//   producer may carry a payload there), so the target still ends); with inputs P > 1 the
//   input ports are P times as wide, vector p at in_count[p*bits(width) +: bits(width)],
//   in_data[p*width*value_bits +: width*value_bits] and in_last[p], appended in order p = 0..;
//   with group G > 1 also in_total[(P/G)*bits(G*width)]: group r's total count (the sum of
//   in_count over its vectors G*r .. G*r+G-1), and an empty vector may end its target only in a
//   group without elements, as its only end (the block relies on both: a group appends in_total
//   elements, or the one end marker);
//   out_valid, out_ready, out_count[bits(lanes)], out_data[lanes*value_bits] (zero beyond
//   out_count), out_last[lanes] (lane k ends its target; segments are separated by these),
//   out_seg[(lookaside+1)*lanes] (bit s*lanes + k: s target ends precede lane k, i.e. lane k is
//   in segment s; meaningful for lanes below out_count).
// out_valid and in_ready depend on registered state (and out_valid on in_valid when inputs is
// 1; with inputs > 1 on the merge register's valid instead, not the placement register's), never on
// out_ready. A beat is offered when it is full, when it is cut by the (lookaside+1)-th target end,
// or when the queue ends at a target end and no input is arriving.
std::string build_concentration(netlist::Design& design, const ConcentrationParams& p);

// Cycle-accurate C++ model of the generated block (the testbench compares every cycle).
class ConcentrationModel {
 public:
  explicit ConcentrationModel(const ConcentrationParams& p);

  struct Beat {
    int count = 0;
    std::vector<int64_t> data;  // `lanes` values, zero beyond count
    std::vector<uint8_t> last;  // `lanes` flags
  };
  // Outputs of this cycle, from the state (and in_valid, for out_valid).
  bool in_ready() const;
  bool out_valid(bool in_valid) const;
  Beat out_beat() const;
  // Clock edge: applies the handshakes of this cycle.
  void step(bool in_valid, int in_count, const std::vector<int64_t>& in_data, bool in_last,
            bool out_ready);
  // The same for inputs > 1: one entry per input vector, in order.
  struct Input {
    int count = 0;
    std::vector<int64_t> data;
    bool last = false;
  };
  void step(bool in_valid, const std::vector<Input>& in, bool out_ready);
  int count() const { return static_cast<int>(queue_.size()); }

 private:
  int take() const;
  bool room() const;  // the queue can take inputs x width elements
  ConcentrationParams p_;
  struct Elem {
    int64_t value;
    bool last;
  };
  std::deque<Elem> queue_;
  std::vector<Elem> place_;  // inputs > 1: the placement register's elements, in order
  bool place_v_ = false;
  std::vector<Elem> merge_;  // inputs > 1: the merge register's elements
  bool merge_v_ = false;
};

// The queue takes a cycle's inputs (in_ready) while it holds at most this many elements: room for
// `inputs` whole vectors of `width` lanes within its capacity.
inline int concentration_room(const ConcentrationParams& p) {
  return p.capacity() - p.inputs * p.width;
}

}  // namespace escgen::blocks
