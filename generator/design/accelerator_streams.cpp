// The top's streams (see accelerator_stages.h): the input stream through the SparseMap decoder
// to every tile's ring buffer, the tile instances with their weight lanes, layer fields and row
// status, and the output collector (one beat when every row has its next output).
#include <fmt/format.h>

#include "design/accelerator_stages.h"
#include "design/row.h"
#include "netlist/expr.h"

namespace escgen::top {

using netlist::cat;
using netlist::lit;
using netlist::Module;
using netlist::slice;

void add_input_decoder(Module& m, const Config& c, const TopShape& s, const std::string& decoder) {
  const int n = s.n;
  m.wire("dec_in_ready", 1);
  m.wire("dec_valid", 1);
  m.wire("dec_mask", n);
  m.wire("dec_data", s.dec_bits);
  m.wire("rings_ready", 1, "every tile's ring buffer can take a chunk");
  m.assign("s_act_tready", "dec_in_ready & act_open");
  m.assign("act_fire", "s_act_tvalid & s_act_tready");
  m.instance(decoder, "u_decoder",
             {{"clk", "clk"},
              {"rst_n", "rst_c_q"},
              {"in_valid", "s_act_tvalid & act_open"},
              {"in_ready", "dec_in_ready"},
              {"in_mask", slice("s_act_tdata", n - 1, 0)},
              {"in_data", slice("s_act_tdata", c.derived.input_entry_bits - 1, n)},
              {"out_valid", "dec_valid"},
              {"out_ready", "rings_ready"},
              {"out_mask", "dec_mask"},
              {"out_data", "dec_data"}});
}

namespace {

// Tile t's connections: the layer fields, the weight side's writes (its rows' load selects and
// weight lanes), the decoded input and its rows' outputs and status.
std::vector<std::pair<std::string, std::string>> tile_connections(
    const Config& c, const TopShape& s, int t, const std::vector<const char*>& row_outs) {
  const int P = s.P, R = s.R, L = s.L, Q = s.Q;
  auto rows_of = [&](const std::string& net) {
    return P == 1 ? net : slice(net, t * R + R - 1, t * R);
  };
  // The tile's rows' load selects: row t*R + i is in lane group (t*R + i) / L.
  auto row_sel = [&]() {
    if (L == 1) return rows_of("rsel_q");
    std::vector<std::string> bits;
    for (int i = R - 1; i >= 0; --i)
      bits.push_back(Q == 1 ? std::string("rsel_q") : netlist::bit("rsel_q", (t * R + i) / L));
    return cat(bits);
  };
  // Lane i of every weight beat, `bits` wide from the lane's low bit.
  const int lb = c.derived.wgt_lane_bits;
  auto lanes_of = [&](int bits) {
    if (L == 1) return slice("s_wgt_tdata", bits - 1, 0);
    std::vector<std::string> parts;
    for (int i = L - 1; i >= 0; --i)
      parts.push_back(slice("s_wgt_tdata", i * lb + bits - 1, i * lb));
    return cat(parts);
  };
  std::vector<std::pair<std::string, std::string>> tc = {
      {"clk", "clk"},
      {"rst_n", "rst_a_q"},
      {"chunks", "l_chunks"},
      {"d", "l_d"},
      {"k", "l_k"},
      {"stride", "l_stride"},
      {"pad", "l_pad"},
      {"h", "l_h"},
      {"w", "l_w"},
      {"mode", "l_mode"},
      {"start", "start_rows"},
      {"pass_chunks", "l_pass_chunks"},
      {"basis_we", fmt::format("({} & wgt_fire & ~chain_q) | wo_on", state_is(kBasis))},
      {"basis_addr", "wo_on ? wbeat : bbeat"},
      {"basis_data", fmt::format("wo_on ? bbuf_out : {}", slice("s_wgt_tdata", s.bbw - 1, 0))},
      {"coef_chunk", "cc_q"},
      {"coef_data", lanes_of(c.derived.coef_item_bits)},
      {"param_data", lanes_of(c.derived.param_bits)},
      {"coef_we", row_sel() + fmt::format(" & {{{}{{coef_beat}}}}", R)},
      {"param_we", row_sel() + fmt::format(" & {{{}{{row_fire & ~phase_q}}}}", R)},
      {"in_valid", "dec_valid & rings_ready"},
      {"in_ready", s.T == 1 ? std::string("ring_ready") : netlist::bit("ring_ready", t)},
      {"in_data", "{dec_data, dec_mask}"},
      {"out_valid", rows_of("row_valid")},
      {"out_ready", "pop"},
      {"out_data", slice("row_data", (t + 1) * R * s.ob - 1, t * R * s.ob)},
  };
  for (const char* p : row_outs) tc.emplace_back(p, rows_of(fmt::format("row_{}", p)));
  return tc;
}

}  // namespace

void add_tiles(Module& m, const Config& c, const TopShape& s, const std::string& tile) {
  const int P = s.P;
  m.wire("ring_ready", s.T);
  m.assign("rings_ready", "&ring_ready");
  m.wire("row_valid", P);
  m.wire("row_data", s.beat_bits);
  const std::vector<const char*> row_outs = row_status_outputs(c);
  for (const char* p : row_outs) m.wire(fmt::format("row_{}", p), P);
  m.assign("all_idle", "&row_idle");
  if (c.weight_prefetch != 0) {
    m.wire("all_next", 1, "every row may start the next pass");
    m.assign("all_next", "&row_next_ok");
  }
  m.wire("pop", 1, "the collector takes every row's output head");
  for (int t = 0; t < s.T; ++t)
    m.instance(tile, fmt::format("u_tile{}", t), tile_connections(c, s, t, row_outs));
}

void add_output_collector(Module& m, const TopShape& s) {
  m.assign("pop", "(&row_valid) & (~out_valid_q | m_out_tready)");
  m.reg("out_valid_q", 1, "pop | (out_valid_q & ~m_out_tready)", "", lit(1, 0));
  m.reg("out_data_q", s.beat_bits, "row_data", "pop");
  m.assign("m_out_tvalid", "out_valid_q");
  m.assign("m_out_tdata", "out_data_q");
}

}  // namespace escgen::top
