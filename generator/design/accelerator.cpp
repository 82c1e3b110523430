// Accelerator assembly from the configuration (see accelerator.h and docs/interface.md).
//
// Controller: a weight side and a run side.
// - Weight side `wst`: IDLE -> (start accepted) BASIS (ceil(d*k*k / basis_taps_per_beat) beats,
//   broadcast to every row's basis store) -> ROWS (per weight_lanes rows at once: the parameter
//   item (bias, M, S), then chunks coefficient beats, each with every basis of a chunk) -> HELD
//   (the group is loaded, its pass not started) -> ...
// - A group's pass starts (`go`) once it is loaded and no pass runs: the rows get `start`
//   (with weight_prefetch they copy their shadow weights then), the input stream opens for
//   h*w*C beats; the pass ends when every row is idle and the output register is empty.
// - With weight_prefetch the next group may go before the pass ends, once its input is taken and
//   every row's CA unit has taken it (rows: next_ok); each row's MAC unit starts that pass when it
//   finishes the previous one, so passes overlap in the rows.
// - On `go` the weight side moves on: to ROWS of the next group at once with weight_prefetch
//   (it loads while the pass runs), to WAIT (until the pass ends, then ROWS) without, or to
//   IDLE after the last group. The layer ends when its last group's passes have ended.
// - Queued layers: a start written while a layer runs waits in a one-entry queue (q_*); the
//   weight side takes it once the running layer's last group has gone, loading its basis into
//   the basis buffer and its first group into the rows' shadow registers while the last pass
//   runs; the buffer goes into the rows once they are idle, and the layer's first group goes
//   when the running layer has ended (docs/interface.md, "Queued layers").
#include "design/accelerator.h"

#include <fmt/format.h>

#include "blocks/sparsemap.h"
#include "design/accelerator_stages.h"
#include "design/axil_regs.h"
#include "design/tile.h"
#include "interface/regmap.h"
#include "netlist/expr.h"
#include "util/error.h"

namespace escgen {
namespace top {

using netlist::lit;
using netlist::Module;

TopShape top_shape(const Config& c, const netlist::Design& design, const TopBlocks& b) {
  const Derived& dv = c.derived;
  const Module& tile = design.get(b.tile);
  auto tw = [&](const char* port) { return tile.find_port(port)->width; };
  TopShape s{};
  s.n = c.row_width, s.lane_bits = dv.lane_bits, s.P = dv.rows, s.R = c.rows_per_tile;
  s.T = c.tiles, s.L = c.weight_lanes, s.Q = dv.row_load_sets;
  s.ob = dv.out_lane_bits, s.beat_bits = dv.out_beat_bits;
  s.dec_bits = design.get(b.decoder).find_port("out_data")->width;
  s.kb = dv.k_bits, s.db = dv.d_bits, s.sb = dv.stride_bits, s.pb = dv.pad_bits;
  s.hb = dv.h_bits, s.wb = dv.w_bits;
  // The layer fields go to the tile's ports of the same names, which the MAC unit sizes.
  const std::pair<const char*, int> fields[] = {{"k", s.kb},   {"d", s.db}, {"stride", s.sb},
                                                {"pad", s.pb}, {"h", s.hb}, {"w", s.wb}};
  for (const auto& [port, bits] : fields)
    if (tw(port) != bits)
      throw InternalError(
          fmt::format("accelerator: the tile's port {} has {} bits, the layer "
                      "field {}",
                      port, tw(port), bits));
  s.cb = tw("chunks"), s.ab = tw("basis_addr"), s.ccb = tw("coef_chunk");
  s.bbw = tw("basis_data");
  s.pass_chunk_bits = dv.pass_chunk_bits;
  s.cob = dv.group_base_bits;
  s.bt = dv.basis_taps_per_beat;
  s.tb = dv.basis_tap_count_bits;
  s.nbb = dv.basis_beats;
  s.pcb = dv.row_count_bits;
  return s;
}

namespace {
constexpr const char* kStateNames[] = {"WST_IDLE", "WST_BASIS", "WST_ROWS", "WST_HELD", "WST_WAIT"};
constexpr const char* kStateMeanings[] = {
    "no layer loading", "loading the basis", "loading a group's rows",
    "the group is loaded, its pass not started", "waiting for the pass to end"};
}  // namespace

void add_state_names(Module& m) {
  for (int s = kIdle; s <= kWait; ++s)
    m.localparam(kStateNames[s], kStateBits, lit(kStateBits, static_cast<uint64_t>(s)),
                 fmt::format("weight side: {}", kStateMeanings[s]));
}

std::string state_lit(int s) {
  return kStateNames[s];
}

std::string state_is(int s) {
  return fmt::format("(wst == {})", state_lit(s));
}

}  // namespace top

namespace {

void add_ports(netlist::Module& m, const Config& c) {
  const Derived& dv = c.derived;
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  add_axil_slave_ports(m);
  m.input("s_wgt_tvalid", 1);
  m.output("s_wgt_tready", 1);
  m.input("s_wgt_tdata", dv.wgt_bits, "weight stream (docs/interface.md)");
  m.input("s_act_tvalid", 1);
  m.output("s_act_tready", 1);
  m.input("s_act_tdata", dv.input_entry_bits, "SparseMap chunk: {packed values, mask}");
  m.output("m_out_tvalid", 1);
  m.input("m_out_tready", 1);
  m.output("m_out_tdata", dv.out_beat_bits, "one output pixel of every row of the group");
}

}  // namespace

netlist::Design build_accelerator(const Config& c) {
  using namespace top;
  netlist::Design design;
  TopBlocks b;
  b.regs = build_axil_regs(design);
  b.decoder =
      blocks::build_sparsemap_decoder(design, {.row_width = c.row_width, .act_bits = c.act_bits});
  b.tile = build_tile(design, c);
  const TopShape s = top_shape(c, design, b);

  netlist::Module m(
      "escgen_accelerator",
      fmt::format("ESCALATE accelerator: {} tiles x {} rows, row_width {}, {} CA lanes, {} "
                  "MACs per row",
                  c.tiles, s.R, s.n, c.ca_lanes, c.macs_per_row));
  add_ports(m, c);
  add_state_names(m);
  add_registers(m, b.regs);
  add_limit_checks(m, c);
  add_start_queue(m);
  add_layer_fields(m, s);
  add_basis_loading(m, s);
  add_row_loading(m, s);
  add_pass_start(m, c, s);
  add_weight_state(m, c);
  add_layer_end(m);
  add_input_decoder(m, c, s, b.decoder);
  add_tiles(m, c, s, b.tile);
  add_output_collector(m, s);
  add_counters(design, m, s);
  design.add(std::move(m));
  design.set_top("escgen_accelerator");
  design.check();
  return design;
}

}  // namespace escgen
