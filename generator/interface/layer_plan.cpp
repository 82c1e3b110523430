// The layer plan: a layer's geometry on a configuration, and load, fit check, channel assignment
// and placement in one place (see layer_plan.h).
#include "interface/layer_plan.h"

#include "config/geometry.h"
#include "interface/fit.h"

namespace escgen {

int layer_groups(const Config& c, const Layer& l) {
  return output_groups(c, l.c_out);
}
int layer_chunks(const Config& c, const Layer& l) {
  return input_chunks(c, l.c_in);
}
int layer_row_items(const Config& c, const Layer& l) {
  return 1 + layer_chunks(c, l);
}
int layer_basis_beats(const Config& c, const Layer& l) {
  return basis_beats(c, l.d, l.k);
}

LayerGeometry layer_geometry(const Config& c, const Layer& l) {
  LayerGeometry g;
  g.groups = layer_groups(c, l);
  g.chunks = layer_chunks(c, l);
  g.basis_beats = layer_basis_beats(c, l);
  g.row_items = layer_row_items(c, l);
  g.output_beats = int64_t{g.groups} * l.h_out() * l.w_out();
  return g;
}

LayerPlan plan_layer(const Config& c, const std::filesystem::path& layer_dir,
                     const PlanOptions& o) {
  return plan_layer(c, load_layer(layer_dir.string(), c.mult_bits), o);
}

LayerPlan plan_layer(const Config& c, Layer l, const PlanOptions& o) {
  if (!o.ignore_limits) check_fit(c, l);
  LayerPlan p;
  p.perm = assign_channels(c, l, o.assign);
  p.placed = permute_layer(l, p.perm);
  p.geometry = layer_geometry(c, l);
  // Unsplit: one run over the whole layer.
  p.runs = {{{0, l.c_out}, {0, l.c_in}, {0, l.h_out()}, {0, l.w_out()}}};
  p.layer = std::move(l);
  return p;
}

}  // namespace escgen
