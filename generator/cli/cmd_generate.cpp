// `escgen generate --config CFG --out DIR`: the accelerator's RTL (DIR/rtl/*.v, DIR/files.f),
// DIR/escgen_params.h and DIR/config.elab.json for one configuration.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli.h"
#include "config/config.h"
#include "config/emit.h"
#include "design/accelerator.h"
#include "netlist/verilog_writer.h"

namespace escgen::cli {

void add_generate(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("generate", "write the accelerator RTL for a configuration");
  auto config = std::make_shared<std::string>();
  auto out_dir = std::make_shared<std::string>();
  cmd->add_option("--config", *config, "configuration JSON file")->required();
  cmd->add_option("--out", *out_dir, "output directory (created; rtl/ inside is owned by escgen)")
      ->required();
  cmd->callback([&ctx, config, out_dir] {
    const Config c = Config::from_file(*config);
    const netlist::Design d = build_accelerator(c);
    const std::string command = fmt::format("escgen generate --config {} --out {}", *config, *out_dir);
    const std::filesystem::path dir(*out_dir);
    auto files = netlist::write_design(d, dir, {command});
    netlist::write_file(dir / "escgen_params.h", params_header(c, command));
    netlist::write_file(dir / "config.elab.json", elaborated_json_text(c));
    ctx.out << fmt::format("escgen: {} -> {}: {} modules (top {}), files.f, escgen_params.h, "
                           "config.elab.json\n",
                           *config, *out_dir, d.modules().size(), d.top());
    for (const netlist::Module& m : d.modules())
      ctx.out << fmt::format("  rtl/{}.v  {}\n", m.name(), m.description());
  });
}

}  // namespace escgen::cli
