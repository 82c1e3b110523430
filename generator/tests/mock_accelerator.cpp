// The mock accelerator's clock edge (see mock_accelerator.h).
#include "mock_accelerator.h"

#include <algorithm>
#include <iterator>

namespace escgen::test {

uint32_t MockAccelerator::reg(uint32_t addr) const {
  switch (addr) {
    case 0x04:
      return (busy_ ? 1u : 0u) | (done_ ? 2u : 0u) | (error_ ? 4u : 0u) | (queued_ ? 8u : 0u) |
             (code_ << 8);
    case 0x40:
      return cycles_;
    case 0x58:
      return out_stall_;
    case 0x7C:
      return 0xE5CA0001u;
    default:
      return addr < 0x40 ? regs_[addr / 4] : 0;
  }
}

void MockAccelerator::start(const uint32_t* r, bool fresh) {
  if (fresh) {
    done_ = error_ = false;
    code_ = 0;
    cycles_ = out_stall_ = 0;
    wgt_n_ = act_n_ = out_n_ = wgt_c_ = act_c_ = out_c_ = 0;
  }
  const long c_in = r[2], c_out = r[3], h = r[4], w = r[5], k = r[6];
  const long stride = r[7], pad = r[8], d = r[9];
  if (c_in > 16) {
    error_ = true;
    code_ = 1;
    return;
  }
  const long g = (c_out + 1) / 2, c = (c_in + 3) / 4;
  // A queued layer's beats follow the running one's on every stream.
  wgt_n_ += (d * k * k + 5) / 6 + g * 2 * (1 + c);  // 6 basis taps per 54-bit beat
  act_n_ += g * h * w * c;
  out_n_ += g * ((h + 2 * pad - k) / stride + 1) * ((w + 2 * pad - k) / stride + 1);
  busy_ = true;
}

void MockAccelerator::edge() {
  if (!rst_n) {
    const long stop = stop_act_after;
    *this = MockAccelerator();
    stop_act_after = stop;
    clk = 1;
    last_clk_ = 1;
    return;
  }
  // AXI4-Lite.
  if (s_axil_awvalid && s_axil_awready) have_aw_ = true, aw_ = s_axil_awaddr;
  if (s_axil_wvalid && s_axil_wready) have_w_ = true, w_ = s_axil_wdata;
  if (s_axil_bvalid && s_axil_bready) s_axil_bvalid = 0;
  if (have_aw_ && have_w_ && !s_axil_bvalid) {
    writes.emplace_back(aw_, w_);
    s_axil_bresp = 0;
    if (aw_ == 0x00 && (w_ & 1) && !busy_) {
      start(regs_, true);
    } else if (aw_ == 0x00 && (w_ & 1)) {  // while busy: queued, or SLVERR when one is queued
      if (queued_) {
        s_axil_bresp = 2;
      } else if (regs_[2] > 16) {  // checked at the write, like the RTL: refused, not queued
        error_ = true;
        code_ = 1;
      } else {
        queued_ = true;
        std::copy(std::begin(regs_), std::end(regs_), std::begin(qregs_));
      }
    } else if (aw_ >= 0x08 && aw_ <= 0x28) {
      regs_[aw_ / 4] = w_;
    }
    s_axil_bvalid = 1;
    have_aw_ = have_w_ = false;
  }
  s_axil_awready = !have_aw_ && !s_axil_bvalid;
  s_axil_wready = !have_w_ && !s_axil_bvalid;
  if (s_axil_rvalid && s_axil_rready) s_axil_rvalid = 0;
  if (s_axil_arvalid && s_axil_arready) {
    s_axil_rdata = reg(s_axil_araddr);
    s_axil_rvalid = 1;
    s_axil_arready = 0;
  } else {
    s_axil_arready = !s_axil_rvalid;
  }
  // Streams.
  if (busy_) {
    ++cycles_;
    if (s_wgt_tvalid && s_wgt_tready) wgt_seen.push_back(s_wgt_tdata), ++wgt_c_;
    if (s_act_tvalid && s_act_tready) act_seen.push_back(s_act_tdata), ++act_c_;
    if (m_out_tvalid && m_out_tready) {
      ++out_c_;
      m_out_tvalid = 0;
    } else if (m_out_tvalid) {
      ++out_stall_;
    }
    if (!m_out_tvalid && act_c_ == act_n_ && wgt_c_ == wgt_n_ && out_c_ < out_n_) {
      m_out_tvalid = 1;
      m_out_tdata = {static_cast<uint32_t>(out_c_), 0, 0};
    }
    if (out_c_ == out_n_ && act_c_ == act_n_ && wgt_c_ == wgt_n_) {
      if (queued_) {
        queued_ = false;
        start(qregs_, false);
      } else {
        busy_ = false, done_ = true;
      }
    }
  }
  s_wgt_tready = busy_ && wgt_c_ < wgt_n_;
  s_act_tready = busy_ && act_c_ < act_n_ && (stop_act_after < 0 || act_c_ < stop_act_after);
}

}  // namespace escgen::test
