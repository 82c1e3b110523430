// The top's registers and AXI side (see accelerator_stages.h): the reset tree and the AXI4-Lite
// register block with its shape registers, CTRL.start, STATUS and the counters.
#include <fmt/format.h>

#include "design/accelerator_stages.h"
#include "design/axil_regs.h"

namespace escgen::top {

using netlist::Module;

void add_registers(Module& m, const std::string& regs) {
  int nshape = 0;
  const ShapeReg* shapes = shape_regs(&nshape);
  // Reset tree: rst_n is registered here (rst_a_q, to the tiles), in each tile and in each row,
  // so no net fans the reset out to a whole design; the top's own logic takes the same three
  // stages (rst_c_q) and every flop leaves reset on the same clock, three clocks after rst_n.
  m.reg("rst_a_q", 1, "rst_n", "", {}, "reset, stage 1 (to the tiles)");
  m.reg("rst_b_q", 1, "rst_a_q", "", {}, "reset, stage 2");
  m.reg("rst_c_q", 1, "rst_b_q", "", {}, "reset, stage 3 (the top's own logic)");
  m.set_clock("clk", "rst_c_q");
  std::vector<std::pair<std::string, std::string>> rc = {{"clk", "clk"}, {"rst_n", "rst_c_q"}};
  for (const std::string& p : axil_port_suffixes()) rc.emplace_back("s_axil_" + p, "s_axil_" + p);
  for (int i = 0; i < nshape; ++i) {
    m.wire(fmt::format("r_{}", shapes[i].name), 32);
    rc.emplace_back(fmt::format("reg_{}", shapes[i].name), fmt::format("r_{}", shapes[i].name));
  }
  m.wire("start_req", 1);
  m.wire("counters", kCounterCount * 32);
  rc.insert(rc.end(), {{"start", "start_req"},
                       {"busy", "status_busy"},
                       {"done", "done_q"},
                       {"queued", "q_valid"},
                       {"error", "error_q"},
                       {"error_code", "error_code_q"},
                       {"counters", "counters"}});
  m.instance(regs, "u_regs", std::move(rc));
}

}  // namespace escgen::top
