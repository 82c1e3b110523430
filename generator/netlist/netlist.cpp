// Netlist model: declarations, name checks and instance checks (see netlist.h).
#include "netlist/netlist.h"

#include "netlist/expr.h"

#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen::netlist {
namespace {

// Verilog-2005 (IEEE 1364) and SystemVerilog-2017 (IEEE 1800) reserved words: a generated name
// must be none of them, so the RTL reads in any tool and any language mode.
constexpr std::string_view kReserved[] = {"accept_on",
                                          "alias",
                                          "always",
                                          "always_comb",
                                          "always_ff",
                                          "always_latch",
                                          "and",
                                          "assert",
                                          "assign",
                                          "assume",
                                          "automatic",
                                          "before",
                                          "begin",
                                          "bind",
                                          "bins",
                                          "binsof",
                                          "bit",
                                          "break",
                                          "buf",
                                          "bufif0",
                                          "bufif1",
                                          "byte",
                                          "case",
                                          "casex",
                                          "casez",
                                          "cell",
                                          "chandle",
                                          "checker",
                                          "class",
                                          "clocking",
                                          "cmos",
                                          "config",
                                          "const",
                                          "constraint",
                                          "context",
                                          "continue",
                                          "cover",
                                          "covergroup",
                                          "coverpoint",
                                          "cross",
                                          "deassign",
                                          "default",
                                          "defparam",
                                          "design",
                                          "disable",
                                          "dist",
                                          "do",
                                          "edge",
                                          "else",
                                          "end",
                                          "endcase",
                                          "endchecker",
                                          "endclass",
                                          "endclocking",
                                          "endconfig",
                                          "endfunction",
                                          "endgenerate",
                                          "endgroup",
                                          "endinterface",
                                          "endmodule",
                                          "endpackage",
                                          "endprimitive",
                                          "endprogram",
                                          "endproperty",
                                          "endspecify",
                                          "endsequence",
                                          "endtable",
                                          "endtask",
                                          "enum",
                                          "event",
                                          "eventually",
                                          "expect",
                                          "export",
                                          "extends",
                                          "extern",
                                          "final",
                                          "first_match",
                                          "for",
                                          "force",
                                          "foreach",
                                          "forever",
                                          "fork",
                                          "forkjoin",
                                          "function",
                                          "generate",
                                          "genvar",
                                          "global",
                                          "highz0",
                                          "highz1",
                                          "if",
                                          "iff",
                                          "ifnone",
                                          "ignore_bins",
                                          "illegal_bins",
                                          "implements",
                                          "implies",
                                          "import",
                                          "incdir",
                                          "include",
                                          "initial",
                                          "inout",
                                          "input",
                                          "inside",
                                          "instance",
                                          "int",
                                          "integer",
                                          "interconnect",
                                          "interface",
                                          "intersect",
                                          "join",
                                          "join_any",
                                          "join_none",
                                          "large",
                                          "let",
                                          "liblist",
                                          "library",
                                          "local",
                                          "localparam",
                                          "logic",
                                          "longint",
                                          "macromodule",
                                          "matches",
                                          "medium",
                                          "modport",
                                          "module",
                                          "nand",
                                          "negedge",
                                          "nettype",
                                          "new",
                                          "nexttime",
                                          "nmos",
                                          "nor",
                                          "noshowcancelled",
                                          "not",
                                          "notif0",
                                          "notif1",
                                          "null",
                                          "or",
                                          "output",
                                          "package",
                                          "packed",
                                          "parameter",
                                          "pmos",
                                          "posedge",
                                          "primitive",
                                          "priority",
                                          "program",
                                          "property",
                                          "protected",
                                          "pull0",
                                          "pull1",
                                          "pulldown",
                                          "pullup",
                                          "pulsestyle_ondetect",
                                          "pulsestyle_onevent",
                                          "pure",
                                          "rand",
                                          "randc",
                                          "randcase",
                                          "randsequence",
                                          "rcmos",
                                          "real",
                                          "realtime",
                                          "ref",
                                          "reg",
                                          "reject_on",
                                          "release",
                                          "repeat",
                                          "restrict",
                                          "return",
                                          "rnmos",
                                          "rpmos",
                                          "rtran",
                                          "rtranif0",
                                          "rtranif1",
                                          "s_always",
                                          "s_eventually",
                                          "s_nexttime",
                                          "s_until",
                                          "s_until_with",
                                          "scalared",
                                          "sequence",
                                          "shortint",
                                          "shortreal",
                                          "showcancelled",
                                          "signed",
                                          "small",
                                          "soft",
                                          "solve",
                                          "specify",
                                          "specparam",
                                          "static",
                                          "string",
                                          "strong",
                                          "strong0",
                                          "strong1",
                                          "struct",
                                          "super",
                                          "supply0",
                                          "supply1",
                                          "sync_accept_on",
                                          "sync_reject_on",
                                          "table",
                                          "tagged",
                                          "task",
                                          "this",
                                          "throughout",
                                          "time",
                                          "timeprecision",
                                          "timeunit",
                                          "tran",
                                          "tranif0",
                                          "tranif1",
                                          "tri",
                                          "tri0",
                                          "tri1",
                                          "triand",
                                          "trior",
                                          "trireg",
                                          "type",
                                          "typedef",
                                          "union",
                                          "unique",
                                          "unique0",
                                          "unsigned",
                                          "until",
                                          "until_with",
                                          "untyped",
                                          "use",
                                          "uwire",
                                          "var",
                                          "vectored",
                                          "virtual",
                                          "void",
                                          "wait",
                                          "wait_order",
                                          "wand",
                                          "weak",
                                          "weak0",
                                          "weak1",
                                          "while",
                                          "wildcard",
                                          "wire",
                                          "with",
                                          "within",
                                          "wor",
                                          "xnor",
                                          "xor"};

}  // namespace

bool is_reserved_word(const std::string& name) {
  return std::find(std::begin(kReserved), std::end(kReserved), name) != std::end(kReserved);
}

void check_identifier(const std::string& name) {
  auto legal_first = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  auto legal = [&](char c) { return legal_first(c) || (c >= '0' && c <= '9') || c == '$'; };
  if (name.empty() || !legal_first(name[0]) || !std::all_of(name.begin(), name.end(), legal))
    throw InternalError(fmt::format("'{}' is not a legal Verilog identifier", name));
  if (is_reserved_word(name))
    throw InternalError(fmt::format("'{}' is a Verilog/SystemVerilog reserved word", name));
}

Module::Module(std::string name, std::string description)
    : name_(std::move(name)), description_(std::move(description)) {
  check_identifier(name_);
}

void Module::declare(const std::string& name) {
  check_identifier(name);
  if (std::find(declared_.begin(), declared_.end(), name) != declared_.end())
    throw InternalError(fmt::format("module {}: '{}' declared twice", name_, name));
  declared_.push_back(name);
}

static void check_width(const std::string& module, const std::string& name, int width) {
  if (width < 1)
    throw InternalError(fmt::format("module {}: '{}' has width {} < 1", module, name, width));
}

const std::string& Module::input(const std::string& name, int width, std::string comment) {
  declare(name);
  check_width(name_, name, width);
  ports_.push_back({name, Dir::In, width, std::move(comment)});
  return ports_.back().name;
}

const std::string& Module::output(const std::string& name, int width, std::string comment) {
  declare(name);
  check_width(name_, name, width);
  ports_.push_back({name, Dir::Out, width, std::move(comment)});
  return ports_.back().name;
}

const std::string& Module::wire(const std::string& name, int width, std::string comment) {
  declare(name);
  check_width(name_, name, width);
  nets_.push_back({name, width, false, std::move(comment)});
  return nets_.back().name;
}

const std::string& Module::reg(const std::string& name, int width, std::string next,
                               std::string enable, std::optional<std::string> reset_value,
                               std::string comment) {
  declare(name);
  check_width(name_, name, width);
  nets_.push_back({name, width, true, std::move(comment)});
  registers_.push_back({name, std::move(next), std::move(enable), std::move(reset_value)});
  return nets_.back().name;
}

void Module::assign(std::string lhs, std::string rhs) {
  assigns_.push_back({std::move(lhs), std::move(rhs)});
}

const std::string& Module::localparam(const std::string& name, int width, std::string value,
                                      std::string comment) {
  declare(name);
  check_width(name_, name, width);
  localparams_.push_back({name, width, std::move(value), std::move(comment)});
  return localparams_.back().name;
}

const std::string& Module::comb_reg(const std::string& name, int width, std::string comment) {
  declare(name);
  check_width(name_, name, width);
  nets_.push_back({name, width, true, std::move(comment)});
  comb_regs_.push_back(name);
  return nets_.back().name;
}

void Module::case_block(CaseBlock block) {
  for (const std::string& out : block.outputs)
    if (std::find(comb_regs_.begin(), comb_regs_.end(), out) == comb_regs_.end())
      throw InternalError(fmt::format("module {}: case output '{}' is not a comb_reg", name_, out));
  const size_t n = block.outputs.size();
  bool ok = block.defaults.size() == n;
  for (const CaseItem& item : block.items) ok = ok && item.values.size() == n;
  if (!ok)
    throw InternalError(fmt::format("module {}: case on {}: every branch needs {} values", name_,
                                    block.selector, n));
  case_blocks_.push_back(std::move(block));
}

void Module::instance(std::string module, std::string name,
                      std::vector<std::pair<std::string, std::string>> connections) {
  declare(name);
  instances_.push_back({std::move(module), name, std::move(connections)});
}

void Module::set_clock(std::string clk, std::string rst_n) {
  clock_ = std::move(clk);
  reset_n_ = std::move(rst_n);
}

const Port* Module::find_port(const std::string& name) const {
  for (const Port& p : ports_)
    if (p.name == name) return &p;
  return nullptr;
}

std::string Module::select(const std::string& name, int i) const {
  return width_of(name) == 1 ? name : bit(name, i);
}

int Module::width_of(const std::string& name) const {
  if (const Port* p = find_port(name)) return p->width;
  for (const Net& n : nets_)
    if (n.name == name) return n.width;
  throw InternalError(fmt::format("module {}: no port or net '{}'", name_, name));
}

Module& Design::add(Module m) {
  if (has(m.name())) throw InternalError(fmt::format("module {} added twice", m.name()));
  for (const Instance& inst : m.instances())
    if (!has(inst.module))
      throw InternalError(fmt::format("module {}: instance {} of unknown module {}", m.name(),
                                      inst.name, inst.module));
  modules_.push_back(std::move(m));
  return modules_.back();
}

bool Design::has(const std::string& name) const {
  return std::any_of(modules_.begin(), modules_.end(),
                     [&](const Module& m) { return m.name() == name; });
}

const Module& Design::get(const std::string& name) const {
  for (const Module& m : modules_)
    if (m.name() == name) return m;
  throw InternalError(fmt::format("no module {} in the design", name));
}

void Design::check() const {
  if (!top_.empty()) get(top_);
  for (const Module& m : modules_) {
    for (const Instance& inst : m.instances()) {
      const Module& child = get(inst.module);
      for (const auto& [port, expr] : inst.connections) {
        (void)expr;
        if (!child.find_port(port))
          throw InternalError(fmt::format("module {}: instance {} connects '{}', not a port of {}",
                                          m.name(), inst.name, port, child.name()));
      }
      for (const Port& p : child.ports()) {
        auto hits = std::count_if(inst.connections.begin(), inst.connections.end(),
                                  [&](const auto& c) { return c.first == p.name; });
        if (hits != 1)
          throw InternalError(fmt::format("module {}: instance {} connects port {} {} times",
                                          m.name(), inst.name, p.name, hits));
      }
    }
  }
}

}  // namespace escgen::netlist
