// Drain buffer: turns the output of a one-clock pipeline stage that cannot stall (such as the
// bit-gather, whose output register loads on every clock) into a valid/ready stream with
// back-pressure. Two entries with a bypass: the stage's register drives the output directly
// while the buffer is empty; an item the consumer does not take moves into the buffer.
// `can_accept` (registered state only) tells the stage's driver whether it may start an item in
// this cycle; with that gate the buffer never overflows and no item is lost.
#pragma once

#include <string>

#include "netlist/netlist.h"

namespace escgen::blocks {

// Items the buffer and the stage in front of it hold together (can_accept: fewer than this).
inline constexpr int kDrainCapacity = 2;

struct DrainBufferParams {
  int data_bits = 8;  // payload width
};

// Ports: clk, rst_n; in_valid, in_data[data_bits] (the stage's registered output, which changes
// on every clock); out_valid, out_ready, out_data[data_bits]; can_accept (the stage may take an
// item now: buffered items + the item in the stage < 2). Full throughput when never stalled;
// out_valid and can_accept never depend combinationally on out_ready.
std::string build_drain_buffer(netlist::Design& design, const DrainBufferParams& p);

}  // namespace escgen::blocks
