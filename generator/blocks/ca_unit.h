// The coefficient-accumulation (CA) unit of a row: for one output channel o it turns the stream
// of dense activation chunks (mask + values; C chunks per input pixel) into Z[o][j] for every
// basis j < d, one vector per pixel: Z[j] = sum_i C[o][i][j] * x[i], with additions and
// subtractions only. Structure, in order:
//   chunk stage   holds a chunk; matches its mask against all d coefficient masks of the chunk at
//                 once (coefficient store: chunks_max x max_d SparseMap entries, registers) and
//                 issues up to `issue` (chunk, basis) vectors per cycle, the lowest pending
//                 bases, only those whose match is non-empty (a chunk without any match costs
//                 one cycle and issues nothing, except the pixel's last chunk, which issues an
//                 empty end-of-pixel marker);
//   issue buffer  a skid buffer (registered boundary);
//   Dilution      one unit per issued vector, in lockstep: sign and compact the matched lanes
//                 (dilution.h), tag j and the end-of-pixel flag ride along as side payload;
//   Concentration element queue with look-ahead and look-aside (concentration.h), taking the
//                 issued vectors of a cycle together; every vector is one segment; elements
//                 carry {end-of-pixel, j, value};
//   segment sums  per beat, the sum of each of its up to lookaside+1 segments, with its tag
//                 (registered);
//   accumulate    Z[tag] += segment sum; on an end-of-pixel segment the pixel's Z vector goes to
//                 the output register and Z restarts from the beat's segments after it (the next
//                 pixel's first) when no other pixel end follows in the beat, else from 0 (a
//                 beat holding two pixel ends is applied over two cycles).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "blocks/concentration.h"
#include "netlist/netlist.h"

namespace escgen::blocks {

struct CaUnitParams {
  int row_width = 16;     // lanes per chunk (power of two >= 2)
  int act_bits = 8;       // unsigned activation width
  int max_d = 4;          // bases (coefficient store and Z accumulators)
  int chunks_max = 4;     // chunks per pixel the coefficient store holds
  int lanes = 8;          // ca_lanes: adder lanes after Concentration (<= row_width)
  int lookahead = 4;      // Concentration look-ahead depth
  int lookaside = 1;      // Concentration look-aside distance
  int z_bits = 0;         // signed Z width; 0 = exact for chunks_max * row_width channels
  int issue = 1;          // ca_issue_width: (chunk, basis) vectors issued per cycle (1..max_d)
  bool prefetch = false;  // weight_prefetch: a second (shadow) coefficient store, see below
  // Lanes of each Dilution bit-gather (0 = row_width): a power of two in lanes..row_width. Below
  // row_width every issued vector is gathered as row_width / gather_lanes parts (shorter networks
  // for the clock), which the Concentration takes as separate vectors of one segment: the same
  // queue, beats and cycles.
  int gather_lanes = 0;
};

// Signed width of Z for the parameters (z_bits, or the exact bound when 0).
int ca_unit_z_bits(const CaUnitParams& p);

// Ports: clk, rst_n;
//   chunks [bits_for(chunks_max)] 1..chunks_max chunks per pixel, d [bits_for(max_d)] 1..max_d
//     (held while chunks are in flight; the chunk counter wraps at `chunks`, so it is 0 between
//     layers);
//   coef_we, coef_chunk [max(1, clog2(chunks_max))], coef_data [max_d*2*row_width]: writes the
//     coefficient SparseMaps of every basis of one chunk, basis j at [j*2*row_width +:
//     2*row_width] = {sign mask, non-zero mask};
//   coef_swap (only with prefetch): the writes go to a shadow store, copied whole into the store
//     the chunk stage reads on a coef_swap pulse (between passes), so the next output channel's
//     coefficients can be written while the current one's chunks are in flight;
//   in_valid, in_ready, in_mask [row_width], in_act [row_width*act_bits] (dense chunk; lanes
//     without their mask bit must be 0);
//   out_valid, out_ready, out_z [max_d*z_bits] (Z[j] at [j*z_bits +: z_bits], 0 for j >= d);
//   stat_issue (a vector entered the issue buffer this cycle), stat_stall (a finished pixel
//   waits for out_ready).
// in_ready depends combinationally on the issue buffer's registered ready; out_valid and out_z
// are registers.
std::string build_ca_unit(netlist::Design& design, const CaUnitParams& p);

// The reference: Z[j] = sum over the chunk's lanes of coef * act for one pixel. act: c_in values,
// coef: (c_in, d) ternary, C order. Returns d values.
std::vector<int64_t> ca_unit_model(std::span<const uint64_t> act, std::span<const int8_t> coef,
                                   int c_in, int d);

// The Concentration the unit builds for elements of value_bits bits: each Dilution unit gathers
// its vector as row_width / gather_lanes parts, which the Concentration takes as that many vectors
// of gather_lanes lanes (one group), the look-ahead counted in them.
// Lanes of one Dilution bit-gather (gather_lanes, 0 = the whole row_width).
inline int ca_unit_gather_lanes(const CaUnitParams& p) {
  return p.gather_lanes == 0 ? p.row_width : p.gather_lanes;
}

inline ConcentrationParams ca_unit_concentration(const CaUnitParams& p, int value_bits) {
  const int g = ca_unit_gather_lanes(p), parts = p.row_width / g;
  return {.width = g,
          .lanes = p.lanes,
          .value_bits = value_bits,
          .lookahead = p.lookahead * parts,
          .lookaside = p.lookaside,
          .inputs = p.issue * parts,
          .group = parts};
}

}  // namespace escgen::blocks
