// Cycle model of a layer (see pass_model.h): the pass loop and the controller's pass side. Each
// cycle first reads every stage's state as it was at the start of the cycle (registered readies
// and valids), then applies the transfers, downstream first (pass_stages.h); an item moved into
// a queue at cycle t is visible to its consumer at t + 1.
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

#include "blocks/ca_unit.h"
#include "blocks/concentration.h"
#include "perf/pass_stages.h"
#include "perf/weight_side.h"
#include "util/error.h"

namespace escgen::perf {

namespace detail {

namespace {

// The CA unit's parameters that shape its Concentration (design/row.cpp builds the unit).
blocks::ConcentrationParams row_concentration(const Config& c) {
  // The element width plays no part in the timing.
  return blocks::ca_unit_concentration({.row_width = c.row_width,
                                        .lanes = c.ca_lanes,
                                        .lookahead = c.lookahead_depth,
                                        .lookaside = c.lookaside_distance,
                                        .issue = c.ca_issue_width,
                                        .gather_lanes = c.gather_lanes},
                                       1);
}

}  // namespace

Layer::Layer(const Config& c_, const LayerShape& s_, const std::vector<std::vector<RowWork>>& w)
    : c(c_), s(s_), work(w) {
  N = static_cast<int64_t>(s.h) * s.w * s.chunks;
  lanes = c.ca_lanes;
  ni = c.ca_issue_width;
  const blocks::ConcentrationParams conc = row_concentration(c);
  conc_room = blocks::concentration_room(conc);
  direct = conc.inputs == 1;
  K = c.max_k;
  hp = s.h + s.pad;
  w2p = s.w + 2 * s.pad;
  h2p = s.h + 2 * s.pad;
  requant_cap = blocks::kRequantCapacity + c.out_fifo_depth;
  out_cap = requant_cap + blocks::kSkidCapacity;
}

}  // namespace detail

using detail::Row;

namespace {

void check_shape(const Config& c, const LayerShape& s,
                 const std::vector<std::vector<RowWork>>& work, const std::vector<int64_t>& loads,
                 int64_t basis_load) {
  const int G = static_cast<int>(work.size());
  const int P = s.rows, R = c.rows_per_tile, T = P / R;
  if (G < 1 || static_cast<int>(loads.size()) != G || T * R != P || basis_load < 1)
    throw InternalError("simulate_layer: shape");
  for (const auto& g : work)
    if (static_cast<int>(g.size()) != P) throw InternalError("simulate_layer: row count");
}

// A bound on the layer's cycles far above any real run: past it the model does not terminate.
int64_t cycle_limit(const detail::Layer& L, const std::vector<int64_t>& loads, int64_t basis_load) {
  const LayerShape& s = L.s;
  const int64_t n_out = static_cast<int64_t>(s.h_out) * s.w_out;
  const int64_t G = static_cast<int64_t>(loads.size());
  int64_t limit = basis_load;
  for (int64_t l : loads) limit += l;
  return 64 * (limit + G * (L.N + n_out * s.mac_cycles + 1000) * std::max(1, s.d));
}

// One cycle of a row's stages, downstream first, from its state at the start of the cycle.
void row_cycle(const detail::Layer& L, Row& r, int i, int64_t t, int64_t written, bool starting,
               std::vector<PassResult>& passes) {
  using namespace detail;
  const RowStart r0{.skid = r.skid.size(),
                    .dil = r.dil.size(),
                    .zq = r.zq.size(),
                    .zout = r.zout_v,
                    .chunk_v = r.chunk_v,
                    .armed = r.left > 0 && t >= r.armed_from,
                    .written = written};
  mac_cycle(L, r, t, r0, starting, passes);
  requant_take(L, r, t);
  mac_in_ready(L, r);
  const size_t beats0 = accumulate_step(L, r, t, r0);
  concentration_step(L, r, t, r0, beats0);
  issue_to_dilution(r, t, r0);
  const bool chunk_ready = chunk_stage(L, r, i, t, r0, passes);
  ring_read(L, r, r0, chunk_ready);
  // Registered: the CA unit has taken its pass and holds no chunk, fewer than two started
  // passes wait for the MAC unit (the next pass may start; a parameter switch still waiting
  // for the previous pass's outputs, old_left, is held in the row's run_* registers).
  r.next_ok = !starting && !r0.armed && !r0.chunk_v && r.pend < kRowPassesWaiting;
}

// A pass starts: each row's CA unit takes its chunks from the next cycle; its MAC unit starts
// now when idle, else in the cycle it finishes (the parameters wait, pend; the passes start in
// order, so the MAC unit's next is the one after its last).
void start_pass(std::vector<Row>& rows, int64_t N, int pass, int64_t t) {
  for (auto& r : rows) {
    r.ca_pass = pass;
    r.left = N;
    r.armed_from = t + 1;
    ++r.pend;
  }
}

// Every row idle (registered: finished before this cycle, nothing pending, every output
// collected), and every row ready for the next pass.
struct RowsState {
  bool idle = true, next = true;
};
RowsState rows_state(const std::vector<Row>& rows, int64_t t) {
  RowsState st;
  for (const auto& r : rows) {
    if (r.busy || r.finish >= t || r.pend > 0 || r.inflight > 0 || r.mac_pass < 0) st.idle = false;
    if (!r.next_ok) st.next = false;
  }
  return st;
}

// The controller's pass side: the running pass, its input, its start pulse, the groups' gos.
struct Passes {
  bool run = false, act_done = false;
  int64_t start_at = -1, last_pop = -1, idle_from = -1;
  int in_pass = -1;  // the pass whose input streams
  std::vector<int64_t> go_at;
};

LayerRun finish(const Passes& p, std::vector<PassResult> passes, int64_t t, bool queued) {
  LayerRun res;
  const size_t G = passes.size();
  res.cycles = queued ? t : t + 1;
  res.end = t;
  res.last_go = p.go_at[G - 1];
  res.idle_from = p.idle_from < 0 ? t : p.idle_from;
  for (size_t g = 0; g < G; ++g)
    passes[g].cycles = (g + 1 < G ? p.go_at[g + 1] : res.end) - p.go_at[g];
  res.passes = std::move(passes);
  return res;
}

}  // namespace

QueuedStart queued_behind(const LayerRun& before) {
  return {.weight_lead =
              std::max<int64_t>(0, before.end - (before.last_go + detail::kQueuedBasisDelay)),
          .idle_lead = std::max<int64_t>(0, before.end - before.idle_from)};
}

LayerRun simulate_layer(const Config& c, const LayerShape& s,
                        const std::vector<std::vector<RowWork>>& work,
                        const std::vector<int64_t>& loads, int64_t basis_load,
                        const QueuedStart* queued) {
  check_shape(c, s, work, loads, basis_load);
  const detail::Layer L(c, s, work);
  const int G = static_cast<int>(work.size()), R = c.rows_per_tile;
  const bool pf = c.weight_prefetch != 0;
  std::vector<Row> rows(static_cast<size_t>(s.rows));
  std::vector<int64_t> written(static_cast<size_t>(s.rows / R), 0);
  std::deque<int64_t> dec;  // decoder entries (cycle entered)
  int64_t sent = L.N;
  std::vector<PassResult> passes(static_cast<size_t>(G));
  Passes p;
  p.go_at.assign(static_cast<size_t>(G), -1);
  const int64_t limit = cycle_limit(L, loads, basis_load);
  detail::WeightSide ws(loads, basis_load, pf, queued);
  const int64_t go_from = ws.run_ahead();

  for (int64_t t = 0;; ++t) {
    if (t > limit) throw InternalError("perf: the layer model does not terminate");
    for (auto& r : rows) detail::mac_finish(r, t, L.hp);
    // Every pass ended: every row idle, the input taken, the output register empty.
    const RowsState rs = rows_state(rows, t);
    const bool starting = p.start_at == t;
    const bool pass_end = p.run && p.act_done && rs.idle && p.last_pop < t && !starting;
    const bool may_go = !p.run || pass_end || (pf && p.act_done && rs.next && !starting);
    const bool go = ws.group_ready() && may_go && t >= go_from;
    if (starting) {
      start_pass(rows, L.N, p.in_pass, t);
      sent = 0;
    }
    for (auto& r : rows) detail::mac_take_pending(L, r, t);
    if (go) p.go_at[static_cast<size_t>(ws.next_group())] = t;
    // Loading exposed: the next pass could start but its group is still loading.
    if (ws.loading_rows() && may_go) ++passes[static_cast<size_t>(ws.next_group())].load_exposed;
    if (detail::collect(rows, t)) p.last_pop = t;
    // Input side, from the start-of-cycle state.
    const size_t dec0 = dec.size();
    const bool rings = detail::rings_ready(L, rows, written);
    for (int i = 0; i < s.rows; ++i)
      row_cycle(L, rows[static_cast<size_t>(i)], i, t, written[static_cast<size_t>(i / R)],
                starting, passes);
    const bool act_last =
        detail::input_step(L, t, dec0, rings, p.in_pass, sent, dec, written, passes);
    // Controller registers. The last pass's rows all idle with its input taken (a queued
    // layer's basis may go in).
    if (p.run && p.act_done && rs.idle && !starting && ws.next_group() == G && p.idle_from < 0)
      p.idle_from = t;
    if (pass_end && ws.done()) return finish(p, std::move(passes), t, queued != nullptr);
    if (go) {
      p.act_done = false;
      p.start_at = t + 1;
      p.in_pass = ws.next_group();
    } else if (act_last) {
      p.act_done = true;
    }
    p.run = go || (p.run && !pass_end);
    ws.step(t, go, pass_end || (queued != nullptr && !p.run && t >= 0));
  }
}

}  // namespace escgen::perf
