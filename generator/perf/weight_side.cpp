// The layer model's weight side (weight_side.h).
#include "perf/weight_side.h"

#include <algorithm>

namespace escgen::perf::detail {

WeightSide::WeightSide(const std::vector<int64_t>& loads, int64_t basis_load, bool prefetch,
                       const QueuedStart* queued)
    : loads_(loads),
      basis_load_(basis_load),
      prefetch_(prefetch),
      queued_(queued),
      beats_(basis_load) {}

int64_t WeightSide::run_ahead() {
  if (queued_ == nullptr) return 0;
  int64_t basis_at = -1;  // the cycle the basis's last beat is taken
  for (int64_t t = -queued_->weight_lead; t < 0; ++t)
    if (step(t, false, false)) basis_at = t;
  // Still in the basis at t = 0: it ends after basis_load more beats at most; the write-out then
  // starts the cycle after it (and not before the rows are idle).
  if (st_ == State::Basis) basis_at = beats_ - 1;
  return std::max(basis_at + 1, -queued_->idle_lead) + basis_load_ - 1;
}

bool WeightSide::step(int64_t t, bool go, bool wait_ends) {
  const int G = static_cast<int>(loads_.size());
  const bool basis_done = st_ == State::Basis && beats_ == 1;
  if (basis_done) {
    // A queued layer without prefetch waits for the other layer's end (its passes run until
    // t = 0, the cycle it ends in).
    st_ = queued_ != nullptr && !prefetch_ && t <= 0 ? State::Wait : State::Rows;
    beats_ = loads_[0];
  } else if (go) {
    ++next_;
    if (next_ == G) {
      st_ = State::Idle;
    } else if (prefetch_) {
      st_ = State::Rows;
      beats_ = loads_[static_cast<size_t>(next_)];
    } else {
      st_ = State::Wait;
    }
  } else if (st_ == State::Rows && beats_ == 1) {
    st_ = State::Held;
  } else if (st_ == State::Wait && wait_ends) {
    st_ = State::Rows;
    beats_ = loads_[static_cast<size_t>(next_)];
  } else if (st_ == State::Basis || st_ == State::Rows) {
    --beats_;
  }
  return basis_done;
}

}  // namespace escgen::perf::detail
