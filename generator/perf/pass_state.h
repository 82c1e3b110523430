// Internal to the layer's cycle model (pass_model.h): the state of a row's stages, the layer's
// fixed figures every stage reads, and the latencies of the stages the model walks through,
// each named after the block that has it. Stages are queues; an item moved into one at cycle t
// is visible to its consumer at t + 1.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "blocks/mac_unit.h"
#include "blocks/requant.h"
#include "blocks/stream.h"
#include "config/config.h"
#include "perf/layer_work.h"
#include "perf/pass_model.h"

namespace escgen::perf::detail {

// The collector's output register (accelerator.cpp, out_valid_q): the model's collector beat is
// the cycle the beat is in that register, one after the rows' heads are taken.
inline constexpr int kCollectorLatency = 1;
// From an output's last MAC cycle to the MAC unit's output register, and from the requantisation
// taking it to the collector's beat (the requantisation, the output queue, the collector).
inline constexpr int kAccLatency = blocks::kMacOutLatency;
inline constexpr int kRequantToBeat =
    blocks::kRequantLatency + blocks::kStreamLatency + kCollectorLatency;
// Started passes that may wait for a row's MAC unit (row.cpp: pend_q, pend2_q).
inline constexpr int kRowPassesWaiting = 2;
// A layer queued behind another: its weight side takes the start the cycle after the other's
// last go and starts its basis the cycle after that (accelerator.cpp).
inline constexpr int kQueuedBasisDelay = 2;

// The vectors issued together in one cycle (ca_issue_width of them at most).
struct Vec {
  std::vector<int> sizes;
  bool pe = false;  // the last of them ends the pixel
  int64_t t = 0;    // cycle it entered the queue
};

struct Row {
  // ring reader: head and spare (entry numbers), and the chunk stage
  int64_t fetched = 0;
  std::deque<int64_t> head;
  bool chunk_v = false;
  int64_t chunk_q = 0;
  int vi = 0;  // next vector of the held chunk
  std::deque<Vec> skid, dil;
  std::deque<Vec> place;     // ca_issue_width > 1: Concentration's placement register (0 or 1)
  std::deque<Vec> merge;     // ca_issue_width > 1: Concentration's merge register (0 or 1 entry)
  std::deque<uint8_t> conc;  // element flags: bit 0 ends a vector, bit 1 ends a pixel
  // segment register: per remaining accumulate cycle, whether it applies a pixel end
  std::vector<uint8_t> s1;
  size_t s1_pos = 0;
  // beat buffer (a skid buffer between the Concentration and the segment register): the
  // accumulate steps of each beat
  std::deque<std::vector<uint8_t>> beats;
  bool zout_v = false;
  std::deque<int64_t> zq;  // Z queue entry cycles
  // pass bookkeeping: the CA unit's pass and its chunks not yet taken, the cycle it may take
  // the first, the MAC unit's pass, the started passes waiting for the MAC unit (pend, 0..2),
  // the cycle of the MAC unit's last start, and the row's registered "ready for the next pass"
  // (next_ok)
  int ca_pass = -1, mac_pass = -1, pend = 0;
  int64_t left = 0, armed_from = 0, go_t = -1;
  bool next_ok = true;
  // MAC unit
  int setup = 0;
  bool offs_ok = false;  // the lane offsets are set up (a pass has run)
  bool busy = false, in_out = false, out_all = false, in_ready = false;
  int cyc = 0, yi = 0, x = 0, ro = 0, co = 0;
  // the input pointer is in the next pass (this pass's input complete, a started pass waits)
  bool ahead = false;
  // every input of the pass taken as of the previous cycle, no start in it (the RTL's in_done_q)
  bool in_done_prev = false;
  int64_t finish = -1, last_adv = -1, last_in = -1;
  std::deque<int64_t> out_ready;  // cycles the outputs reach the collector's beat
  int64_t inflight = 0;           // outputs past the MAC not yet collected
  // outputs leaving the MAC unit (cycle each may, kAccLatency after its last MAC cycle) and
  // those the requantisation took, not yet collected (at most requant_cap)
  std::deque<int64_t> acc_due;
  int64_t held = 0;
  // outputs of the MAC unit's previous pass still before the requantisation when it restarted;
  // the next restart waits until they are through (the requantisation's parameters switch)
  int64_t old_left = 0;
};

// A row's registered state at the start of a cycle, as the stages read it.
struct RowStart {
  size_t skid = 0, dil = 0, zq = 0;
  bool zout = false, chunk_v = false;
  bool armed = false;   // the CA unit may take a chunk of its pass
  int64_t written = 0;  // entries written into the row's ring buffer
};

// The layer's fixed figures.
struct Layer {
  Layer(const Config& c, const LayerShape& s, const std::vector<std::vector<RowWork>>& work);
  const Config& c;
  const LayerShape& s;
  const std::vector<std::vector<RowWork>>& work;
  int64_t N = 0;  // chunks of a pass (entries of the layer's input per pass)
  int lanes = 0, ni = 0;
  // The Concentration: the fill level up to which it takes a cycle's vectors; whether it takes
  // one vector per cycle straight into its queue (one issued vector gathered whole), else its
  // placement and merge registers come first.
  int conc_room = 0;
  bool direct = false;
  int K = 0, hp = 0, w2p = 0, h2p = 0;
  // Outputs past the MAC unit's issue before it stalls (its output skid buffer, the
  // requantisation, the output queue), and those the requantisation and the output queue hold.
  int out_cap = 0, requant_cap = 0;
};

}  // namespace escgen::perf::detail
