// `escgen block NAME [--param k=v ...] --out DIR`: one block on its own, for block testbenches
// and synthesis experiments. `escgen block --list` names the blocks and their parameters.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "blocks/registry.h"
#include "cli/cli.h"
#include "netlist/verilog_writer.h"
#include "util/error.h"

namespace escgen::cli {
namespace {

std::map<std::string, int> parse_params(const blocks::BlockSpec& spec,
                                        const std::vector<std::string>& given) {
  std::map<std::string, int> values;
  for (const blocks::BlockParam& p : spec.params) values[std::string(p.name)] = p.def;
  for (const std::string& kv : given) {
    auto eq = kv.find('=');
    std::string key = kv.substr(0, eq);
    if (eq == std::string::npos || !values.contains(key))
      throw InputError(fmt::format("--param: {}: expected NAME=INT with NAME a parameter of {}", kv,
                                   spec.name));
    try {
      size_t used = 0;
      values[key] = std::stoi(kv.substr(eq + 1), &used);
      if (used != kv.size() - eq - 1) throw std::invalid_argument(kv);
    } catch (const std::exception&) {
      throw InputError(fmt::format("--param: {}: value is not an integer", kv));
    }
  }
  return values;
}

}  // namespace

void add_block(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("block", "write one block's RTL on its own");
  auto name = std::make_shared<std::string>();
  auto params = std::make_shared<std::vector<std::string>>();
  auto out_dir = std::make_shared<std::string>();
  auto list = std::make_shared<bool>(false);
  cmd->add_option("name", *name, "block name (see --list)");
  cmd->add_option("--param", *params, "block parameter NAME=INT (repeatable)");
  cmd->add_option("--out", *out_dir, "output directory");
  cmd->add_flag("--list", *list, "list the blocks and their parameters");
  cmd->callback([&ctx, name, params, out_dir, list] {
    if (*list) {
      for (const blocks::BlockSpec& s : blocks::block_specs()) {
        ctx.out << fmt::format("{}: {}\n", s.name, s.description);
        for (const blocks::BlockParam& p : s.params)
          ctx.out << fmt::format("  {} (default {}): {}\n", p.name, p.def, p.meaning);
      }
      return;
    }
    const blocks::BlockSpec* spec = blocks::find_block(*name);
    if (!spec) throw InputError(fmt::format("block: {}: unknown block (see --list)", *name));
    if (out_dir->empty()) throw InputError("block: --out: required");
    const auto values = parse_params(*spec, *params);
    netlist::Design d;
    std::string command = fmt::format("escgen block {}", *name);
    for (const auto& [k, v] : values) command += fmt::format(" --param {}={}", k, v);
    command += fmt::format(" --out {}", *out_dir);
    try {
      d.set_top(spec->build(d, values));
    } catch (const InternalError& e) {
      throw InputError(fmt::format("block {}: {}", *name, e.what()));
    }
    netlist::write_design(d, *out_dir, {command});
    ctx.out << fmt::format("escgen: block {} -> {} (top {}, {} modules)\n", *name, *out_dir,
                           d.top(), d.modules().size());
  });
}

}  // namespace escgen::cli
