// Internal to the layer's cycle model (pass_model.h): the controller's weight side. It loads the
// basis, then each group's rows: with weight_prefetch a group's rows load during the previous
// pass and are held until the group goes; without, loading waits after each go until the pass
// ends. A queued layer's weight side runs ahead, before the other layer's end.
#pragma once

#include <cstdint>
#include <vector>

#include "perf/pass_model.h"

namespace escgen::perf::detail {

class WeightSide {
 public:
  // `queued`: the layer follows another (pass_model.h).
  WeightSide(const std::vector<int64_t>& loads, int64_t basis_load, bool prefetch,
             const QueuedStart* queued);

  // A queued layer: runs the cycles before the other layer's end (t < 0: no go, no pass) and
  // returns the cycle from which its first group may go (the buffered basis's last beat
  // written). 0 when not queued.
  int64_t run_ahead();

  // The next group's rows are loaded (held, or their last beat is taken in this cycle).
  bool group_ready() const { return st_ == State::Held || (st_ == State::Rows && beats_ == 1); }
  bool loading_rows() const { return st_ == State::Rows; }
  bool done() const { return st_ == State::Idle; }  // every group went
  int next_group() const { return next_; }

  // The state at the end of cycle t: `go`, the next group goes; `wait_ends`, loading may resume
  // after a go (without prefetch). Returns whether the basis's last beat was taken in cycle t.
  bool step(int64_t t, bool go, bool wait_ends);

 private:
  enum class State { Idle, Basis, Rows, Held, Wait };
  const std::vector<int64_t>& loads_;
  const int64_t basis_load_;
  const bool prefetch_;
  const QueuedStart* queued_;
  State st_ = State::Basis;
  int64_t beats_;  // beats left of the basis or of the group's rows
  int next_ = 0;   // the next group to go
};

}  // namespace escgen::perf::detail
