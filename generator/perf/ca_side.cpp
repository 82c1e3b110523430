// The layer model's CA side (pass_stages.h), around the Concentration (conc_side.cpp): the chunk
// stage issuing up to ca_issue_width (chunk, basis) vectors per cycle into the issue buffer (a
// skid buffer), Dilution, and behind the Concentration the beat buffer (a skid buffer), the
// segment register (one accumulate cycle per pixel end of a beat) and the Z output register
// into the Z queue.
#include "blocks/drain_buffer.h"
#include "blocks/stream.h"
#include "perf/pass_stages.h"

namespace escgen::perf::detail {

bool chunk_stage(const Layer& L, Row& r, int i, int64_t t, const RowStart& r0,
                 std::vector<PassResult>& passes) {
  if (!r.chunk_v) return true;
  const RowWork& wk = L.work[static_cast<size_t>(r.ca_pass)][static_cast<size_t>(i)];
  const size_t q = static_cast<size_t>(r.chunk_q);
  const int nv = static_cast<int>(wk.first[q + 1] - wk.first[q]);
  bool consume = false;
  if (nv == 0) {
    consume = true;
  } else if (r0.skid < static_cast<size_t>(blocks::kSkidCapacity)) {
    const bool last_chunk = (r.chunk_q % L.s.chunks) == L.s.chunks - 1;
    Vec v;
    for (int k = 0; k < L.ni && r.vi < nv; ++k, ++r.vi)
      v.sizes.push_back(wk.vec_size[wk.first[q] + static_cast<size_t>(r.vi)]);
    v.pe = last_chunk && r.vi == nv;
    v.t = t;
    r.skid.push_back(std::move(v));
    ++passes[static_cast<size_t>(r.ca_pass)].ca_issue;
    if (r.vi == nv) consume = true;
  }
  if (consume) r.chunk_v = false;
  return consume;
}

void issue_to_dilution(Row& r, int64_t t, const RowStart& r0) {
  if (r0.skid > 0 && r.skid.front().t < t && r0.dil < static_cast<size_t>(blocks::kDrainCapacity)) {
    Vec v = r.skid.front();
    r.skid.pop_front();
    v.t = t;
    r.dil.push_back(v);
  }
}

size_t accumulate_step(const Layer& L, Row& r, int64_t t, const RowStart& r0) {
  // Z output register -> Z queue.
  bool zmove = false;
  if (r0.zout && r0.zq < static_cast<size_t>(L.c.z_fifo_depth)) {
    r.zq.push_back(t);
    r.zout_v = false;
    zmove = true;
  }
  // Segment register -> accumulators: a pixel end waits for the Z output register.
  const bool z_free = !r0.zout || zmove;
  bool s1_take = false;
  const bool s1_v = r.s1_pos < r.s1.size();
  if (s1_v) {
    const bool pe = r.s1[r.s1_pos];
    if (!pe || z_free) {
      if (pe) r.zout_v = true;
      if (++r.s1_pos == r.s1.size()) s1_take = true;
    }
  }
  // Beat buffer -> segment register; the buffer's ready is registered.
  const bool beat_ready = !s1_v || s1_take;
  const size_t beats0 = r.beats.size();
  if (beats0 > 0 && beat_ready) {
    r.s1 = std::move(r.beats.front());
    r.beats.pop_front();
    r.s1_pos = 0;
  }
  return beats0;
}

}  // namespace escgen::perf::detail
