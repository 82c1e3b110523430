// `escgen golden --layer DIR --input X.npy --output Y.npy`: runs the C++ golden model on one
// layer directory and input, writing y.npy (uint8/uint16 by act_bits for requant_relu, int32 for
// raw; shape (c_out, h_out, w_out)).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "model/golden.h"
#include "model/layer.h"
#include "model/npy.h"

namespace escgen::cli {

void add_golden(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("golden", "run the golden model of a PENNI layer");
  auto layer_dir = std::make_shared<std::string>();
  auto input = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  auto mult_bits = std::make_shared<int>(16);
  cmd->add_option("--layer", *layer_dir, "layer directory (layer.json, basis.npy, coef.npy, ...)")
      ->required();
  cmd->add_option("--input", *input, "input activations x.npy (c_in, h, w)")->required();
  cmd->add_option("--output", *output, "output y.npy (c_out, h_out, w_out)")->required();
  cmd->add_option("--mult-bits", *mult_bits, "width bounding the requantisation multipliers")
      ->check(CLI::Range(1, 31))
      ->capture_default_str();
  cmd->callback([&ctx, layer_dir, input, output, mult_bits] {
    const Layer l = load_layer(*layer_dir, *mult_bits);
    const std::vector<uint16_t> x = load_input(*input, l);
    const std::vector<int64_t> y = golden_output(l, x);
    const npy::DType dtype = l.output == OutputMode::Raw ? npy::DType::Int32
                             : l.act_bits > 8            ? npy::DType::UInt16
                                                         : npy::DType::UInt8;
    const std::vector<size_t> shape{static_cast<size_t>(l.c_out), static_cast<size_t>(l.h_out()),
                                    static_cast<size_t>(l.w_out())};
    npy::write(*output, npy::make(dtype, shape, y));
    ctx.out << fmt::format("escgen golden: {} ({} -> {} channels, {}x{} -> {}x{}, {}) -> {} ({})\n",
                           *layer_dir, l.c_in, l.c_out, l.h, l.w, l.h_out(), l.w_out(),
                           l.output == OutputMode::Raw ? "raw" : "requant_relu", *output,
                           npy::dtype_name(dtype));
  });
}

}  // namespace escgen::cli
