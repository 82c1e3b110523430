// The layer model's Concentration (pass_stages.h, blocks/concentration.h): the element queue of
// a row's CA unit. Each cycle it hands the beat buffer up to ca_lanes elements crossing at most
// lookaside_distance vector ends, when the beat is full, cut, or ends at a vector end with no
// vector arriving; Dilution's vectors come in whole while the queue has room (ca_issue_width > 1
// or gather parts: through the placement and merge registers).
#include "blocks/stream.h"
#include "perf/pass_stages.h"

namespace escgen::perf::detail {

namespace {

// The elements the next beat takes from the head of the queue.
int take(const Layer& L, const std::deque<uint8_t>& q) {
  int ends = 0, k = 0;
  while (k < L.lanes && k < static_cast<int>(q.size()) && ends <= L.c.lookaside_distance) {
    ends += q[static_cast<size_t>(k)] & 1;
    ++k;
  }
  return k;
}

// The beat of the queue's first tk elements into the beat buffer. Its accumulate cycles: one up
// to and including each pixel end; elements after the last pixel end go with it (the RTL starts
// the next pixel's Z from them, `tail`), and a beat without a pixel end takes one cycle.
void emit_beat(Row& r, int tk) {
  std::vector<uint8_t> steps;
  for (int k = 0; k < tk; ++k)
    if (r.conc[static_cast<size_t>(k)] & 2) steps.push_back(1);
  if (steps.empty()) steps.push_back(0);
  r.beats.push_back(std::move(steps));
  r.conc.erase(r.conc.begin(), r.conc.begin() + tk);
}

// A cycle's vectors into the queue: each vector's elements, its last flagged as a vector end
// (and the cycle's last vector's as the pixel's end); an empty vector appends one element.
void append(Row& r, const Vec& v) {
  for (size_t q = 0; q < v.sizes.size(); ++q) {
    const int size = v.sizes[q];
    const uint8_t end = static_cast<uint8_t>(1 | (v.pe && q + 1 == v.sizes.size() ? 2 : 0));
    if (size == 0) r.conc.push_back(end);
    for (int k = 0; k < size; ++k) r.conc.push_back(k == size - 1 ? end : 0);
  }
}

}  // namespace

void concentration_step(const Layer& L, Row& r, int64_t t, const RowStart& r0, size_t beats0) {
  // Out: a beat offered (full, cut, or ending at a vector end with nothing arriving) and the beat
  // buffer's registered ready.
  const bool conc_ready = beats0 < static_cast<size_t>(blocks::kSkidCapacity);
  const bool cin_valid = r0.dil > 0 && r.dil.front().t < t;
  const bool merge0 = !r.merge.empty();
  const int n0 = static_cast<int>(r.conc.size());
  if (n0 > 0) {
    const int tk = take(L, r.conc);
    const bool arriving = L.direct ? cin_valid : merge0;
    const bool ov =
        tk == L.lanes || tk < n0 || ((r.conc[static_cast<size_t>(tk - 1)] & 1) && !arriving);
    if (ov && conc_ready) emit_beat(r, tk);
  }
  // In: room for a cycle's vectors as of the start of the cycle.
  const bool room = n0 <= L.conc_room;
  if (L.direct) {
    if (cin_valid && room) {
      append(r, r.dil.front());
      r.dil.pop_front();
    }
    return;
  }
  const bool place0 = !r.place.empty();
  const bool merge_go = merge0 && room;
  const bool place_go = place0 && (!merge0 || merge_go);
  if (merge_go) {
    append(r, r.merge.front());
    r.merge.pop_front();
  }
  if (place_go) {
    r.merge.push_back(r.place.front());
    r.place.pop_front();
  }
  if (cin_valid && (!place0 || place_go)) {
    r.place.push_back(r.dil.front());
    r.dil.pop_front();
  }
}

}  // namespace escgen::perf::detail
