// Concentration inputs (see concentration_shape.h): each input vector as it would be appended to
// the queue. A zero-count last vector appends one element (lane 0 of in_data, zero unless the
// producer puts a payload there) so its target still ends.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "blocks/concentration_shape.h"
#include "netlist/expr.h"

namespace escgen::blocks::conc_detail {
namespace {

using netlist::bit;
using netlist::cat;
using netlist::lane;
using netlist::lit;
using netlist::Module;
using netlist::slice;

// Vector q's wires: its elements appended, its lanes, its target ends by lane. With one input
// the vector is appended when pushed: in_elems_raw / in_last_raw are what it would append, gated
// by push later.
void add_input_vector(Module& m, const Shape& s, int q) {
  const int n = s.n, vb = s.vb, nbits = s.nbits;
  const bool one = s.ni == 1;
  const std::string sfx = one ? "" : "_p", idx = one ? "" : std::to_string(q);
  const std::string cnt = one ? "in_count" : lane("in_count", q, nbits);
  const std::string dat = one ? "in_data" : lane("in_data", q, n * vb);
  const std::string lst = one ? "in_last" : bit("in_last", q);
  const std::string elems = one ? "in_elems_raw" : "in_elems" + sfx + idx,
                    vec = "in_vec" + sfx + idx,
                    lvec = one ? "in_last_raw" : "in_last_vec" + sfx + idx;
  m.wire(elems, nbits, "elements appended");
  m.assign(elems, fmt::format("({} == {}) ? {{{}, {}}} : {}", cnt, lit(nbits, 0),
                              lit(nbits - 1 > 0 ? nbits - 1 : 1, 0), lst, cnt));
  m.wire(vec, n * vb, "incoming elements; an empty last vector keeps only lane 0");
  const std::string lane0 = one ? slice("in_data", vb - 1, 0) : lane("in_data", q * n, vb);
  const std::string head = n == 1 ? dat : cat({lit((n - 1) * vb, 0), lane0});
  if (one) {
    m.assign(vec, fmt::format("({} == {}) ? {} : {}", cnt, lit(nbits, 0), head, dat));
  } else {
    // Merged by OR later: lanes beyond the vector's elements must be zero.
    m.wire(vec + "_raw", n * vb);
    m.assign(vec + "_raw", fmt::format("({} == {}) ? {} : {}", cnt, lit(nbits, 0), head, dat));
    for (int k = 0; k < n; ++k)
      m.assign(lane(vec, k, vb), fmt::format("{} & {{{}{{{} > {}}}}}", lane(vec + "_raw", k, vb),
                                             vb, elems, lit(nbits, static_cast<uint64_t>(k))));
  }
  m.wire(lvec, n, "target end on the last appended lane");
  std::vector<std::string> lanes;
  for (int k = n - 1; k >= 0; --k)
    lanes.push_back(
        fmt::format("{} & ({} == {})", lst, elems, lit(nbits, static_cast<uint64_t>(k + 1))));
  m.assign(lvec, cat(lanes));
}

}  // namespace

void add_input_vectors(Module& m, const Shape& s) {
  for (int q = 0; q < s.ni; ++q) add_input_vector(m, s, q);
  if (s.ni == 1) {
    m.wire("in_last_vec", s.n);
    m.assign("in_last_vec", fmt::format("push ? in_last_raw : {}", lit(s.n, 0)));
  }
}

}  // namespace escgen::blocks::conc_detail
