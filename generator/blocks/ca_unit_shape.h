// Internal to the CA unit generator (ca_unit.h): the widths every stage of the unit uses, derived
// once from the parameters, the submodules it instantiates, and the stages that build the top
// module in order: the chunk stage (ca_unit_chunk.cpp, ca_unit_pick.cpp), the issue buffer,
// Dilution units and Concentration (ca_unit_dilution.cpp), the beat buffer and segment sums
// (ca_unit_sums.cpp) and the accumulators (ca_unit_accumulate.cpp).
#pragma once

#include <string>
#include <vector>

#include "blocks/ca_unit.h"
#include "netlist/netlist.h"

namespace escgen::blocks::ca_detail {

// Every width of the unit, derived once from the parameters.
struct Shape {
  int n, b, md, cm, l;  // row_width, act_bits, max_d, chunks_max, lanes
  int zb;               // Z bits
  int ni;               // vectors issued per cycle
  int g, parts;         // lanes per Dilution gather part, parts per issued vector
  int ci, cb, db;       // chunk index bits, chunk count bits (chunks port), d port bits
  int tag_bits;         // basis index of an issued vector
  int sb;               // signed value after dilution
  int side;             // {pe, tag}
  int eb;               // concentration element {pe, tag, value}
  int segs;             // segments of a beat at most
  int cbits;            // one part's count
  int sum_bits;         // a segment sum
  int issue_w;          // issue payload
  int lb;               // a beat's element count 0..l
  int beat_bits;        // beat buffer payload {target ends, elements, segment lanes}
};

Shape shape_of(const CaUnitParams& p);

// Index width of n things (at least one bit, so ports always exist).
int index_bits(int n);

// Names of vector q's nets: `base` with one issued vector, `base` q with several.
std::string per_vector(const Shape& s, const char* base, int q);

// The submodules (each added to the design once per shape), built in this order.
struct Parts {
  std::string skid, beat_skid, dil, dil_v, conc, tree;
};

// Chunk stage (ca_unit_chunk.cpp): chunk register and counter, coefficient store and the
// all-bases match, then the picker (add_picks) and the issued vectors' fields (add_issue_fields).
void add_chunk_stage(netlist::Module& m, const CaUnitParams& p, const Shape& s);

// The picker (ca_unit_pick.cpp): the lowest pending bases, the issue handshake and the chunk's
// consumption; per issued vector its {sign, mask} (sel_coef), tag, pixel end and valid.
void add_picks(netlist::Module& m, const Shape& s);
void add_issue_fields(netlist::Module& m, const Shape& s);

// Issue buffer -> Dilution units -> Concentration (ca_unit_dilution.cpp).
void add_dilution_side(netlist::Module& m, const Shape& s, const Parts& parts);

// Beat buffer and segment sums (ca_unit_sums.cpp): returns the registered sums s1_sum<s>.
std::vector<std::string> add_segment_sums(netlist::Module& m, const Shape& s, const Parts& parts);

// Accumulate (ca_unit_accumulate.cpp): Z per basis, the output register.
void add_accumulate(netlist::Module& m, const Shape& s, const std::vector<std::string>& s1_sum);

}  // namespace escgen::blocks::ca_detail
