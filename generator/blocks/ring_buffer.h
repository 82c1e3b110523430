// Ring input buffer of a tile: `depth` entries of `entry_bits`, written by one stream and read by
// `readers` rows, each through its own read stream, in order, at its own pace. Every entry has a
// counter of readers that have consumed it; an entry is free (writable) only once the counter
// reaches `readers`. The write stream is back-pressured while the entry at the write pointer is
// not free (the buffer is full). RingBufferModel is the cycle-exact C++ reference.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "netlist/netlist.h"

namespace escgen::blocks {

struct RingBufferParams {
  int depth = 4;       // entries, >= 2 (any value, not only powers of two)
  int entry_bits = 8;  // bits per entry
  int readers = 2;     // read streams (rows), >= 1
};

// Ports: clk, rst_n, in_valid, in_ready, in_data[entry_bits]; out_valid[readers],
// out_ready[readers], out_data[readers*entry_bits] (reader r at bits [r*entry_bits +: entry_bits]).
// Each reader has two registers, the head (its output) and a spare; it fetches the entry at its
// read pointer whenever the spare is empty (into the head when the head is empty or taken, else
// into the spare), and that fetch is the reader's consumption of the entry (the counter
// increments then). The fetch is decided from registers only: out_ready reaches the head and
// spare multiplexers, not the pointers, counters or in_ready (a reader's combinational ready
// would otherwise run into the buffer's whole bookkeeping). Latency: an entry written at edge t
// is at a reader's output after edge t+1 at the earliest. All outputs are registered.
std::string build_ring_buffer(netlist::Design& design, const RingBufferParams& p);
// Entries a reader holds: its head and its spare (it fetches while it holds fewer).
inline constexpr int kReaderSlots = 2;

// Cycle model: outputs show the state after the last edge; step() applies one edge.
class RingBufferModel {
 public:
  explicit RingBufferModel(const RingBufferParams& p);

  bool in_ready() const { return static_cast<int>(entries_.size()) < depth_; }
  bool out_valid(int r) const { return !held_[static_cast<size_t>(r)].empty(); }
  uint64_t out_data(int r) const;                                 // only when out_valid(r)
  int held() const { return static_cast<int>(entries_.size()); }  // entries not yet freed

  // One clock edge. Returns whether the write happened; `taken[r]` reports reader r's output
  // transfers (out_valid && out_ready) at this edge.
  bool step(bool in_valid, uint64_t in_data, const std::vector<bool>& out_ready,
            std::vector<bool>* taken = nullptr);

 private:
  struct Entry {
    uint64_t data;
    int seen;  // readers that have fetched it
  };
  int depth_, readers_;
  std::deque<Entry> entries_;   // held entries, oldest first
  uint64_t base_ = 0;           // sequence number of entries_.front()
  std::vector<uint64_t> next_;  // per reader: sequence number of its next entry to fetch
  std::vector<std::deque<uint64_t>> held_;  // per reader: head, then spare (at most 2)
};

}  // namespace escgen::blocks
