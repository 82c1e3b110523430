// The compression report of `escgen penni compress|quantize`: shapes, the decomposition's
// spectrum, pruning and quantisation parameters, weight and output errors, sparsity, work counts
// and shrinkable channels. Printed as text, written as JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "penni/analysis.h"
#include "penni/float_conv.h"

namespace escgen::penni {

struct Report {
  std::string command;  // "compress" or "quantize"
  ConvShape shape;
  int d = 0, act_bits = 8, basis_bits = 8, coef_bits = 2, mult_bits = 16;
  std::string output;  // "requant_relu" or "raw"

  // Decomposition (compress only; empty / 1 for quantize).
  std::vector<double> singular_values;  // all k*k, descending
  double energy_kept = 1.0;             // fraction of the squared singular energy in the top d
  std::optional<double> energy_target;  // --energy, when d was chosen by energy

  // Pruning.
  double prune_std = 0.0, prune_threshold = 0.0;
  uint64_t pruned = 0;  // coefficients with |c| < threshold

  // Quantisation and scales.
  double basis_scale = 0.0, ternary_delta = 0.0, alpha_min = 0.0, alpha_max = 0.0;
  std::string alpha_mode;  // "channel" or "layer"
  bool calibrated = false;
  int samples = 0;                               // inputs the output error was measured on
  double input_scale = 0.0, output_scale = 0.0;  // float value of one activation code
  double requant_worst_rel_error = 0.0;          // max over channels of |M/2^S - m| / m
  int32_t m_min = 0, m_max = 0;
  int s_min = 0, s_max = 0;

  // Errors: ||W - W_hat||_F / ||W||_F, and relative RMS of the outputs against the float layer.
  double weight_error_decomposed = 0.0, weight_error_pruned = 0.0, weight_error_quantized = 0.0;
  double output_error_float = 0.0;      // decomposed + pruned float weights
  double output_error_quantized = 0.0;  // the integer layer (golden model), dequantised

  // Coefficients and work.
  uint64_t coef_total = 0, coef_nonzero_pruned = 0;
  WorkCounts work;
  Shrinkable shrink;
};

std::string report_text(const Report& r);
nlohmann::json report_json(const Report& r);

}  // namespace escgen::penni
