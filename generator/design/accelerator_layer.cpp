// The top's layer control (see accelerator_stages.h): a start taken, queued or refused, the error
// status, and the layer fields in three stages: q_* (the queued start's), n_* (the layer the
// weight side loads) and l_* (the layer whose passes run), with a pass's input chunk count.
#include <fmt/format.h>

#include "design/accelerator_stages.h"
#include "netlist/expr.h"

namespace escgen::top {

using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

void add_start_queue(Module& m) {
  m.wire("busy", 1, "a layer is running (or a queued one loading)");
  m.assign("busy", "~" + state_is(kIdle) + " | run_q | start_rows");
  m.wire("status_busy", 1, "STATUS.busy: running, or the counters still settling");
  m.assign("status_busy", "busy | (|fin_pipe)");
  // CTRL.start: accepted at once with nothing running or settling; while a layer runs or its
  // counters settle it is queued (its fields and check taken now) and the weight side takes it
  // once the running layer's last group has gone (or that layer has ended): the run goes on. The
  // queue never meets a second start: the AXI slave answers SLVERR to a start while `queued`,
  // and a start reaches here two cycles after its write at the earliest, when q_valid is set.
  m.wire("accept", 1, "a start with nothing running or settling: a fresh run");
  m.assign("accept", "start_req & ~status_busy & (check_code == 8'd0)");
  m.wire("qacc", 1, "a start is queued behind the running (or settling) layer");
  m.assign("qacc", "start_req & status_busy & (check_code == 8'd0)");
  m.wire("refuse", 1);
  m.assign("refuse", "start_req & (check_code != 8'd0)");
  m.reg("q_valid", 1, "qacc | (q_valid & ~take)", "", lit(1, 0),
        "a start waits in the queue (STATUS.queued)");
  m.wire("take", 1, "the weight side takes the queued start (the run goes on)");
  m.assign("take", "q_valid & " + state_is(kIdle));
  m.wire("wtake", 1, "the weight side takes a layer");
  m.assign("wtake", "accept | take");
  m.reg("error_q", 1, "refuse | (error_q & ~accept & ~qacc)", "", lit(1, 0));
  m.reg("error_code_q", 8, "refuse ? check_code : (accept | qacc) ? 8'd0 : error_code_q", "",
        lit(8, 0));
}

// Layer fields in three stages: q_* (the queued start's, taken at its CTRL write), n_* (the
// layer the weight side loads, from the registers or the queue) and l_* (the layer whose passes
// run: n_*'s at the layer's first go, so a queued layer's fields never reach a running one).
void add_layer_fields(Module& m, const TopShape& s) {
  const int kb = s.kb, db = s.db, cb = s.cb, tb = s.tb;
  // Basis taps: bt per weight beat (basis_taps_per_beat): the basis takes ceil(d*k*k / bt) beats.
  m.wire("taps_calc", tb, "d * k * k");
  m.assign("taps_calc", fmt::format("{} * {} * {}", zext(slice("r_d", db - 1, 0), db, tb),
                                    zext(slice("r_k", kb - 1, 0), kb, tb),
                                    zext(slice("r_k", kb - 1, 0), kb, tb)));
  struct Field {
    const char* name;
    int width;
    std::string src;  // from the shape registers
    bool run;         // used by the passes (l_*)
    const char* note;
  };
  const int lane_bits = s.lane_bits;
  const std::vector<Field> fields = {
      {"k", kb, slice("r_k", kb - 1, 0), true, ""},
      {"d", db, slice("r_d", db - 1, 0), true, ""},
      {"stride", s.sb, slice("r_stride", s.sb - 1, 0), true, ""},
      {"pad", s.pb, slice("r_pad", s.pb - 1, 0), true, ""},
      {"h", s.hb, slice("r_h", s.hb - 1, 0), true, ""},
      {"w", s.wb, slice("r_w", s.wb - 1, 0), true, ""},
      {"mode", 1, "r_mode[0]", true, ""},
      {"c_out", s.cob, slice("r_c_out", s.cob - 1, 0), false, ""},
      // ceil(c_in / row_width) = (c_in >> lane_bits) + (any of the low bits set)
      {"chunks", cb,
       fmt::format("{} + {}", slice("r_c_in", lane_bits + cb - 1, lane_bits),
                   zext(fmt::format("(|{})", slice("r_c_in", lane_bits - 1, 0)), 1, cb)),
       true, "chunks per pixel"},
      {"taps", tb, "taps_calc", false, "basis taps d * k * k"},
  };
  for (const Field& f : fields) {
    m.reg(fmt::format("q_{}", f.name), f.width, f.src, "qacc", {}, f.note);
    m.reg(fmt::format("n_{}", f.name), f.width, fmt::format("q_valid ? q_{} : {}", f.name, f.src),
          "wtake", {}, f.note);
    if (f.run)
      m.reg(fmt::format("l_{}", f.name), f.width, fmt::format("n_{}", f.name), "first_go", {},
            f.note);
  }
  // A pass's input chunks, from the loaded layer's fields in two registered products (short
  // paths; a layer's first go comes at least three cycles after its fields, after the basis and
  // one group's rows, so both have settled), held for the passes from the first go.
  const int pcw = s.pass_chunk_bits;
  m.reg("n_pixels", pcw, fmt::format("{} * {}", zext("n_h", s.hb, pcw), zext("n_w", s.wb, pcw)), "",
        {}, "h * w");
  m.reg("n_pass_chunks", pcw, fmt::format("n_pixels * {}", zext("n_chunks", cb, pcw)), "", {},
        "h * w * chunks");
  m.reg("l_pass_chunks", pcw, "n_pass_chunks", "first_go", {}, "h * w * chunks");
  m.reg("lfirst_q", 1, "wtake | (lfirst_q & ~go)", "", lit(1, 0),
        "the loaded layer's first group has not gone yet");
  m.wire("first_go", 1, "a layer's first group goes: its fields become the passes'");
  m.assign("first_go", "go & lfirst_q");
}

}  // namespace escgen::top
