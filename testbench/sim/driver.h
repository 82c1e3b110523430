// The simulation driver: runs one layer on the accelerator top (Verilated `Vescgen_accelerator`,
// or any model with the same port names) only through its ports. Reset, AXI4-Lite writes and
// reads, the weight and input streams fed with seeded random valid gaps, the output stream taken
// with seeded random ready back-pressure, STATUS polling, a cycle limit that turns a hang into a
// clear error naming the stuck stream and STATUS, and the counter registers at the end.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "regmap.h"
#include "sim_options.h"
#include "sim_rng.h"
#include "stim_files.h"
#include "wide_port.h"

namespace escgen::sim {

// The accelerator misbehaved (timeout, STATUS.error, wrong beat counts): exit status 1.
struct SimFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SimResult {
  Beats out;
  uint64_t cycles = 0;        // driver-measured: first start write accepted .. STATUS.done seen
  uint64_t total_cycles = 0;  // every clock cycle incl. reset and register writes
  uint32_t status = 0;
  std::vector<std::pair<std::string, uint32_t>> counters;  // name, value (register map order)
};

// Default cycle limit: 64 cycles per beat of every stream plus a constant.
inline uint64_t default_cycle_limit(const StimFiles& s) {
  return 64 * (s.wgt.count + s.act.count + s.out_count) + 100000;
}

std::string hex32(uint32_t v);
std::string status_text(uint32_t status);

template <class Model>
class Driver {
 public:
  // `on_eval(time)` runs after every eval (waveform dumping); may be empty.
  Driver(Model& m, const StimFiles& stim, const SimOptions& o,
         std::function<void(uint64_t)> on_eval = {})
      : m_(m),
        stim_(stim),
        opt_(o),
        on_eval_(std::move(on_eval)),
        wgt_{"weight stream", &stim.wgt, SimRng(o.seed * 4 + 1)},
        act_{"input stream", &stim.act, SimRng(o.seed * 4 + 2)},
        ready_rng_(o.seed * 4 + 3) {
    out_.bits = stim.out_bits;
    out_.words_per_beat = static_cast<size_t>((stim.out_bits + 31) / 32);
    limit_ = o.max_cycles ? o.max_cycles : default_cycle_limit(stim);
  }

  SimResult run() {
    reset();
    const uint32_t id = read(regmap::kId);
    if (id != regmap::kIdValue)
      throw SimFailure("ID register reads " + hex32(id) + ", expected " + hex32(regmap::kIdValue));
    // Every write in order; a run of queued layers has one CTRL.start per layer, written while
    // the layer before runs. Cycles count from the first start.
    uint64_t start = 0;
    bool started = false;
    for (const auto& [addr, data] : stim_.regs) {
      // The start queue holds one: a later layer's start waits until the one before has begun.
      const bool is_start = addr == regmap::kCtrl && (data & regmap::kCtrlStart);
      const bool later_start = started && is_start;
      if (later_start && opt_.late_start_out >= 0) {
        while (out_.count < static_cast<size_t>(opt_.late_start_out)) step();
        for (uint64_t i = 0; i < opt_.late_start_delay; ++i) step();
      }
      if (later_start && opt_.queue_wait) wait_not_queued();
      write(addr, data);
      if (is_start && !started) {
        start = last_w_cycle_;
        started = true;
      }
    }
    if (!started) throw SimFailure("regs.hex: no CTRL.start write");
    uint32_t status = 0;
    for (;;) {
      status = read(regmap::kStatus);
      if (status & regmap::kStatusError) {
        const uint32_t code = regmap::status_error_code(status);
        throw SimFailure("STATUS.error set (" + status_text(status) +
                         "): the accelerator refused " + "the layer, first failing check " +
                         std::to_string(code) + " (" + regmap::error_code_name(code) + ")");
      }
      if (status & regmap::kStatusDone) break;
    }
    SimResult r;
    r.cycles = cycle_ - start;
    r.status = status;
    // A few more cycles with the output ready: a beat past the expected count is an error.
    for (int i = 0; i < 16; ++i) step();
    check_complete();
    for (const regmap::Counter& c : regmap::kCounters)
      r.counters.emplace_back(c.name, read(c.addr));
    r.total_cycles = cycle_;
    r.out = out_;
    return r;
  }

  uint64_t cycle() const { return cycle_; }

 private:
  struct Source {
    const char* name;
    const Beats* beats;
    SimRng rng;
    size_t next = 0;
    bool valid = false;
    uint64_t since = 0;  // cycle of the last transfer (or of the start)
  };

  void reset() {
    m_.rst_n = 0;
    for (int i = 0; i < 8; ++i) step();
    m_.rst_n = 1;
    for (int i = 0; i < 2; ++i) step();
  }

  // Offers the next beat with probability valid_prob (a valid beat is never withdrawn).
  void offer(Source& s) {
    if (!s.valid && s.next < s.beats->count && s.rng.chance(opt_.valid_prob)) s.valid = true;
  }

  void step() {
    if (cycle_ >= limit_) timeout();
    offer(wgt_);
    offer(act_);
    m_.s_wgt_tvalid = wgt_.valid;
    if (wgt_.valid)
      put_words(m_.s_wgt_tdata, wgt_.beats->beat(wgt_.next), wgt_.beats->words_per_beat);
    m_.s_act_tvalid = act_.valid;
    if (act_.valid)
      put_words(m_.s_act_tdata, act_.beats->beat(act_.next), act_.beats->words_per_beat);
    const bool out_ready = ready_rng_.chance(opt_.ready_prob);
    m_.m_out_tready = out_ready;
    m_.s_axil_awvalid = aw_pending_;
    m_.s_axil_awaddr = static_cast<std::remove_reference_t<decltype(m_.s_axil_awaddr)>>(aw_addr_);
    m_.s_axil_wvalid = w_pending_;
    m_.s_axil_wdata = w_data_;
    m_.s_axil_wstrb = 0xF;
    m_.s_axil_bready = 1;
    m_.s_axil_arvalid = ar_pending_;
    m_.s_axil_araddr = static_cast<std::remove_reference_t<decltype(m_.s_axil_araddr)>>(ar_addr_);
    m_.s_axil_rready = 1;
    m_.clk = 0;
    m_.eval();
    if (on_eval_) on_eval_(2 * cycle_);
    // Handshakes of this rising edge (ready/valid outputs come from registers).
    const bool wgt_fire = wgt_.valid && m_.s_wgt_tready;
    const bool act_fire = act_.valid && m_.s_act_tready;
    const bool out_fire = out_ready && m_.m_out_tvalid;
    const bool aw_fire = aw_pending_ && m_.s_axil_awready, w_fire = w_pending_ && m_.s_axil_wready;
    const bool b_fire = m_.s_axil_bvalid, ar_fire = ar_pending_ && m_.s_axil_arready;
    const bool r_fire = m_.s_axil_rvalid;
    if (out_fire) take_output();
    if (b_fire) {
      b_seen_ = true;
      bresp_ = static_cast<uint32_t>(m_.s_axil_bresp);
    }
    if (r_fire) {
      r_seen_ = true;
      rdata_ = static_cast<uint32_t>(m_.s_axil_rdata);
      rresp_ = static_cast<uint32_t>(m_.s_axil_rresp);
    }
    m_.clk = 1;
    m_.eval();
    if (on_eval_) on_eval_(2 * cycle_ + 1);
    ++cycle_;
    for (Source* s : {&wgt_, &act_})
      if ((s == &wgt_ && wgt_fire) || (s == &act_ && act_fire)) {
        s->valid = false;
        ++s->next;
        s->since = cycle_;
      }
    if (aw_fire) aw_pending_ = false;
    if (w_fire) {
      w_pending_ = false;
      last_w_cycle_ = cycle_;
    }
    if (ar_fire) ar_pending_ = false;
  }

  void take_output() {
    if (out_.count >= stim_.out_count)
      throw SimFailure("output stream: more than the expected " + std::to_string(stim_.out_count) +
                       " beats (" + std::to_string(out_.count + 1) + "th at cycle " +
                       std::to_string(cycle_) + ")");
    out_.words.resize(out_.words.size() + out_.words_per_beat);
    get_words(m_.m_out_tdata, out_.words.data() + out_.count * out_.words_per_beat,
              out_.words_per_beat);
    ++out_.count;
    out_since_ = cycle_ + 1;
  }

  void wait_not_queued() {
    for (;;) {
      const uint32_t status = read(regmap::kStatus);
      if (status & regmap::kStatusError)
        throw SimFailure("STATUS.error set (" + status_text(status) +
                         ") while a queued layer waited: a start was refused");
      if (!(status & regmap::kStatusQueued)) return;
    }
  }

  void write(uint32_t addr, uint32_t data) {
    aw_pending_ = w_pending_ = true;
    aw_addr_ = addr;
    w_data_ = data;
    b_seen_ = false;
    axi_op_ = "write of " + hex32(data) + " to " + hex32(addr);
    axi_since_ = cycle_;
    while (!b_seen_) step();
    axi_op_.clear();
    if (aw_pending_ || w_pending_)
      throw SimFailure("AXI4-Lite: write response before the address and data were accepted (" +
                       hex32(addr) + ")");
    if (bresp_ != 0)
      throw SimFailure("AXI4-Lite: write of " + hex32(data) + " to " + hex32(addr) +
                       " answered bresp " + std::to_string(bresp_));
  }

  uint32_t read(uint32_t addr) {
    ar_pending_ = true;
    ar_addr_ = addr;
    r_seen_ = false;
    axi_op_ = "read of " + hex32(addr);
    axi_since_ = cycle_;
    while (!r_seen_) step();
    axi_op_.clear();
    if (rresp_ != 0)
      throw SimFailure("AXI4-Lite: read of " + hex32(addr) + " answered rresp " +
                       std::to_string(rresp_));
    return rdata_;
  }

  std::string stream_state(const Source& s) const {
    if (s.next == s.beats->count)
      return std::string(s.name) + " complete (" + std::to_string(s.next) + " beats)";
    return std::string(s.name) + " at beat " + std::to_string(s.next) + " of " +
           std::to_string(s.beats->count) + ", no transfer since cycle " + std::to_string(s.since) +
           (s.valid ? " (tvalid high, tready low)" : "");
  }

  std::string out_state() const {
    if (out_.count == stim_.out_count)
      return "output stream complete (" + std::to_string(out_.count) + " beats)";
    return "output stream at beat " + std::to_string(out_.count) + " of " +
           std::to_string(stim_.out_count) + ", no beat since cycle " + std::to_string(out_since_) +
           " (tvalid low)";
  }

  void check_complete() const {
    if (wgt_.next != wgt_.beats->count || act_.next != act_.beats->count ||
        out_.count != stim_.out_count)
      throw SimFailure("STATUS.done but " + stream_state(wgt_) + "; " + stream_state(act_) + "; " +
                       out_state());
  }

  [[noreturn]] void timeout() {
    if (in_timeout_) throw SimFailure("STATUS unreadable");
    in_timeout_ = true;
    std::string msg = "timeout after " + std::to_string(cycle_) + " cycles (limit " +
                      std::to_string(limit_) +
                      (opt_.max_cycles ? ", --max-cycles" : ", 64 x beats + 100000") + "): ";
    std::vector<std::string> stuck;
    for (const Source* s : {&wgt_, &act_})
      if (s->next < s->beats->count) stuck.push_back(stream_state(*s));
    if (out_.count < stim_.out_count) stuck.push_back(out_state());
    const bool axi_stuck = !axi_op_.empty() && cycle_ - axi_since_ > 1000;
    if (axi_stuck)
      stuck.push_back("AXI4-Lite " + axi_op_ + " not answered since cycle " +
                      std::to_string(axi_since_));
    if (stuck.empty()) stuck.push_back("every stream complete, STATUS.done never seen");
    for (size_t i = 0; i < stuck.size(); ++i) msg += (i ? "; " : "") + stuck[i];
    // STATUS, with a fresh budget: finish the transaction in flight, then read.
    std::string status = "STATUS unreadable";
    if (!axi_stuck) {
      limit_ = cycle_ + 2000;
      try {
        while (ar_pending_ || (axi_op_.rfind("read", 0) == 0 && !r_seen_)) step();
        while (aw_pending_ || w_pending_ || (axi_op_.rfind("write", 0) == 0 && !b_seen_)) step();
        status = "STATUS " + status_text(read(regmap::kStatus));
      } catch (const SimFailure&) {
      }
    }
    throw SimFailure(msg + "; " + status);
  }

  Model& m_;
  const StimFiles& stim_;
  const SimOptions& opt_;
  std::function<void(uint64_t)> on_eval_;
  Source wgt_, act_;
  SimRng ready_rng_;
  Beats out_;
  uint64_t out_since_ = 0;
  uint64_t cycle_ = 0, limit_ = 0, last_w_cycle_ = 0, axi_since_ = 0;
  bool in_timeout_ = false;
  bool aw_pending_ = false, w_pending_ = false, ar_pending_ = false, b_seen_ = false,
       r_seen_ = false;
  uint32_t aw_addr_ = 0, w_data_ = 0, ar_addr_ = 0, bresp_ = 0, rdata_ = 0, rresp_ = 0;
  std::string axi_op_;
};

}  // namespace escgen::sim
