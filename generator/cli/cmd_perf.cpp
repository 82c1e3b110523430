// `escgen perf --config CFG --layer DIR [--input X.npy] [--json FILE] [--assign A] [--after D]`:
// the analytic performance model (perf/perf_model.h) of the layer with its output channels
// assigned as `escgen sim --assign` does: predicted RTL cycles, the ideal lower bound and the part
// that binds it, per output-channel group; with --after, of the layer queued behind others.
#include <fstream>
#include <optional>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "config/config.h"
#include "interface/layer_plan.h"
#include "model/layer.h"
#include "perf/perf_model.h"
#include "util/error.h"

namespace escgen::cli {

void add_perf(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("perf", "predict a layer's cycles on the accelerator (model)");
  auto config = std::make_shared<std::string>();
  auto layer_dir = std::make_shared<std::string>();
  auto input = std::make_shared<std::string>();
  auto json = std::make_shared<std::string>();
  auto ignore = std::make_shared<bool>(false);
  auto assign = std::make_shared<std::string>("balanced");
  auto after = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--config", *config, "configuration JSON file")->required();
  cmd->add_option("--layer", *layer_dir, "layer directory")->required();
  cmd->add_option("--input", *input, "input activations (default: DIR/x.npy)");
  cmd->add_option("--json", *json, "write the estimate as JSON");
  cmd->add_option("--after", *after,
                  "the layer runs queued behind this layer directory (its input DIR/x.npy); "
                  "repeat for a longer run, earliest first: the cycles it adds to the run");
  cmd->add_flag("--ignore-limits", *ignore,
                "model a layer outside the configuration's max_* limits (the RTL refuses it)");
  cmd->add_option("--assign", *assign,
                  "output channels to rows: balanced or linear (as escgen sim --assign)")
      ->capture_default_str();
  cmd->callback([&ctx, config, layer_dir, input, json, ignore, assign, after] {
    const Config c = Config::from_file(*config);
    const ChannelAssign a = parse_channel_assign(*assign, "perf: --assign");
    // A layer's estimate (its output channels assigned as escgen sim does), queued or alone.
    auto model = [&](const std::string& dir, const std::string& xin,
                     const std::optional<perf::QueuedStart>& queued) {
      const LayerPlan p = plan_layer(c, dir, {.assign = a, .ignore_limits = *ignore});
      const std::vector<uint16_t> x = load_input(xin, p.layer);
      return perf::estimate(c, p.placed, x, queued ? &*queued : nullptr);
    };
    // The layers before, each queued behind the one before it.
    std::optional<perf::QueuedStart> queued;
    for (const std::string& dir : *after) queued = model(dir, dir + "/x.npy", queued).behind;
    const perf::PerfEstimate e =
        model(*layer_dir, input->empty() ? *layer_dir + "/x.npy" : *input, queued);
    ctx.out << fmt::format("escgen perf: {} on {} (model, {} channel assignment{})\n", *layer_dir,
                           *config, to_string(a),
                           after->empty() ? std::string()
                                          : fmt::format(", queued behind {}", after->back()))
            << perf::to_text(e);
    if (!json->empty()) {
      std::ofstream f(*json);
      if (!f) throw InputError(fmt::format("{}: cannot write", *json));
      f << perf::to_json(e).dump(2) << "\n";
    }
  });
}

}  // namespace escgen::cli
