// Cycle model of a layer (see pass_model.h). Each cycle first reads every stage's state as it
// was at the start of the cycle (registered readies and valids), then applies the transfers,
// downstream first; an item moved into a queue at cycle t is visible to its consumer at t + 1.
//
//   rows 2, chunks 1, one input pixel, the pass's start pulse at cycle 0: cycle 0 the source
//   fires into the decoder, 1 the ring write, 2 a reader's head, 3 the chunk stage, 4 the issue
//   buffer, 5 dilution, 6 concentration.
//
// The ring buffers, queues and the collector run on across passes: entries are numbered from
// the layer's first input beat (pass p's chunks are p*N .. p*N + N - 1).
#include "perf/pass_model.h"

#include <algorithm>
#include <deque>

#include "util/error.h"

namespace escgen::perf {

namespace {

// Calibrated against the RTL (escgen sim --no-stall): cycles from an output's last MAC cycle to
// the head of the row's output queue.
constexpr int kOutLatency = 11;
// Cycles from an output's last MAC cycle to the MAC unit's output register, and the outputs the
// requantisation pipeline holds (skid buffer 2, three stages).
constexpr int kAccLatency = 5;
constexpr int kRequantDepth = 5;

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
  // beat buffer (a skid buffer between the Concentration and the segment register, capacity 2):
  // the accumulate steps of each beat
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
  std::deque<int64_t> out_ready;  // cycles the outputs reach the output queue's head
  int64_t inflight = 0;           // outputs past the MAC not yet collected
  // outputs leaving the MAC unit (cycle each may, kAccLatency after its last MAC cycle) and
  // those the requantisation took, not yet collected (at most kRequantDepth + out_fifo_depth)
  std::deque<int64_t> acc_due;
  int64_t held = 0;
  // outputs of the MAC unit's previous pass still before the requantisation when it restarted;
  // the next restart waits until they are through (the requantisation's parameters switch)
  int64_t old_left = 0;
};

// The MAC unit's state at its start (the cycle `start` is accepted).
void mac_restart(Row& r, const Config& c, const LayerShape& s, int pass) {
  r.mac_pass = pass;
  // The lane offsets take macs_per_row cycles after the first start; a later pass of the layer
  // (same k) keeps them.
  r.setup = r.offs_ok ? 1 : c.macs_per_row + 1;
  r.busy = true;
  r.in_out = r.out_all = false;
  r.cyc = r.ro = r.co = 0;
  if (r.ahead) {  // the pointer keeps the pixels taken early (in_ready stays as registered)
    r.ahead = false;
  } else {  // in_ready: registered, high from the next cycle
    r.in_ready = false;
    r.x = 0;
    r.yi = s.pad;
  }
  r.finish = r.last_adv = r.last_in = -1;
  r.old_left = static_cast<int64_t>(r.acc_due.size());
}

// Weight-side states of the controller.
enum class Wst { Idle, Basis, Rows, Held, Wait };

}  // namespace

QueuedStart queued_behind(const LayerRun& before) {
  return {.weight_lead = std::max<int64_t>(0, before.end - (before.last_go + 2)),
          .idle_lead = std::max<int64_t>(0, before.end - before.idle_from)};
}

LayerRun simulate_layer(const Config& c, const LayerShape& s,
                        const std::vector<std::vector<RowWork>>& work,
                        const std::vector<int64_t>& loads, int64_t basis_load,
                        const QueuedStart* queued) {
  const int G = static_cast<int>(work.size());
  const int P = s.rows, R = c.rows_per_tile, T = P / R;
  if (G < 1 || static_cast<int>(loads.size()) != G || T * R != P || basis_load < 1)
    throw InternalError("simulate_layer: shape");
  for (const auto& g : work)
    if (static_cast<int>(g.size()) != P) throw InternalError("simulate_layer: row count");
  const bool pf = c.weight_prefetch != 0;
  const int64_t N = static_cast<int64_t>(s.h) * s.w * s.chunks;
  const int64_t n_out = static_cast<int64_t>(s.h_out) * s.w_out;
  const int lanes = c.ca_lanes, ni = c.ca_issue_width;
  const int cap = c.row_width * (ni + c.lookahead_depth) + lanes;
  // The Concentration takes one vector per cycle straight into its queue only when each cycle
  // brings one (one issued vector gathered whole); otherwise (ca_issue_width > 1, or gather
  // parts) its placement and merge registers come first.
  const bool direct = ni * c.derived.gather_parts == 1;
  const int K = c.max_k, hp = s.h + s.pad, w2p = s.w + 2 * s.pad, h2p = s.h + 2 * s.pad;
  const int out_cap = c.out_fifo_depth + 7;
  std::vector<Row> rows(static_cast<size_t>(P));
  std::vector<int64_t> written(static_cast<size_t>(T), 0);
  std::deque<int64_t> dec;  // decoder entries (cycle entered)
  int64_t sent = N, last_pop = -1;
  LayerRun res;
  res.passes.resize(static_cast<size_t>(G));
  std::vector<int64_t> go_at(static_cast<size_t>(G), -1);
  int64_t limit = basis_load;
  for (int64_t l : loads) limit += l;
  limit = 64 * (limit + G * (N + n_out * s.mac_cycles + 1000) * std::max(1, s.d));

  // Controller: weight side, the pass being streamed (in_pass), its start pulse (start_at).
  Wst wst = Wst::Basis;
  int64_t beats = basis_load, start_at = -1;
  int ng = 0, in_pass = -1;  // next group to go; the pass whose input streams
  bool run = false, act_done = false;
  // The weight side's next state at the end of cycle t: the basis, then each group's rows (held
  // until the group goes; without prefetch, after a go, waiting until `wait_ends`). Returns
  // whether the basis's last beat was taken in cycle t.
  auto weight_step = [&](int64_t t, bool go, bool wait_ends) {
    const bool basis_done = wst == Wst::Basis && beats == 1;
    if (basis_done) {
      // A queued layer without prefetch waits for the other layer's end (its passes run until
      // t = 0, the cycle it ends in).
      wst = queued != nullptr && !pf && t <= 0 ? Wst::Wait : Wst::Rows;
      beats = loads[0];
    } else if (go) {
      ++ng;
      if (ng == G) {
        wst = Wst::Idle;
      } else if (pf) {
        wst = Wst::Rows;
        beats = loads[static_cast<size_t>(ng)];
      } else {
        wst = Wst::Wait;
      }
    } else if (wst == Wst::Rows && beats == 1) {
      wst = Wst::Held;
    } else if (wst == Wst::Wait && wait_ends) {
      wst = Wst::Rows;
      beats = loads[static_cast<size_t>(ng)];
    } else if (wst == Wst::Basis || wst == Wst::Rows) {
      --beats;
    }
    return basis_done;
  };
  // A queued layer: its weight side before the other layer's end (t < 0: no go, no pass), and
  // the cycle from which its first group may go (the buffered basis's last beat written).
  int64_t go_from = 0, idle_from = -1;
  if (queued != nullptr) {
    int64_t basis_at = -1;  // the cycle the basis's last beat is taken
    for (int64_t t = -queued->weight_lead; t < 0; ++t)
      if (weight_step(t, false, false)) basis_at = t;
    // Still in the basis at t = 0: it ends after basis_load more beats at most; the write-out
    // then starts the cycle after it (and not before the rows are idle).
    if (wst == Wst::Basis) basis_at = beats - 1;
    go_from = std::max(basis_at + 1, -queued->idle_lead) + basis_load - 1;
  }

  auto take = [&](const std::deque<uint8_t>& q) {
    int ends = 0, k = 0;
    while (k < lanes && k < static_cast<int>(q.size()) && ends <= c.lookaside_distance) {
      ends += q[static_cast<size_t>(k)] & 1;
      ++k;
    }
    return k;
  };

  for (int64_t t = 0;; ++t) {
    if (t > limit) throw InternalError("perf: the layer model does not terminate");
    // MAC units finished (busy low from this cycle): the cycle after the last output's last MAC
    // cycle and 2 after the last input pixel was taken (stride > 1 can leave trailing input
    // pixels no output reads, k 1 stride 2); its outputs may still be in its pipeline.
    for (auto& r : rows)
      if (r.busy && r.out_all && (r.yi == hp || r.ahead) &&
          t >= std::max(r.last_adv + 1, r.last_in + 2)) {
        r.busy = false;
        r.finish = t;
      }
    // Every pass ended: every row idle (registered: finished before this cycle, nothing
    // pending, every output collected), the input taken, the output register empty.
    bool all_idle = true, all_next = true;
    for (const auto& r : rows) {
      if (r.busy || r.finish >= t || r.pend > 0 || r.inflight > 0 || r.mac_pass < 0)
        all_idle = false;
      if (!r.next_ok) all_next = false;
    }
    const bool starting = start_at == t;
    const bool pass_end = run && act_done && all_idle && last_pop < t && !starting;
    const bool rows_loaded = wst == Wst::Rows && beats == 1;
    const bool may_go = !run || pass_end || (pf && act_done && all_next && !starting);
    const bool go = (wst == Wst::Held || rows_loaded) && may_go && t >= go_from;
    // A pass starts: each row's CA unit takes its chunks from the next cycle; its MAC unit
    // starts now when idle, else in the cycle it finishes (the parameters wait, pend; the passes
    // start in order, so the MAC unit's next is the one after its last).
    if (starting) {
      for (auto& r : rows) {
        r.ca_pass = in_pass;
        r.left = N;
        r.armed_from = t + 1;
        ++r.pend;
      }
      sent = 0;
    }
    for (auto& r : rows)
      if (r.pend > 0 && !r.busy && r.old_left == 0) {
        --r.pend;
        r.go_t = t;
        mac_restart(r, c, s, r.mac_pass + 1);
      }
    if (go) go_at[static_cast<size_t>(ng)] = t;
    // Loading exposed: the next pass could start but its group is still loading.
    if (wst == Wst::Rows && may_go) ++res.passes[static_cast<size_t>(ng)].load_exposed;

    // Collector.
    bool all = true;
    for (const auto& r : rows)
      if (r.out_ready.empty() || r.out_ready.front() > t) all = false;
    if (all) {
      for (auto& r : rows) {
        r.out_ready.pop_front();
        --r.inflight;
        --r.held;
      }
      last_pop = t;
    }
    // Input side, from the start-of-cycle state.
    const size_t dec0 = dec.size();
    std::vector<int64_t> min_fetched(static_cast<size_t>(T), INT64_MAX);
    for (int i = 0; i < P; ++i)
      min_fetched[static_cast<size_t>(i / R)] =
          std::min(min_fetched[static_cast<size_t>(i / R)], rows[static_cast<size_t>(i)].fetched);
    bool rings_ready = true;
    for (int ti = 0; ti < T; ++ti)
      if (written[static_cast<size_t>(ti)] - min_fetched[static_cast<size_t>(ti)] >=
          c.input_buffer_depth)
        rings_ready = false;

    for (int i = 0; i < P; ++i) {
      Row& r = rows[static_cast<size_t>(i)];
      const size_t skid0 = r.skid.size(), dil0 = r.dil.size(), zq0 = r.zq.size();
      const bool zout0 = r.zout_v, chunk_v0 = r.chunk_v;
      const bool armed = r.left > 0 && t >= r.armed_from;
      const int64_t written0 = written[static_cast<size_t>(i / R)];
      // MAC unit.
      const bool run_mac = r.busy && r.setup == 0;
      if (run_mac) r.offs_ok = true;
      const bool in_fire = r.in_ready && zq0 > 0 && r.zq.front() < t;
      const int xi = r.x + s.pad;
      const bool in_done = r.yi == hp || r.ahead;
      const bool stall = r.inflight >= out_cap;
      // The window's next position leaves the padded width / height (the pointer's last column /
      // row of windows).
      const bool row_end = r.co + s.stride + s.k > w2p, last_row = r.ro + s.stride + s.k > h2p;
      // The unit finishes this cycle, known from its registers (the RTL's `finishing`): the
      // input complete as of the previous cycle, and every output issued before or the last
      // taps of the last output, already in progress. A waiting pass then starts in this cycle
      // (go_now), after this cycle's issue.
      const bool last_taps = r.in_out && !stall && r.cyc + 1 == s.mac_cycles && row_end && last_row;
      const bool go_now =
          run_mac && r.in_done_prev && (r.out_all || last_taps) && r.pend > 0 && r.old_left == 0;
      // The pointer moves on to the waiting pass: the RTL's `next` is the row's registered pend
      // (r.pend before this cycle's start and restart), and a restart in this cycle takes
      // precedence.
      const bool ahead_set =
          r.go_t != t && !go_now && r.pend - (starting ? 1 : 0) > 0 && r.yi == hp && !r.ahead;
      const bool ready_in =
          in_done || r.yi >= r.ro + s.k || (r.yi + 1 == r.ro + s.k && xi >= r.co + s.k);
      const bool start_out = run_mac && !r.in_out && !r.out_all && ready_in;
      if (r.busy && !stall && (r.in_out || start_out)) {
        ++res.passes[static_cast<size_t>(r.mac_pass)].mac_busy;
        if (++r.cyc == s.mac_cycles) {
          r.cyc = 0;
          r.in_out = false;
          ++r.inflight;
          r.last_adv = t;
          r.out_ready.push_back(t + kOutLatency);
          r.acc_due.push_back(t + kAccLatency);
          if (row_end) {
            r.co = 0;
            if (last_row)
              r.out_all = true;
            else
              r.ro += s.stride;
          } else {
            r.co += s.stride;
          }
        } else {
          r.in_out = true;
        }
      }
      if (go_now) {
        --r.pend;
        r.go_t = t;
        mac_restart(r, c, s, r.mac_pass + 1);
      }
      r.in_done_prev = in_done && r.go_t != t;
      if (in_fire) {
        r.zq.pop_front();
        if (!r.ahead) r.last_in = t;  // this pass's input, not the next one's
        if (++r.x == s.w) {
          r.x = 0;
          ++r.yi;
        }
      }
      if (ahead_set) {
        r.ahead = true;
        r.yi = s.pad;
      }
      if (r.setup > 0) --r.setup;
      // MAC output register -> requantisation.
      if (!r.acc_due.empty() && r.acc_due.front() <= t &&
          r.held < kRequantDepth + c.out_fifo_depth) {
        r.acc_due.pop_front();
        if (r.old_left > 0) --r.old_left;
        int64_t& ready = r.out_ready[static_cast<size_t>(r.held)];
        ready = std::max(ready, t + (kOutLatency - kAccLatency));
        ++r.held;
      }
      {
        const int xin = r.x + s.pad;
        // The row the next pixel replaces is padded row yi - K (ahead: this pass's h + yi - K).
        const int yr = r.ahead ? s.h + r.yi : r.yi;
        const bool safe = r.out_all || r.ro + K > yr || (r.ro + K == yr && r.co > xin);
        r.in_ready = r.yi != hp && (r.ahead || r.busy) && safe;
      }
      // Z output register -> Z queue.
      bool zmove = false;
      if (zout0 && zq0 < static_cast<size_t>(c.z_fifo_depth)) {
        r.zq.push_back(t);
        r.zout_v = false;
        zmove = true;
      }
      // Segment register -> accumulators.
      const bool z_free = !zout0 || zmove;
      bool s1_take = false;
      const bool s1_v = r.s1_pos < r.s1.size();
      if (s1_v) {
        const bool pe = r.s1[r.s1_pos];
        if (!pe || z_free) {
          if (pe) r.zout_v = true;
          if (++r.s1_pos == r.s1.size()) s1_take = true;
        }
      }
      // Beat buffer -> segment register; the buffer's ready is registered (fewer than 2 beats).
      const bool beat_ready = !s1_v || s1_take;
      const size_t beats0 = r.beats.size();
      if (beats0 > 0 && beat_ready) {
        r.s1 = std::move(r.beats.front());
        r.beats.pop_front();
        r.s1_pos = 0;
      }
      // Concentration.
      const bool conc_ready = beats0 < 2;
      const bool cin_valid = dil0 > 0 && r.dil.front().t < t;
      const bool merge0 = !r.merge.empty();
      const int n0 = static_cast<int>(r.conc.size());
      bool ov = false;
      int tk = 0;
      if (n0 > 0) {
        tk = take(r.conc);
        const bool arriving = direct ? cin_valid : merge0;
        ov = tk == lanes || tk < n0 || ((r.conc[static_cast<size_t>(tk - 1)] & 1) && !arriving);
      }
      if (ov && conc_ready) {
        // Accumulate cycles of the beat: one up to and including each pixel end; elements after
        // the last pixel end go with it (the RTL starts the next pixel's Z from them, `tail`),
        // and a beat without a pixel end takes one cycle.
        std::vector<uint8_t> steps;
        for (int k = 0; k < tk; ++k)
          if (r.conc[static_cast<size_t>(k)] & 2) steps.push_back(1);
        if (steps.empty()) steps.push_back(0);
        r.beats.push_back(std::move(steps));
        r.conc.erase(r.conc.begin(), r.conc.begin() + tk);
      }
      auto append = [&](const Vec& v) {
        for (size_t q = 0; q < v.sizes.size(); ++q) {
          const int size = v.sizes[q];
          const uint8_t end = static_cast<uint8_t>(1 | (v.pe && q + 1 == v.sizes.size() ? 2 : 0));
          if (size == 0) r.conc.push_back(end);
          for (int k = 0; k < size; ++k) r.conc.push_back(k == size - 1 ? end : 0);
        }
      };
      const bool room = n0 <= cap - ni * c.row_width;
      if (direct) {
        if (cin_valid && room) {
          append(r.dil.front());
          r.dil.pop_front();
        }
      } else {
        const bool place0 = !r.place.empty();
        const bool merge_go = merge0 && room;
        const bool place_go = place0 && (!merge0 || merge_go);
        if (merge_go) {
          append(r.merge.front());
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
      // Issue buffer -> Dilution.
      if (skid0 > 0 && r.skid.front().t < t && dil0 < 2) {
        Vec v = r.skid.front();
        r.skid.pop_front();
        v.t = t;
        r.dil.push_back(v);
      }
      // Chunk stage.
      bool consume = false;
      if (r.chunk_v) {
        const RowWork& wk = work[static_cast<size_t>(r.ca_pass)][static_cast<size_t>(i)];
        const size_t q = static_cast<size_t>(r.chunk_q);
        const int nv = static_cast<int>(wk.first[q + 1] - wk.first[q]);
        if (nv == 0) {
          consume = true;
        } else if (skid0 < 2) {
          const bool last_chunk = (r.chunk_q % s.chunks) == s.chunks - 1;
          Vec v;
          for (int k = 0; k < ni && r.vi < nv; ++k, ++r.vi)
            v.sizes.push_back(wk.vec_size[wk.first[q] + static_cast<size_t>(r.vi)]);
          v.pe = last_chunk && r.vi == nv;
          v.t = t;
          r.skid.push_back(std::move(v));
          ++res.passes[static_cast<size_t>(r.ca_pass)].ca_issue;
          if (r.vi == nv) consume = true;
        }
      }
      const bool chunk_ready = !r.chunk_v || consume;
      if (consume) r.chunk_v = false;
      // Ring reader: fetches while its spare is empty (decided before the take); the chunk
      // stage takes only its own pass's chunks.
      const bool fetch = r.head.size() < 2 && written0 > r.fetched;
      if (!r.head.empty() && chunk_ready && armed) {
        r.chunk_v = true;
        r.chunk_q = r.head.front() - static_cast<int64_t>(r.ca_pass) * N;
        r.vi = 0;
        r.head.pop_front();
        --r.left;
      }
      if (fetch) r.head.push_back(r.fetched++);
      // Registered: the CA unit has taken its pass and holds no chunk, fewer than two started
      // passes wait for the MAC unit (the next pass may start; a parameter switch still waiting
      // for the previous pass's outputs, old_left, is held in the row's run_* registers).
      r.next_ok = !starting && !armed && !chunk_v0 && r.pend < 2;
    }
    // Decoder -> ring buffers; source -> decoder.
    if (dec0 > 0 && dec.front() < t) {
      if (rings_ready) {
        dec.pop_front();
        for (auto& wr : written) ++wr;
      } else {
        ++res.passes[static_cast<size_t>(std::max(in_pass, 0))].inbuf_full;
      }
    }
    bool act_last = false;
    if (in_pass >= 0 && sent < N && dec0 < 2) {
      dec.push_back(t);
      act_last = ++sent == N;
    }
    // Controller registers.
    // The last pass's rows all idle with its input taken (a queued layer's basis may go in).
    if (run && act_done && all_idle && !starting && ng == G && idle_from < 0) idle_from = t;
    if (pass_end && wst == Wst::Idle) {
      res.cycles = queued != nullptr ? t : t + 1;
      res.end = t;
      res.last_go = go_at[static_cast<size_t>(G - 1)];
      res.idle_from = idle_from < 0 ? t : idle_from;
      for (int g = 0; g < G; ++g)
        res.passes[static_cast<size_t>(g)].cycles =
            (g + 1 < G ? go_at[static_cast<size_t>(g + 1)] : res.end) -
            go_at[static_cast<size_t>(g)];
      return res;
    }
    if (go) {
      act_done = false;
      start_at = t + 1;
      in_pass = ng;
    } else if (act_last) {
      act_done = true;
    }
    run = go || (run && !pass_end);
    weight_step(t, go, pass_end || (queued != nullptr && !run && t >= 0));
  }
}

}  // namespace escgen::perf
