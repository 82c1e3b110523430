// PENNI compression of one convolution layer into a contract layer: decomposition (compress) or
// given basis and coefficients (quantize), magnitude pruning, hybrid quantisation, requantisation
// scales from calibration data (or documented defaults), and the report, whose output error is
// measured with the golden model (golden.h). The CLI (cmd_penni.cpp) reads and writes the files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "model/layer.h"
#include "penni/calibrate.h"
#include "penni/quantize.h"
#include "penni/report.h"

namespace escgen::penni {

// Names used in error messages ("<file>: <field>: <problem>").
struct Names {
  std::string command = "penni compress";
  std::string weights = "weights";  // compress: the dense weights; quantize: the coefficients
  std::string basis = "basis", bias = "bias", calib = "calib", out = "out";
};

struct Options {
  int act_bits = 8, basis_bits = 8, mult_bits = 16;
  OutputMode output = OutputMode::RequantRelu;
  AlphaMode alpha = AlphaMode::PerOutputChannel;
  double prune_std = 1.0;     // prune |c| < prune_std * std(c); 0 prunes nothing
  double delta_factor = 0.7;  // ternary threshold = delta_factor * mean |c| (non-zero c)
  int stride = 1;
  int pad = -1;      // -1: k / 2 ("same" for odd k and stride 1)
  int h = 0, w = 0;  // input size: required without calibration; 0 or equal to it with
  double input_percentile = 100.0;  // of the positive calibration inputs -> top code
  double output_percentile = 99.9;  // of the float layer's positive outputs -> top code
  uint64_t seed = 1;                // synthetic input when there is no calibration data
  Names names;
};

// How many bases compress keeps: d (default min(k*k, 5)) or the smallest d keeping `energy`.
struct DChoice {
  std::optional<int> d;
  std::optional<double> energy;
};

// A dense float layer: weights (c_out, c_in, k, k) and bias (c_out, or empty), C order.
struct DenseLayer {
  int c_out = 0, c_in = 0, k = 0;
  std::vector<double> weights;
  std::vector<double> bias;
};

struct Compressed {
  Layer layer;
  std::vector<uint16_t> x;  // the first evaluation input, quantised: the layer's x.npy
  Report report;
};

// Every user-facing check (option ranges, d vs k, calibration shape) throws InputError naming the
// file or option and the field.
Compressed compress(const DenseLayer& dense, const DChoice& choice,
                    const std::optional<Activations>& calib, const Options& opt);

// basis (d, k*k) and coef (c_out*c_in, d) trained elsewhere; the float layer is coef * basis.
Compressed quantize_decomposed(int c_out, int c_in, int k, const Eigen::MatrixXd& basis,
                               const Eigen::MatrixXd& coef, const std::vector<double>& bias,
                               const std::optional<Activations>& calib, const Options& opt);

}  // namespace escgen::penni
