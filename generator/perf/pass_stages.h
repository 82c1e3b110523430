// Internal to the layer's cycle model (pass_model.h): the stages of a cycle, in the order the
// pass loop (pass_model.cpp) applies them, downstream first. Each reads the state as it was at
// the start of the cycle (RowStart, registered readies and valids) and applies its transfers.
//   input side (input_side.cpp): the decoder, the tiles' ring buffers, a row's ring reader;
//   CA side (ca_side.cpp): the chunk stage, the issue buffer, Dilution, the Z accumulation;
//   Concentration (conc_side.cpp): the element queue and its beats;
//   MAC side (mac_side.cpp): the MAC unit's starts, issue, input pointer and finish;
//   output side (output_side.cpp): the requantisation and the output queue, the collector.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "perf/pass_state.h"

namespace escgen::perf::detail {

// Input side.
// Whether every tile's ring buffer can take an entry (each has room behind its slowest reader).
bool rings_ready(const Layer& L, const std::vector<Row>& rows, const std::vector<int64_t>& written);
// The decoder's head into the ring buffers (when they are ready), then the source into the
// decoder; dec0: the decoder's entries at the start of the cycle. Returns whether the pass's
// last input beat entered the decoder.
bool input_step(const Layer& L, int64_t t, size_t dec0, bool rings, int in_pass, int64_t& sent,
                std::deque<int64_t>& dec, std::vector<int64_t>& written,
                std::vector<PassResult>& passes);
// A row's ring reader: fetches while its spare is empty; the chunk stage takes its head.
void ring_read(const Layer& L, Row& r, const RowStart& r0, bool chunk_ready);

// CA side.
// The chunk stage: issues the held chunk's vectors into the issue buffer. Returns whether it
// may take a chunk (empty, or its chunk done this cycle).
bool chunk_stage(const Layer& L, Row& r, int i, int64_t t, const RowStart& r0,
                 std::vector<PassResult>& passes);
// The issue buffer's head into Dilution.
void issue_to_dilution(Row& r, int64_t t, const RowStart& r0);
// The Z output register into the Z queue, the segment register into the accumulators, the
// beat buffer into the segment register. Returns the beat buffer's beats at the start of the
// cycle.
size_t accumulate_step(const Layer& L, Row& r, int64_t t, const RowStart& r0);

// Concentration: a beat out of the element queue into the beat buffer (beats0: its beats at the
// start of the cycle), then Dilution's vectors in (through the placement and merge registers
// unless direct).
void concentration_step(const Layer& L, Row& r, int64_t t, const RowStart& r0, size_t beats0);

// MAC side.
// The MAC unit's state at its start (the cycle `start` is accepted).
void mac_restart(const Layer& L, Row& r, int pass);
// busy falls once the last output's taps and the last input are through.
void mac_finish(Row& r, int64_t t, int hp);
// A started pass waiting for an idle MAC unit starts it.
void mac_take_pending(const Layer& L, Row& r, int64_t t);
// The MAC unit's cycle: issue, a waiting pass's start in its finishing cycle, the input pointer;
// `starting`: a pass starts in this cycle.
void mac_cycle(const Layer& L, Row& r, int64_t t, const RowStart& r0, bool starting,
               std::vector<PassResult>& passes);
// The input pointer's ready for the next cycle (registered).
void mac_in_ready(const Layer& L, Row& r);

// Output side.
// The MAC unit's output register into the requantisation (room behind it in the output queue).
void requant_take(const Layer& L, Row& r, int64_t t);
// The collector: one beat when every row's next output is there. Returns whether it took one.
bool collect(std::vector<Row>& rows, int64_t t);

}  // namespace escgen::perf::detail
