// Text and JSON forms of the compression report (see report.h).
#include "penni/report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace escgen::penni {
namespace {

double fraction(uint64_t part, uint64_t whole) {
  return whole ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

std::string list_or_none(const std::vector<int>& v) {
  return v.empty() ? std::string("none") : fmt::format("{} ({})", fmt::join(v, " "), v.size());
}

}  // namespace

std::string report_text(const Report& r) {
  const ConvShape& s = r.shape;
  std::string t = fmt::format(
      "escgen penni {}: {} -> {} channels, {}x{} kernels, d = {} bases, input {} x {}, stride {}, "
      "pad {}, output {} x {} ({})\n",
      r.command, s.c_in, s.c_out, s.k, s.k, r.d, s.h, s.w, s.stride, s.pad, s.h_out(), s.w_out(),
      r.output);
  if (!r.singular_values.empty()) {
    t += fmt::format("  singular values: {:.4g}\n", fmt::join(r.singular_values, " "));
    t += fmt::format("  energy kept by d = {}: {:.4f}%", r.d, 100.0 * r.energy_kept);
    if (r.energy_target) t += fmt::format(" (--energy {})", *r.energy_target);
    t += "\n";
  }
  t += fmt::format("  pruning: |c| < {} * std = {:.6g}: {} of {} coefficients\n", r.prune_std,
                   r.prune_threshold, r.pruned, r.coef_total);
  t += fmt::format(
      "  quantisation: basis {}-bit, scale {:.6g}; coefficients ternary, delta {:.6g}, alpha "
      "{:.6g}..{:.6g} (per {})\n",
      r.basis_bits, r.basis_scale, r.ternary_delta, r.alpha_min, r.alpha_max,
      r.alpha_mode == "layer" ? "layer" : "output channel");
  t += fmt::format("  activation scales ({}): input {:.6g}, output {:.6g} per code ({}-bit)\n",
                   r.calibrated ? "calibrated" : "NOT calibrated: defaults", r.input_scale,
                   r.output_scale, r.act_bits);
  t += fmt::format(
      "  requantisation: M in [{}, {}] < 2^{}, S in [{}, {}], worst relative error of M/2^S "
      "{:.3g}\n",
      r.m_min, r.m_max, r.mult_bits, r.s_min, r.s_max, r.requant_worst_rel_error);
  t += fmt::format(
      "  weight error ||W - W_hat|| / ||W||: decomposed {:.6f}, pruned {:.6f}, quantised {:.6f}\n",
      r.weight_error_decomposed, r.weight_error_pruned, r.weight_error_quantized);
  t += fmt::format(
      "  coefficients: {} total; zero after pruning {:.2f}%, after ternarisation {:.2f}% ({} "
      "non-zero)\n",
      r.coef_total, 100.0 * (1.0 - fraction(r.coef_nonzero_pruned, r.coef_total)),
      100.0 * (1.0 - fraction(r.work.coef_nonzero, r.coef_total)), r.work.coef_nonzero);
  t += fmt::format(
      "  output error (relative RMS vs the float layer, {} {} input{}): PENNI float {:.6f}, "
      "quantised (golden model) {:.6f}\n",
      r.samples, r.calibrated ? "calibration" : "synthetic", r.samples == 1 ? "" : "s",
      r.output_error_float, r.output_error_quantized);
  t += fmt::format(
      "  work for {} x {}: dense {} MACs; PENNI {} CA additions + {} MACs ({} MACs after "
      "shrinking)\n",
      s.h, s.w, r.work.dense_macs, r.work.ca_additions, r.work.penni_macs,
      r.work.penni_macs_shrunk);
  t += fmt::format("  shrinkable: input channels {}; output channels {}; bases {}\n",
                   list_or_none(r.shrink.inputs), list_or_none(r.shrink.outputs),
                   list_or_none(r.shrink.bases));
  return t;
}

nlohmann::json report_json(const Report& r) {
  const ConvShape& s = r.shape;
  nlohmann::json j;
  j["command"] = r.command;
  j["layer"] = {{"c_in", s.c_in},
                {"c_out", s.c_out},
                {"k", s.k},
                {"h", s.h},
                {"w", s.w},
                {"stride", s.stride},
                {"pad", s.pad},
                {"h_out", s.h_out()},
                {"w_out", s.w_out()},
                {"d", r.d},
                {"act_bits", r.act_bits},
                {"basis_bits", r.basis_bits},
                {"coef_bits", r.coef_bits},
                {"output", r.output}};
  j["decomposition"] = {{"singular_values", r.singular_values}, {"energy_kept", r.energy_kept}};
  j["decomposition"]["energy_target"] =
      r.energy_target ? nlohmann::json(*r.energy_target) : nlohmann::json(nullptr);
  j["pruning"] = {
      {"std_factor", r.prune_std}, {"threshold", r.prune_threshold}, {"pruned", r.pruned}};
  j["quantisation"] = {{"basis_scale", r.basis_scale},
                       {"ternary_delta", r.ternary_delta},
                       {"alpha_mode", r.alpha_mode},
                       {"alpha_min", r.alpha_min},
                       {"alpha_max", r.alpha_max},
                       {"calibrated", r.calibrated},
                       {"input_scale", r.input_scale},
                       {"output_scale", r.output_scale},
                       {"mult_bits", r.mult_bits},
                       {"m_min", r.m_min},
                       {"m_max", r.m_max},
                       {"s_min", r.s_min},
                       {"s_max", r.s_max},
                       {"requant_worst_rel_error", r.requant_worst_rel_error}};
  j["weight_error"] = {{"decomposed", r.weight_error_decomposed},
                       {"pruned", r.weight_error_pruned},
                       {"quantised", r.weight_error_quantized}};
  j["output_error"] = {{"samples", r.samples},
                       {"input", r.calibrated ? "calibration" : "synthetic"},
                       {"penni_float", r.output_error_float},
                       {"quantised", r.output_error_quantized}};
  j["coefficients"] = {{"total", r.coef_total},
                       {"nonzero_pruned", r.coef_nonzero_pruned},
                       {"nonzero_ternary", r.work.coef_nonzero},
                       {"sparsity_pruned", 1.0 - fraction(r.coef_nonzero_pruned, r.coef_total)},
                       {"sparsity_ternary", 1.0 - fraction(r.work.coef_nonzero, r.coef_total)}};
  j["work"] = {{"h", s.h},
               {"w", s.w},
               {"dense_macs", r.work.dense_macs},
               {"ca_additions", r.work.ca_additions},
               {"penni_macs", r.work.penni_macs},
               {"penni_macs_shrunk", r.work.penni_macs_shrunk}};
  j["shrinkable"] = {{"input_channels", r.shrink.inputs},
                     {"output_channels", r.shrink.outputs},
                     {"bases", r.shrink.bases}};
  return j;
}

}  // namespace escgen::penni
