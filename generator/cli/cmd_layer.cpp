// `escgen layer random --out DIR --seed N [--c-in ... --output raw|requant_relu]`: writes a seeded
// random PENNI layer directory (layer.json, basis.npy, coef.npy, bias.npy, scale.npy, shift.npy)
// and a matching input DIR/x.npy, for regressions, benchmarks and experiments.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "model/layer.h"
#include "model/random_layer.h"
#include "util/error.h"

namespace escgen::cli {

void add_layer(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("layer", "PENNI layer directories");
  cmd->require_subcommand(1);
  auto* random = cmd->add_subcommand("random", "write a seeded random layer and input x.npy");
  auto spec = std::make_shared<RandomLayerSpec>();
  auto out_dir = std::make_shared<std::string>();
  auto seed = std::make_shared<uint64_t>(0);
  auto output = std::make_shared<std::string>("requant_relu");
  random->add_option("--out", *out_dir, "layer directory to write (created)")->required();
  random->add_option("--seed", *seed, "random seed (the same seed gives the same files)")
      ->required();
  const auto int_option = [&](const char* name, int& value, const char* what) {
    random->add_option(name, value, what)->capture_default_str();
  };
  int_option("--c-in", spec->c_in, "input channels");
  int_option("--c-out", spec->c_out, "output channels");
  int_option("--h", spec->h, "input height");
  int_option("--w", spec->w, "input width");
  int_option("--k", spec->k, "kernel size");
  int_option("--stride", spec->stride, "stride");
  int_option("--pad", spec->pad, "zero padding");
  int_option("--d", spec->d, "number of basis kernels");
  int_option("--act-bits", spec->act_bits, "activation width");
  int_option("--basis-bits", spec->basis_bits, "basis width");
  int_option("--coef-bits", spec->coef_bits, "coefficient width (2: ternary)");
  int_option("--mult-bits", spec->mult_bits, "width bounding the requantisation multipliers");
  random->add_option("--density", spec->density, "fraction of non-zero coefficients, in [0, 1]")
      ->capture_default_str();
  random
      ->add_option("--density-skew", spec->density_skew,
                   "per-output-channel density skew in [0, 1]: channel o's density is "
                   "density * (1 + skew * u), u uniform in [-1, 1]")
      ->capture_default_str();
  random->add_option("--act-zero", spec->act_zero, "fraction of zero activations, in [0, 1]")
      ->capture_default_str();
  random->add_option("--output", *output, "output mode: requant_relu or raw")
      ->capture_default_str();
  random->callback([&ctx, spec, out_dir, seed, output] {
    if (*output == "raw")
      spec->output = OutputMode::Raw;
    else if (*output == "requant_relu")
      spec->output = OutputMode::RequantRelu;
    else
      throw InputError(
          fmt::format("layer random: --output: must be requant_relu or raw (got {})", *output));
    for (auto [name, value] :
         {std::pair{"--density", spec->density}, std::pair{"--act-zero", spec->act_zero},
          std::pair{"--density-skew", spec->density_skew}})
      if (!(value >= 0.0 && value <= 1.0))
        throw InputError(fmt::format("layer random: {}: must be in [0, 1] (got {})", name, value));
    if (spec->mult_bits < 1 || spec->mult_bits > 31)
      throw InputError(
          fmt::format("layer random: --mult-bits: must be in [1, 31] (got {})", spec->mult_bits));
    const RandomLayer r = random_layer(*spec, *seed, *out_dir);
    save_layer(*out_dir, r.layer, spec->mult_bits);
    const std::string x_path = (std::filesystem::path(*out_dir) / "x.npy").string();
    save_input(x_path, r.layer, r.x);
    const auto nonzero =
        std::count_if(r.layer.coef.begin(), r.layer.coef.end(), [](int8_t c) { return c != 0; });
    const auto zero_x = std::count(r.x.begin(), r.x.end(), uint16_t{0});
    ctx.out << fmt::format(
        "escgen layer random: {} (seed {}): c_in {} c_out {} h {} w {} k {} stride {} pad {} d {} "
        "{}; {}/{} non-zero coefficients, {}/{} zero activations in x.npy\n",
        *out_dir, *seed, r.layer.c_in, r.layer.c_out, r.layer.h, r.layer.w, r.layer.k,
        r.layer.stride, r.layer.pad, r.layer.d, *output, nonzero, r.layer.coef.size(), zero_x,
        r.x.size());
  });
}

}  // namespace escgen::cli
