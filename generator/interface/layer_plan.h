// The plan of one layer on a configuration: its geometry on the accelerator (groups, chunks,
// basis beats, weight items, output beats) and the one sequence every user of a layer runs
// before anything else (`escgen perf`, `escgen stimulus`, `escgen sim`): load the layer, check
// that it fits, assign its output channels to rows and place it (the layer the rows see). The
// plan also names the runs the layer takes on the accelerator; today one run covers the layer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "config/config.h"
#include "interface/channel_assignment.h"
#include "model/layer.h"

namespace escgen {

// Output-channel groups and chunks per pixel of a layer on a configuration.
int layer_groups(const Config& c, const Layer& l);       // ceil(c_out / rows)
int layer_chunks(const Config& c, const Layer& l);       // ceil(c_in / row_width)
int layer_basis_beats(const Config& c, const Layer& l);  // ceil(d*k*k / basis_taps_per_beat)
// A row's weight items per group: its parameter item (bias, M, S), then one per chunk.
int layer_row_items(const Config& c, const Layer& l);

// The layer on the accelerator: what the stimulus, its decoders and the performance model count.
struct LayerGeometry {
  int groups = 0;            // layer_groups: output-channel groups (passes over the input)
  int chunks = 0;            // layer_chunks: SparseMap chunks (input beats) per input pixel
  int basis_beats = 0;       // layer_basis_beats: weight beats of the basis
  int row_items = 0;         // layer_row_items: a row's weight items per group
  int64_t output_beats = 0;  // groups * h_out * w_out: one beat per group and output pixel
};
LayerGeometry layer_geometry(const Config& c, const Layer& l);

// A half-open range [begin, end) of indices.
struct IndexRange {
  int begin = 0, end = 0;
  int size() const { return end - begin; }
  friend bool operator==(const IndexRange&, const IndexRange&) = default;
};

// One run of the accelerator (one CTRL.start) on a slice of the layer. Ranges index the placed
// layer: c_out counts its slots (slot s computes the layer's output channel perm[s]), c_in its
// input channels, out_rows / out_cols its output pixels (0 .. h_out, 0 .. w_out).
//
// Today every layer fits the configuration (check_fit) and its plan has exactly one run covering
// it all. A layer larger than the configuration will be split into runs, each of which fits:
//  - output-channel groups: c_out cut at multiples of the rows (whole groups of slots, at most
//    max_c_out per run); each run's output beats decode into its slots of y;
//  - input-channel parts: c_in cut at multiples of row_width (whole chunks, at most max_c_in per
//    run); each part runs with raw output (the bias in one part only) and the host adds the parts'
//    int32 partial sums, then requantises;
//  - spatial tiles: out_rows / out_cols cut so that a tile's input, the output rows times stride
//    plus the k - stride halo rows (and columns) around them, fits max_h / max_w; the tile's
//    input is cut from x with that halo, padding only at the layer's own borders.
// Runs are listed in the order the host starts them; together they cover every (slot, output
// pixel) once and every input channel once per output.
struct LayerRun {
  IndexRange c_out, c_in, out_rows, out_cols;
  friend bool operator==(const LayerRun&, const LayerRun&) = default;
};

struct PlanOptions {
  ChannelAssign assign = ChannelAssign::Balanced;  // output channels to rows
  bool ignore_limits = false;  // skip check_fit (escgen perf --ignore-limits: model only)
};

struct LayerPlan {
  Layer layer;             // as loaded
  Layer placed;            // output channel perm[s] at position s: the layer the rows compute
  std::vector<int> perm;   // assign_channels
  LayerGeometry geometry;  // of the layer on the configuration
  std::vector<LayerRun> runs;
};

// Loads layer_dir (load_layer with c.mult_bits), checks it fits (check_fit: InputError naming
// the file and the field) unless o.ignore_limits, assigns its output channels (o.assign) and
// places it (permute_layer).
LayerPlan plan_layer(const Config& c, const std::filesystem::path& layer_dir, const PlanOptions& o);
// The same for a layer already loaded.
LayerPlan plan_layer(const Config& c, Layer l, const PlanOptions& o);

}  // namespace escgen
