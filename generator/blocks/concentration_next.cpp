// Concentration next state (see concentration_shape.h): both next states, from registers only:
// without the beat taken (`n_`) the incoming elements go at count_q behind the queue; with it
// (`p_`) the queue shifts down by take_q and they go at cpop_q = count_q - take_q. The handshake
// picks one: two append shifters in parallel instead of the append's shifter in series with the
// pop's. Each state's beat is computed here too (concentration_beat.cpp), so the registers'
// next values are a selection by the handshake.
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "blocks/concentration_shape.h"
#include "blocks/lane_shift.h"
#include "netlist/expr.h"

namespace escgen::blocks::conc_detail {
namespace {

using netlist::bit;
using netlist::lane;
using netlist::lit;
using netlist::Module;
using netlist::slice;
using netlist::zext;

// The incoming elements as they would be appended (from registers, or the input port with one
// input), and whether they are: the beat logic gates them late, after their shifts.
std::string in_go(const Shape& s) {
  return s.ni == 1 ? "push" : "mg_go";
}
std::string in_raw(const Shape& s) {
  return zext(s.ni == 1 ? "in_elems_raw" : "mg_elems_q", s.wbits, s.cbits);
}
std::string in_raw_last(const Shape& s) {
  return s.ni == 1 ? "in_last_raw" : "mg_last_q";
}

// The append shifters of both states, the pop's shifter, and the popped queue's first target
// ends.
void add_shifts(Module& m, const Shape& s) {
  const int l = s.l, e = s.e, wn = s.wn, cbits = s.cbits;
  const std::string in_last_e = zext("in_last_vec", wn, e);
  m.wire("in_therm", l, "bit j: more than j elements would be appended");
  for (int j = 0; j < l; ++j)
    m.assign(bit("in_therm", j),
             fmt::format("{} > {}", in_raw(s), lit(cbits, static_cast<uint64_t>(j))));
  add_lane_shift_left(m, "n_app_data", "in_vec", wn, e, s.vb, "count_q", cbits);
  add_lane_shift_left(m, "p_app_data", "in_vec", wn, e, s.vb, "cpop_q", cbits);
  add_lane_shift_right(m, "p_kept_data", "data_q", e, s.vb, "take_q", s.lbits);
  m.wire("n_app_last", e);
  m.assign("n_app_last", fmt::format("{} << count_q", in_last_e));
  m.wire("p_app_last", e);
  m.assign("p_app_last", fmt::format("{} << cpop_q", in_last_e));
  // The popped queue's first target ends again, selected by the take's one-hot (AND/OR) rather
  // than through the pop's shifter: they start the beat logic.
  m.wire("p_kept_flags", l, "last_q >> take_q, first lanes");
  for (int k = 0; k < l; ++k) {
    std::string any;
    for (int x = 0; x <= l; ++x)
      any += (any.empty() ? "" : " | ") + fmt::format("(toh_q[{}] & last_q[{}])", x, k + x);
    m.assign(bit("p_kept_flags", k), any);
  }
  m.wire("p_kept_last", e);
  m.assign("p_kept_last", "last_q >> take_q");
}

// A state's queue with the incoming elements appended, and its count.
void add_appended(Module& m, const Shape& s, bool popped) {
  const int e = s.e, vb = s.vb, cbits = s.cbits;
  const std::string pre = popped ? "p_" : "n_", base = popped ? "cpop_q" : "count_q";
  const std::string kd = popped ? "p_kept_data" : "data_q", kl = popped ? "p_kept_last" : "last_q";
  m.wire(pre + "all_data", e * vb, "the queue with the incoming elements appended");
  m.wire(pre + "all_last", e);
  for (int i = 0; i < e; ++i) {
    const std::string held = fmt::format("({} > {})", base, lit(cbits, static_cast<uint64_t>(i)));
    m.assign(lane(pre + "all_data", i, vb),
             fmt::format("{} ? {} : {}", held, lane(kd, i, vb), lane(pre + "app_data", i, vb)));
    m.assign(bit(pre + "all_last", i),
             fmt::format("{} ? {} : {}", held, bit(kl, i), bit(pre + "app_last", i)));
  }
  m.wire(pre + "cnt", cbits, "elements of the next state");
  m.assign(pre + "cnt", fmt::format("{} ? ({} + {}) : {}", in_go(s), base, in_raw(s), base));
}

// A state's first lanes, from registers: which hold an element and their target ends; the
// queue's (`held`: the registered thermometer of base), then the incoming ones placed behind by
// the one-hot of base (AND/OR, no shifter, no compare).
void add_first_lanes(Module& m, const Shape& s, bool popped) {
  const int l = s.l;
  const std::string pre = popped ? "p_" : "n_", kf = popped ? "p_kept_flags" : "last_q";
  const std::string hq = popped ? "hp_q" : "hn_q", eq = pre + "base_at";
  m.wire(eq, l, "one-hot: base == m (none when base >= lanes)");
  for (int k = 0; k < l; ++k)
    m.assign(bit(eq, k),
             k == 0 ? "~" + bit(hq, 0) : fmt::format("{} & ~{}", bit(hq, k - 1), bit(hq, k)));
  const auto placed = [&](const std::string& v, int k) {
    std::string any;
    for (int x = 0; x <= k; ++x)
      any += (any.empty() ? "" : " | ") + fmt::format("({} & {})", bit(eq, x), bit(v, k - x));
    return fmt::format("{} & ({})", in_go(s), any);
  };
  m.wire(pre + "has", l, "lane holds an element");
  m.wire(pre + "flags", l, "the next state's first target ends");
  for (int k = 0; k < l; ++k) {
    m.assign(bit(pre + "has", k), fmt::format("{} | {}", bit(hq, k), placed("in_therm", k)));
    m.assign(bit(pre + "flags", k),
             fmt::format("{} ? {} : {}", bit(hq, k), bit(kf, k), placed(in_raw_last(s), k)));
  }
}

// The registers' next values: the handshake selects the taken state or the other.
void add_selection(Module& m, const Shape& s) {
  const std::string room_max = lit(s.cbits, static_cast<uint64_t>(s.room));
  for (const char* r : {"data", "last"})
    m.assign(fmt::format("{}_d", r), fmt::format("fire ? p_all_{} : n_all_{}", r, r));
  m.assign("count_d", "fire ? p_cnt : n_cnt");
  m.assign("room_d", fmt::format("fire ? (p_cnt <= {}) : (n_cnt <= {})", room_max, room_max));
  m.assign("hn_d", fmt::format("fire ? {} : {}", slice("p_cnt_gt", s.l - 1, 0),
                               slice("n_cnt_gt", s.l - 1, 0)));
  // The beat's registers from the two states' beats.
  for (const auto& [reg, beat_wire] :
       std::vector<std::pair<const char*, const char*>>{{"hp", "left_gt"},
                                                        {"take", "take"},
                                                        {"toh", "toh"},
                                                        {"cpop", "left"},
                                                        {"tl", "take_lane"},
                                                        {"seg", "seg"},
                                                        {"ova", "ova"},
                                                        {"ovb", "ovb"}})
    m.assign(fmt::format("{}_d", reg), fmt::format("fire ? p_{} : n_{}", beat_wire, beat_wire));
}

}  // namespace

void add_next_state(Module& m, const Shape& s) {
  add_shifts(m, s);
  for (const bool popped : {false, true}) {
    const std::string pre = popped ? "p_" : "n_";
    add_appended(m, s, popped);
    add_first_lanes(m, s, popped);
    add_beat(m, s, pre, pre + "flags", pre + "cnt");
  }
  add_selection(m, s);
}

}  // namespace escgen::blocks::conc_detail
