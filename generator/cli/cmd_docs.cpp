// `escgen docs config [--out FILE]`: the configuration reference, generated from the key table.
#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "config/emit.h"
#include "netlist/verilog_writer.h"

namespace escgen::cli {

void add_docs(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("docs", "write reference documentation generated from the code");
  auto* config = cmd->add_subcommand("config", "the configuration key reference (Markdown)");
  cmd->require_subcommand(1);
  auto out = std::make_shared<std::string>();
  config->add_option("--out", *out, "file to write (default: standard output)");
  config->callback([&ctx, out] {
    const std::string text = config_reference_markdown();
    if (out->empty())
      ctx.out << text;
    else
      netlist::write_file(*out, text);
  });
}

}  // namespace escgen::cli
