// The layer model's MAC side (pass_stages.h): a row's MAC unit, its starts (a started pass
// waits, pend, until the unit is idle or finishing), its issue of ceil(d*k*k / macs) cycles per
// output, its input pointer over the Z queue (line-buffer hazards of max_k rows, and the next
// pass's pixels taken early) and its finish.
#include <algorithm>

#include "blocks/mac_unit.h"
#include "perf/pass_stages.h"

namespace escgen::perf::detail {

void mac_restart(const Layer& L, Row& r, int pass) {
  r.mac_pass = pass;
  // The lane offsets are set up after the first start; a later pass of the layer (same k) keeps
  // them.
  r.setup =
      (r.offs_ok ? 0 : blocks::mac_unit_setup_cycles(L.c.macs_per_row)) + blocks::kMacStartLatency;
  r.busy = true;
  r.in_out = r.out_all = false;
  r.cyc = r.ro = r.co = 0;
  if (r.ahead) {  // the pointer keeps the pixels taken early (in_ready stays as registered)
    r.ahead = false;
  } else {  // in_ready: registered, high from the next cycle
    r.in_ready = false;
    r.x = 0;
    r.yi = L.s.pad;
  }
  r.finish = r.last_adv = r.last_in = -1;
  r.old_left = static_cast<int64_t>(r.acc_due.size());
}

void mac_finish(Row& r, int64_t t, int hp) {
  // The cycle after the last output's last MAC cycle and 2 after the last input pixel was taken
  // (stride > 1 can leave trailing input pixels no output reads, k 1 stride 2); its outputs may
  // still be in its pipeline.
  if (r.busy && r.out_all && (r.yi == hp || r.ahead) &&
      t >= std::max(r.last_adv + blocks::kMacIdleAfterIssue,
                    r.last_in + blocks::kMacIdleAfterInput)) {
    r.busy = false;
    r.finish = t;
  }
}

void mac_take_pending(const Layer& L, Row& r, int64_t t) {
  if (r.pend > 0 && !r.busy && r.old_left == 0) {
    --r.pend;
    r.go_t = t;
    mac_restart(L, r, r.mac_pass + 1);
  }
}

namespace {

// The window's position: the MAC unit issues the taps of the output at (ro, co) and moves on.
struct Window {
  bool row_end = false;   // the next position leaves the padded width (the last column)
  bool last_row = false;  // and the padded height (the last row of windows)
};

// One issue cycle of the output in progress; its last cycle sends the output on.
void issue(const Layer& L, Row& r, int64_t t, const Window& w) {
  if (++r.cyc != L.s.mac_cycles) {
    r.in_out = true;
    return;
  }
  r.cyc = 0;
  r.in_out = false;
  ++r.inflight;
  r.last_adv = t;
  r.out_ready.push_back(t + kAccLatency + kRequantToBeat);
  r.acc_due.push_back(t + kAccLatency);
  if (w.row_end) {
    r.co = 0;
    if (w.last_row)
      r.out_all = true;
    else
      r.ro += L.s.stride;
  } else {
    r.co += L.s.stride;
  }
}

// The input pointer takes a pixel from the Z queue.
void take_input(const Layer& L, Row& r, int64_t t) {
  r.zq.pop_front();
  if (!r.ahead) r.last_in = t;  // this pass's input, not the next one's
  if (++r.x == L.s.w) {
    r.x = 0;
    ++r.yi;
  }
}

}  // namespace

void mac_cycle(const Layer& L, Row& r, int64_t t, const RowStart& r0, bool starting,
               std::vector<PassResult>& passes) {
  const LayerShape& s = L.s;
  const bool run_mac = r.busy && r.setup == 0;
  if (run_mac) r.offs_ok = true;
  const bool in_fire = r.in_ready && r0.zq > 0 && r.zq.front() < t;
  const int xi = r.x + s.pad;
  const bool in_done = r.yi == L.hp || r.ahead;
  const bool stall = r.inflight >= L.out_cap;
  const Window w{.row_end = r.co + s.stride + s.k > L.w2p,
                 .last_row = r.ro + s.stride + s.k > L.h2p};
  // The unit finishes this cycle, known from its registers (the RTL's `finishing`): the input
  // complete as of the previous cycle, and every output issued before or the last taps of the
  // last output, already in progress. A waiting pass then starts in this cycle (go_now), after
  // this cycle's issue.
  const bool last_taps = r.in_out && !stall && r.cyc + 1 == s.mac_cycles && w.row_end && w.last_row;
  const bool go_now =
      run_mac && r.in_done_prev && (r.out_all || last_taps) && r.pend > 0 && r.old_left == 0;
  // The pointer moves on to the waiting pass: the RTL's `next` is the row's registered pend
  // (r.pend before this cycle's start and restart), and a restart in this cycle takes
  // precedence.
  const bool ahead_set =
      r.go_t != t && !go_now && r.pend - (starting ? 1 : 0) > 0 && r.yi == L.hp && !r.ahead;
  const bool ready_in =
      in_done || r.yi >= r.ro + s.k || (r.yi + 1 == r.ro + s.k && xi >= r.co + s.k);
  const bool start_out = run_mac && !r.in_out && !r.out_all && ready_in;
  if (r.busy && !stall && (r.in_out || start_out)) {
    ++passes[static_cast<size_t>(r.mac_pass)].mac_busy;
    issue(L, r, t, w);
  }
  if (go_now) {
    --r.pend;
    r.go_t = t;
    mac_restart(L, r, r.mac_pass + 1);
  }
  r.in_done_prev = in_done && r.go_t != t;
  if (in_fire) take_input(L, r, t);
  if (ahead_set) {
    r.ahead = true;
    r.yi = s.pad;
  }
  if (r.setup > 0) --r.setup;
}

void mac_in_ready(const Layer& L, Row& r) {
  const int xin = r.x + L.s.pad;
  // The row the next pixel replaces is padded row yi - K (ahead: this pass's h + yi - K).
  const int yr = r.ahead ? L.s.h + r.yi : r.yi;
  const bool safe = r.out_all || r.ro + L.K > yr || (r.ro + L.K == yr && r.co > xin);
  r.in_ready = r.yi != L.hp && (r.ahead || r.busy) && safe;
}

}  // namespace escgen::perf::detail
