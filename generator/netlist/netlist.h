// The small netlist model every hardware block is built into before it is written as Verilog:
// a Design holds Modules; a Module holds ports, nets, continuous assignments, clocked registers
// and instances of other modules. Expressions are Verilog text built with the helpers in expr.h;
// names are checked here (legal identifiers, no Verilog/SystemVerilog keywords, no duplicates)
// and instances are checked against the ports of the modules they instantiate.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace escgen::netlist {

enum class Dir { In, Out };

struct Port {
  std::string name;
  Dir dir;
  int width;
  std::string comment;
};

struct Net {
  std::string name;
  int width;
  bool is_reg;  // driven by a Register (declared `reg`)
  std::string comment;
};

struct Assign {
  std::string lhs;  // a declared net or output port, optionally with a select
  std::string rhs;
};

// A clocked register: `name <= next` on the rising clock edge when `enable` (if any) is true;
// a synchronous active-low reset to `reset_value` when one is given (control state only; datapath
// registers have none).
struct Register {
  std::string name;
  std::string next;
  std::string enable;                      // empty: always
  std::optional<std::string> reset_value;  // Verilog literal
};

// A named constant of a module: `localparam [width-1:0] NAME = value;` (state encodings,
// register addresses), so the code that uses it reads as names instead of numbers.
struct LocalParam {
  std::string name;
  int width;
  std::string value;  // Verilog literal
  std::string comment;
};

// A combinational case statement driving `outputs` (nets declared with comb_reg):
// `always @(*) case (selector) label: out = value; ... default: out = default; endcase`. Every
// output is assigned in every branch, so no latch is inferred.
struct CaseItem {
  std::string label;                // a Verilog literal or a localparam name
  std::vector<std::string> values;  // one per output
};
struct CaseBlock {
  std::string selector;
  std::vector<std::string> outputs;
  std::vector<CaseItem> items;
  std::vector<std::string> defaults;  // one per output
};

struct Instance {
  std::string module;
  std::string name;
  std::vector<std::pair<std::string, std::string>> connections;  // port -> expression
};

class Module {
 public:
  Module(std::string name, std::string description);

  const std::string& name() const { return name_; }
  const std::string& description() const { return description_; }

  // Declarations. Each returns the name so calls can be used in expressions.
  const std::string& input(const std::string& name, int width, std::string comment = "");
  const std::string& output(const std::string& name, int width, std::string comment = "");
  const std::string& wire(const std::string& name, int width, std::string comment = "");
  // Declares a `reg` net and the register that drives it.
  const std::string& reg(const std::string& name, int width, std::string next,
                         std::string enable = "", std::optional<std::string> reset_value = {},
                         std::string comment = "");
  void assign(std::string lhs, std::string rhs);
  // A localparam; returns its name for use in expressions.
  const std::string& localparam(const std::string& name, int width, std::string value,
                                std::string comment = "");
  // A `reg` net driven by a combinational case block (case_block), not by a clock.
  const std::string& comb_reg(const std::string& name, int width, std::string comment = "");
  // Throws InternalError when an output is not a comb_reg or a branch has the wrong value count.
  void case_block(CaseBlock block);
  void instance(std::string module, std::string name,
                std::vector<std::pair<std::string, std::string>> connections);

  // Clock and reset names used by registers (inputs the caller declares).
  void set_clock(std::string clk, std::string rst_n);
  const std::string& clock() const { return clock_; }
  const std::string& reset_n() const { return reset_n_; }

  const std::vector<Port>& ports() const { return ports_; }
  const std::vector<Net>& nets() const { return nets_; }
  const std::vector<Assign>& assigns() const { return assigns_; }
  const std::vector<LocalParam>& localparams() const { return localparams_; }
  const std::vector<CaseBlock>& case_blocks() const { return case_blocks_; }
  const std::vector<Register>& registers() const { return registers_; }
  const std::vector<Instance>& instances() const { return instances_; }
  const Port* find_port(const std::string& name) const;
  int width_of(const std::string& name) const;  // a port or net; throws when unknown
  // Bit i of a declared port or net: `name[i]`, or `name` itself for a one-bit (scalar) net.
  std::string select(const std::string& name, int i) const;

 private:
  void declare(const std::string& name);

  std::string name_, description_;
  std::string clock_ = "clk", reset_n_ = "rst_n";
  std::vector<Port> ports_;
  std::vector<Net> nets_;
  std::vector<Assign> assigns_;
  std::vector<LocalParam> localparams_;
  std::vector<CaseBlock> case_blocks_;
  std::vector<std::string> comb_regs_;
  std::vector<Register> registers_;
  std::vector<Instance> instances_;
  std::vector<std::string> declared_;
};

// A set of modules in dependency order (a module appears after every module it instantiates).
class Design {
 public:
  // Adds a module; its instances must name modules already in the design. Throws on a duplicate.
  Module& add(Module m);
  bool has(const std::string& name) const;
  const Module& get(const std::string& name) const;
  const std::vector<Module>& modules() const { return modules_; }

  void set_top(std::string name) { top_ = std::move(name); }
  const std::string& top() const { return top_; }

  // Checks every instance: module exists, each connection names a port, every port connected.
  void check() const;

 private:
  std::vector<Module> modules_;
  std::string top_;
};

// Throws InternalError when `name` is not a legal Verilog identifier or is a reserved word of
// Verilog-2005 or SystemVerilog-2017.
void check_identifier(const std::string& name);
bool is_reserved_word(const std::string& name);

}  // namespace escgen::netlist
