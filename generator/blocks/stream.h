// Stream buffering blocks: a 2-entry skid buffer and a synchronous FIFO of any depth >= 2, both
// valid/ready with every output registered (valid, ready, data, status) and full throughput
// (one transfer per cycle in and out when never stalled). Both behave, cycle for cycle, as a
// queue of `capacity` items whose outputs show the state after the previous clock edge; that
// queue is the C++ model (StreamQueueModel).
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "netlist/netlist.h"

namespace escgen::blocks {

// Timing of both blocks: an item taken in cycle t is at the output in cycle t + kStreamLatency;
// a skid buffer holds kSkidCapacity items (its main and skid registers).
inline constexpr int kStreamLatency = 1;
inline constexpr int kSkidCapacity = 2;

struct SkidBufferParams {
  int data_bits = 8;  // payload width
};

// Ports: clk, rst_n, in_valid, in_ready, in_data[data_bits], out_valid, out_ready,
// out_data[data_bits]. A main register drives the outputs; a skid register catches the item
// accepted while the output stalls. in_ready = skid register empty (registered). Latency one
// clock; capacity two.
std::string build_skid_buffer(netlist::Design& design, const SkidBufferParams& p);

struct FifoParams {
  int depth = 4;            // capacity in items, >= 2 (any value, not only powers of two)
  int data_bits = 8;        // payload width
  bool with_status = true;  // count / full / empty ports (false: omitted, with their registers)
};

// Ports: the skid buffer's, plus (with_status) count[bits_for(depth)] (items held), full, empty.
// Structure: an output (head) register plus depth-1 storage registers addressed by wrapping
// pointers; an item pushed into an empty FIFO is at the output one clock later (latency one clock);
// capacity depth.
std::string build_fifo(netlist::Design& design, const FifoParams& p);

// Cycle model of both blocks: outputs show the state (as after the last edge); step() applies
// one clock edge with the inputs of that cycle and returns which transfers happened.
class StreamQueueModel {
 public:
  explicit StreamQueueModel(int capacity);

  bool in_ready() const { return static_cast<int>(q_.size()) < capacity_; }
  bool out_valid() const { return !q_.empty(); }
  uint64_t out_data() const;  // front item; only when out_valid()
  int count() const { return static_cast<int>(q_.size()); }
  bool full() const { return !in_ready(); }
  bool empty() const { return q_.empty(); }

  struct Fired {
    bool in = false;
    bool out = false;
  };
  Fired step(bool in_valid, uint64_t in_data, bool out_ready);

 private:
  int capacity_;
  std::deque<uint64_t> q_;
};

}  // namespace escgen::blocks
