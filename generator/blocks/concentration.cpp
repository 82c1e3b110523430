// Concentration generator and cycle model (see concentration.h): parameter checks, the derived
// widths, the ports, and the assembly of the stages (concentration_shape.h) in order; then the
// cycle model.
//
//   lanes 4, lookaside 1; queue [a0 a1* b0 b1 b2* c0] (* = last of its target)
//   -> beat [a0 a1* b0 b1] (two segments), queue [b2* c0]; next beat [b2* c0 ...] once c
//   has 3 more elements, or at once if the input is idle and the queue ends with a target end.
#include "blocks/concentration.h"

#include <utility>
#include <vector>

#include <fmt/format.h>

#include "blocks/concentration_shape.h"
#include "util/bits.h"
#include "util/error.h"

namespace escgen::blocks {
namespace conc_detail {

Shape shape_of(const ConcentrationParams& p) {
  auto u = [](int v) { return static_cast<uint64_t>(v); };
  Shape s{};
  s.n = p.width, s.l = p.lanes, s.vb = p.value_bits, s.e = p.capacity(), s.ni = p.inputs;
  s.wn = s.ni * s.n;
  s.wbits = bits_for(u(s.wn));
  s.cbits = bits_for(u(s.e));
  s.nbits = bits_for(u(s.n));
  s.lbits = bits_for(u(s.l));
  s.segs = p.lookaside + 1;
  s.gs = p.group, s.ng = s.ni / s.gs;
  s.gbits = bits_for(u(s.gs * s.n));
  s.room = concentration_room(p);
  return s;
}

void add_ports(netlist::Module& m, const Shape& s) {
  const int n = s.n, l = s.l, vb = s.vb, ni = s.ni;
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  m.input("in_valid", 1);
  m.output("in_ready", 1);
  if (ni == 1) {
    m.input("in_count", s.nbits, "elements in in_data (compacted at the head)");
    m.input("in_data", n * vb);
    m.input("in_last", 1, "this vector ends its target");
  } else {
    m.input("in_count", ni * s.nbits, "per vector: elements (compacted at the head)");
    m.input("in_data", ni * n * vb, "vector p at [p*width*value_bits +: width*value_bits]");
    m.input("in_last", ni, "per vector: it ends its target");
  }
  if (s.gs > 1)
    m.input("in_total", s.ng * s.gbits,
            fmt::format("per group of {} vectors: the sum of their in_count", s.gs));
  m.output("out_valid", 1);
  m.input("out_ready", 1);
  m.output("out_count", s.lbits);
  m.output("out_data", l * vb, "zero beyond out_count");
  m.output("out_last", l, "lane ends its target");
  m.output("out_seg", s.segs * l,
           "lane k belongs to segment s (s target ends before it) at [s*lanes + k]; a lane's bit "
           "is meaningful below out_count");
}

}  // namespace conc_detail

namespace {

void check(const ConcentrationParams& p) {
  if (p.width < 2 || p.lanes < 1 || p.lanes > p.width || p.value_bits < 2 || p.lookahead < 0 ||
      p.lookaside < 0 || p.inputs < 1 || p.group < 1 || p.inputs % p.group != 0)
    throw InternalError(
        fmt::format("concentration: need 1 <= lanes ({}) <= width ({}), width >= 2, value_bits "
                    "({}) >= 2, lookahead ({}) >= 0, lookaside ({}) >= 0, inputs ({}) >= 1, "
                    "group ({}) >= 1 dividing inputs",
                    p.lanes, p.width, p.value_bits, p.lookahead, p.lookaside, p.inputs, p.group));
}

}  // namespace

std::string build_concentration(netlist::Design& design, const ConcentrationParams& p) {
  using namespace conc_detail;
  check(p);
  const std::string name =
      fmt::format("escgen_concentration_n{}_l{}_b{}_a{}_s{}{}{}", p.width, p.lanes, p.value_bits,
                  p.lookahead, p.lookaside, p.inputs == 1 ? "" : fmt::format("_i{}", p.inputs),
                  p.group == 1 ? "" : fmt::format("_g{}", p.group));
  if (design.has(name)) return name;
  const Shape s = shape_of(p);
  netlist::Module m(
      name,
      fmt::format("concentration: {}{} -> {} lanes of {} bits, queue of {} elements, "
                  "look-aside {}",
                  s.ni == 1 ? "" : fmt::format("{} x ", s.ni), s.n, s.l, s.vb, s.e, p.lookaside));
  add_ports(m, s);
  add_queue_state(m, s);
  add_queue_outputs(m, s);
  add_handshakes(m, s);
  add_input_vectors(m, s);
  if (s.ni > 1) add_placement_and_merge(m, s);
  add_next_state(m, s);
  design.add(std::move(m));
  return name;
}

ConcentrationModel::ConcentrationModel(const ConcentrationParams& p) : p_(p) {
  check(p);
}

int ConcentrationModel::take() const {
  int ends = 0, k = 0;
  while (k < p_.lanes && k < count() && ends <= p_.lookaside) {
    ends += queue_[static_cast<size_t>(k)].last;
    ++k;
  }
  return k;
}

bool ConcentrationModel::room() const {
  return count() <= concentration_room(p_);
}

bool ConcentrationModel::in_ready() const {
  return p_.inputs == 1 ? room() : !place_v_ || !merge_v_ || room();
}

bool ConcentrationModel::out_valid(bool in_valid) const {
  if (count() == 0) return false;
  const int t = take();
  const bool arriving = p_.inputs == 1 ? in_valid : merge_v_;
  return t == p_.lanes || t < count() || (queue_[static_cast<size_t>(t - 1)].last && !arriving);
}

ConcentrationModel::Beat ConcentrationModel::out_beat() const {
  Beat b;
  b.count = take();
  b.data.assign(static_cast<size_t>(p_.lanes), 0);
  b.last.assign(static_cast<size_t>(p_.lanes), 0);
  for (int k = 0; k < b.count; ++k) {
    b.data[static_cast<size_t>(k)] = queue_[static_cast<size_t>(k)].value;
    b.last[static_cast<size_t>(k)] = queue_[static_cast<size_t>(k)].last;
  }
  return b;
}

void ConcentrationModel::step(bool in_valid, int in_count, const std::vector<int64_t>& in_data,
                              bool in_last, bool out_ready) {
  step(in_valid, std::vector<Input>{{in_count, in_data, in_last}}, out_ready);
}

void ConcentrationModel::step(bool in_valid, const std::vector<Input>& in, bool out_ready) {
  if (static_cast<int>(in.size()) != p_.inputs)
    throw InternalError("ConcentrationModel::step: one input per vector port");
  const bool pop = out_valid(in_valid) && out_ready;
  const bool push = in_valid && in_ready();
  const bool merge_go = p_.inputs > 1 && merge_v_ && room();
  if (pop) queue_.erase(queue_.begin(), queue_.begin() + take());
  std::vector<Elem> incoming;
  for (const Input& v : in) {
    if (v.count == 0 && v.last) {
      incoming.push_back({v.data.at(0), true});  // lane 0 carries the marker's payload
    } else {
      for (int k = 0; k < v.count; ++k)
        incoming.push_back({v.data[static_cast<size_t>(k)], v.last && k == v.count - 1});
    }
  }
  if (p_.inputs == 1) {
    if (push) queue_.insert(queue_.end(), incoming.begin(), incoming.end());
    return;
  }
  // inputs > 1: the merge register empties into the queue and loads the placement register's
  // vectors, which loads this cycle's.
  const bool place_go = place_v_ && (!merge_v_ || merge_go);
  if (merge_go) {
    queue_.insert(queue_.end(), merge_.begin(), merge_.end());
    merge_.clear();
    merge_v_ = false;
  }
  if (place_go) {
    merge_ = std::move(place_);
    merge_v_ = true;
    place_.clear();
    place_v_ = false;
  }
  if (push) {
    place_ = std::move(incoming);
    place_v_ = true;
  }
}

}  // namespace escgen::blocks
