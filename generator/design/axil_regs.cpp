// AXI4-Lite register block generator (see axil_regs.h).
#include "design/axil_regs.h"

#include <cctype>

#include <fmt/format.h>

#include "interface/regmap.h"
#include "netlist/expr.h"

namespace escgen {

using netlist::lit;
using netlist::Module;
using netlist::slice;

const ShapeReg* shape_regs(int* count) {
  static const ShapeReg regs[] = {
      {"c_in", regmap::kCIn, 1}, {"c_out", regmap::kCOut, 1}, {"h", regmap::kH, 1},
      {"w", regmap::kW, 1},      {"k", regmap::kK, 1},        {"stride", regmap::kStride, 1},
      {"pad", regmap::kPad, 0},  {"d", regmap::kD, 1},        {"mode", regmap::kMode, 1},
  };
  *count = static_cast<int>(sizeof(regs) / sizeof(regs[0]));
  return regs;
}

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

struct AxilPort {
  const char* name;  // without the s_axil_ prefix
  bool out;
  int width;
};

const std::vector<AxilPort>& axil_ports() {
  static const std::vector<AxilPort> ports = {
      {"awvalid", false, 1}, {"awready", true, 1}, {"awaddr", false, 8},  {"wvalid", false, 1},
      {"wready", true, 1},   {"wdata", false, 32}, {"wstrb", false, 4},   {"bvalid", true, 1},
      {"bready", false, 1},  {"bresp", true, 2},   {"arvalid", false, 1}, {"arready", true, 1},
      {"araddr", false, 8},  {"rvalid", true, 1},  {"rready", false, 1},  {"rdata", true, 32},
      {"rresp", true, 2}};
  return ports;
}

}  // namespace

void add_axil_slave_ports(Module& m) {
  for (const AxilPort& p : axil_ports()) {
    const std::string name = fmt::format("s_axil_{}", p.name);
    if (p.out)
      m.output(name, p.width);
    else
      m.input(name, p.width);
  }
}

const std::vector<std::string>& axil_port_suffixes() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const AxilPort& p : axil_ports()) v.emplace_back(p.name);
    return v;
  }();
  return names;
}

std::string build_axil_regs(netlist::Design& design) {
  const std::string name = "escgen_axil_regs";
  if (design.has(name)) return name;
  int nshape = 0;
  const ShapeReg* shapes = shape_regs(&nshape);
  Module m(name, "AXI4-Lite registers: layer shape, CTRL.start, STATUS, performance counters");
  m.input("clk", 1);
  m.input("rst_n", 1, "synchronous reset, active low");
  add_axil_slave_ports(m);
  for (int i = 0; i < nshape; ++i) m.output(fmt::format("reg_{}", shapes[i].name), 32);
  m.output("start", 1, "one-cycle pulse: CTRL.start written");
  m.input("busy", 1);
  m.input("done", 1);
  m.input("queued", 1, "a start waits in the queue");
  m.input("error", 1);
  m.input("error_code", 8);
  m.input("counters", kCounterCount * 32, "counter i at [i*32 +: 32]");

  // Register addresses as named constants.
  auto addr = [&](const std::string& reg_name, unsigned a) {
    return m.localparam("ADDR_" + upper(reg_name), 8, netlist::hex(8, a));
  };
  const std::string a_ctrl = addr("ctrl", regmap::kCtrl),
                    a_status = addr("status", regmap::kStatus);
  std::vector<std::string> a_shape;
  for (int i = 0; i < nshape; ++i) a_shape.push_back(addr(shapes[i].name, shapes[i].addr));
  std::vector<std::string> a_counter;
  for (int i = 0; i < kCounterCount; ++i)
    a_counter.push_back(addr(regmap::kCounters[i].name, regmap::kCounters[i].addr));
  const std::string a_id = addr("id", regmap::kId);
  const std::string id_value = m.localparam("ID_VALUE", 32, netlist::hex(32, regmap::kIdValue));

  // Write channel: address and data taken together, one response each.
  m.reg("wr_ready_q", 1, "~wr_ready_q & s_axil_awvalid & s_axil_wvalid & ~bvalid_q", "", lit(1, 0),
        "accepts the address/data pair this cycle");
  m.wire("wr_fire", 1);
  m.assign("wr_fire", "wr_ready_q & s_axil_awvalid & s_axil_wvalid");
  m.comb_reg("wr_known", 1, "s_axil_awaddr names a writable register");
  netlist::CaseBlock writable{
      .selector = "s_axil_awaddr", .outputs = {"wr_known"}, .items = {}, .defaults = {lit(1, 0)}};
  writable.items.push_back({a_ctrl, {lit(1, 1)}});
  for (int i = 0; i < nshape; ++i) writable.items.push_back({a_shape[i], {lit(1, 1)}});
  m.case_block(std::move(writable));
  m.wire("wr_ok", 1,
         "full-word write to an aligned, writable address (and no start while one is queued)");
  // CTRL.start with a start already queued is refused (SLVERR): a start is never dropped.
  m.assign("wr_ok", fmt::format("(s_axil_wstrb == 4'hf) & wr_known & ~((s_axil_awaddr == {}) & "
                                "s_axil_wdata[0] & queued)",
                                a_ctrl));
  m.reg("bvalid_q", 1, "wr_fire | (bvalid_q & ~s_axil_bready)", "", lit(1, 0));
  m.reg("bresp_q", 2, "wr_ok ? 2'd0 : 2'd2", "wr_fire", lit(2, 0));
  for (int i = 0; i < nshape; ++i)
    m.reg(fmt::format("{}_q", shapes[i].name), 32, "s_axil_wdata",
          fmt::format("wr_fire & wr_ok & (s_axil_awaddr == {})", a_shape[i]),
          lit(32, shapes[i].reset), fmt::format("register at 0x{:02X}", shapes[i].addr));
  m.reg("start_q", 1,
        fmt::format("wr_fire & wr_ok & (s_axil_awaddr == {}) & s_axil_wdata[0]", a_ctrl), "",
        lit(1, 0));

  // Read channel: the addressed register's value from one case statement.
  m.reg("rd_ready_q", 1, "~rd_ready_q & s_axil_arvalid & ~rvalid_q", "", lit(1, 0));
  m.wire("rd_fire", 1);
  m.assign("rd_fire", "rd_ready_q & s_axil_arvalid");
  m.comb_reg("rd_known", 1, "s_axil_araddr names a register");
  m.comb_reg("rd_value", 32, "the value of the register at s_axil_araddr (0 when none)");
  netlist::CaseBlock read{.selector = "s_axil_araddr",
                          .outputs = {"rd_known", "rd_value"},
                          .items = {},
                          .defaults = {lit(1, 0), lit(32, 0)}};
  auto add_read = [&](const std::string& a, const std::string& value) {
    read.items.push_back({a, {lit(1, 1), value}});
  };
  add_read(a_ctrl, lit(32, 0));
  add_read(a_status, "{16'd0, error_code, 4'd0, queued, error, done, busy}");
  for (int i = 0; i < nshape; ++i) add_read(a_shape[i], fmt::format("{}_q", shapes[i].name));
  for (int i = 0; i < kCounterCount; ++i)
    add_read(a_counter[i], slice("counters", i * 32 + 31, i * 32));
  add_read(a_id, id_value);
  m.case_block(std::move(read));
  m.reg("rvalid_q", 1, "rd_fire | (rvalid_q & ~s_axil_rready)", "", lit(1, 0));
  m.reg("rdata_q", 32, "rd_value", "rd_fire", lit(32, 0));
  m.reg("rresp_q", 2, "rd_known ? 2'd0 : 2'd2", "rd_fire", lit(2, 0));

  m.assign("s_axil_awready", "wr_ready_q");
  m.assign("s_axil_wready", "wr_ready_q");
  m.assign("s_axil_bvalid", "bvalid_q");
  m.assign("s_axil_bresp", "bresp_q");
  m.assign("s_axil_arready", "rd_ready_q");
  m.assign("s_axil_rvalid", "rvalid_q");
  m.assign("s_axil_rdata", "rdata_q");
  m.assign("s_axil_rresp", "rresp_q");
  for (int i = 0; i < nshape; ++i)
    m.assign(fmt::format("reg_{}", shapes[i].name), fmt::format("{}_q", shapes[i].name));
  m.assign("start", "start_q");
  design.add(std::move(m));
  return name;
}

}  // namespace escgen
