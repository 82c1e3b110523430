// The layer model's input side (pass_stages.h): the source's beats of a pass into the SparseMap
// decoder, the decoder's chunks into every tile's ring buffer (all together, when each has room
// behind its slowest reader), and each row's ring reader (head and spare) feeding its chunk stage.
// Entries are numbered from the layer's first input beat (pass p's chunks are p*N .. p*N + N-1).
#include <algorithm>
#include <cstdint>

#include "blocks/ring_buffer.h"
#include "blocks/sparsemap.h"
#include "perf/pass_stages.h"

namespace escgen::perf::detail {

bool rings_ready(const Layer& L, const std::vector<Row>& rows,
                 const std::vector<int64_t>& written) {
  const int R = L.c.rows_per_tile, T = static_cast<int>(written.size());
  std::vector<int64_t> min_fetched(static_cast<size_t>(T), INT64_MAX);
  for (size_t i = 0; i < rows.size(); ++i) {
    int64_t& m = min_fetched[i / static_cast<size_t>(R)];
    m = std::min(m, rows[i].fetched);
  }
  for (int ti = 0; ti < T; ++ti)
    if (written[static_cast<size_t>(ti)] - min_fetched[static_cast<size_t>(ti)] >=
        L.c.input_buffer_depth)
      return false;
  return true;
}

bool input_step(const Layer& L, int64_t t, size_t dec0, bool rings, int in_pass, int64_t& sent,
                std::deque<int64_t>& dec, std::vector<int64_t>& written,
                std::vector<PassResult>& passes) {
  if (dec0 > 0 && dec.front() < t) {
    if (rings) {
      dec.pop_front();
      for (auto& wr : written) ++wr;
    } else {
      ++passes[static_cast<size_t>(std::max(in_pass, 0))].inbuf_full;
    }
  }
  if (in_pass >= 0 && sent < L.N && dec0 < static_cast<size_t>(blocks::kDecoderCapacity)) {
    dec.push_back(t);
    return ++sent == L.N;
  }
  return false;
}

void ring_read(const Layer& L, Row& r, const RowStart& r0, bool chunk_ready) {
  // The fetch is decided before the take (from registers); the chunk stage takes only its own
  // pass's chunks.
  const bool fetch =
      r.head.size() < static_cast<size_t>(blocks::kReaderSlots) && r0.written > r.fetched;
  if (!r.head.empty() && chunk_ready && r0.armed) {
    r.chunk_v = true;
    r.chunk_q = r.head.front() - static_cast<int64_t>(r.ca_pass) * L.N;
    r.vi = 0;
    r.head.pop_front();
    --r.left;
  }
  if (fetch) r.head.push_back(r.fetched++);
}

}  // namespace escgen::perf::detail
