// A behavioural C++ stand-in for the accelerator top, with the port names and Verilator port
// types of `Vescgen_accelerator` on configs/tiny.json (2 rows, row_width 4: 54-bit weight beats,
// 36-bit input beats, 66-bit output beats). It implements the register map, counts the beats
// docs/interface.md says a layer takes, records what it received and answers output beat n with
// n in lane 0; a start while busy is queued (one; STATUS.queued) and begins when the running
// layer's beats are all done, a start while one is queued answers SLVERR. Faults on request: stop
// taking input beats, never finish. Registered outputs, state changes on the rising clock edge,
// like the RTL.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace escgen::test {

struct MockAccelerator {
  // Ports (Verilator types: CData, IData, QData, VlWide<3>).
  uint8_t clk = 0, rst_n = 0;
  uint8_t s_axil_awvalid = 0, s_axil_awready = 0, s_axil_awaddr = 0;
  uint8_t s_axil_wvalid = 0, s_axil_wready = 0, s_axil_wstrb = 0;
  uint32_t s_axil_wdata = 0;
  uint8_t s_axil_bvalid = 0, s_axil_bready = 0, s_axil_bresp = 0;
  uint8_t s_axil_arvalid = 0, s_axil_arready = 0, s_axil_araddr = 0;
  uint8_t s_axil_rvalid = 0, s_axil_rready = 0, s_axil_rresp = 0;
  uint32_t s_axil_rdata = 0;
  uint8_t s_wgt_tvalid = 0, s_wgt_tready = 0;
  uint64_t s_wgt_tdata = 0;
  uint8_t s_act_tvalid = 0, s_act_tready = 0;
  uint64_t s_act_tdata = 0;
  uint8_t m_out_tvalid = 0, m_out_tready = 0;
  std::array<uint32_t, 3> m_out_tdata{};

  // Faults.
  long stop_act_after = -1;  // >= 0: input tready stays low after this many beats
  // Recorded.
  std::vector<uint64_t> wgt_seen;
  std::vector<uint64_t> act_seen;
  std::vector<std::pair<uint32_t, uint32_t>> writes;

  void eval() {
    if (clk && !last_clk_) edge();
    last_clk_ = clk;
  }

 private:
  void edge();
  uint32_t reg(uint32_t addr) const;
  void start(const uint32_t* regs, bool fresh);

  uint8_t last_clk_ = 0;
  uint32_t regs_[32] = {}, qregs_[32] = {};
  bool busy_ = false, done_ = false, error_ = false, queued_ = false, have_aw_ = false,
       have_w_ = false;
  uint32_t aw_ = 0, w_ = 0, code_ = 0;
  long wgt_n_ = 0, act_n_ = 0, out_n_ = 0, wgt_c_ = 0, act_c_ = 0, out_c_ = 0;
  uint32_t cycles_ = 0, out_stall_ = 0;
};

}  // namespace escgen::test
