// The layer model's output side (pass_stages.h): per row the MAC unit's output register into the
// requantisation, which with the output queue holds requant_cap outputs, and the collector,
// one beat when every row's next output has reached it.
#include <algorithm>

#include "perf/pass_stages.h"

namespace escgen::perf::detail {

void requant_take(const Layer& L, Row& r, int64_t t) {
  if (r.acc_due.empty() || r.acc_due.front() > t || r.held >= L.requant_cap) return;
  r.acc_due.pop_front();
  if (r.old_left > 0) --r.old_left;
  // Held back at the MAC unit's output register, the output reaches the beat that much later.
  int64_t& ready = r.out_ready[static_cast<size_t>(r.held)];
  ready = std::max(ready, t + kRequantToBeat);
  ++r.held;
}

bool collect(std::vector<Row>& rows, int64_t t) {
  for (const auto& r : rows)
    if (r.out_ready.empty() || r.out_ready.front() > t) return false;
  for (auto& r : rows) {
    r.out_ready.pop_front();
    --r.inflight;
    --r.held;
  }
  return true;
}

}  // namespace escgen::perf::detail
