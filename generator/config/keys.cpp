// The configuration key table (see keys.h). Changing a default here changes the validator, the
// generated documentation and the elaborated JSON together.
#include "config/keys.h"

#include <array>

namespace escgen {
namespace {

// Fields not given take KeySpec's defaults: not required, default 0, not a power of two.
const std::array kKeys = {
    // --- required by the layer contract ---
    KeySpec{.name = "tiles",
            .required = true,
            .min = 1,
            .max = 64,
            .meaning = "number of tiles; each has its own ring input buffer",
            .field = &Config::tiles},
    KeySpec{.name = "rows_per_tile",
            .required = true,
            .min = 1,
            .max = 64,
            .meaning = "rows per tile; a row owns one output channel at a time",
            .field = &Config::rows_per_tile},
    KeySpec{.name = "row_width",
            .required = true,
            .min = 2,
            .max = 256,
            .power_of_two = true,
            .meaning = "input channels one row's CA part takes per step (SparseMap vector length)",
            .field = &Config::row_width},
    KeySpec{.name = "input_buffer_depth",
            .required = true,
            .min = 2,
            .max = 65536,
            .meaning = "entries (SparseMap chunks) of each tile's ring input buffer",
            .field = &Config::input_buffer_depth},
    KeySpec{.name = "act_bits",
            .required = true,
            .min = 1,
            .max = 16,
            .meaning = "activation width (unsigned)",
            .field = &Config::act_bits},
    KeySpec{.name = "basis_bits",
            .required = true,
            .min = 2,
            .max = 16,
            .meaning = "basis kernel width (signed)",
            .field = &Config::basis_bits},
    KeySpec{.name = "coef_bits",
            .required = true,
            .min = 2,
            .max = 8,
            .meaning = "coefficient width (signed); 2 = ternary {-1,0,+1}, the only width the CA "
                       "lanes support (they add and subtract, no multiplier)",
            .field = &Config::coef_bits},
    KeySpec{.name = "max_c_in",
            .required = true,
            .min = 1,
            .max = 65535,
            .meaning = "largest number of input channels of a layer",
            .field = &Config::max_c_in},
    KeySpec{.name = "max_c_out",
            .required = true,
            .min = 1,
            .max = 65535,
            .meaning = "largest number of output channels of a layer",
            .field = &Config::max_c_out},
    KeySpec{.name = "max_k",
            .required = true,
            .min = 1,
            .max = 15,
            .meaning = "largest kernel size k (k x k)",
            .field = &Config::max_k},
    KeySpec{.name = "max_d",
            .required = true,
            .min = 1,
            .max = 225,
            .meaning = "largest number of basis kernels d",
            .field = &Config::max_d},
    KeySpec{.name = "max_w",
            .required = true,
            .min = 1,
            .max = 8192,
            .meaning = "largest input width w (sizes the partial-sum line buffers)",
            .field = &Config::max_w},
    // --- the project's own keys ---
    KeySpec{.name = "max_h",
            .def = 1024,
            .min = 1,
            .max = 65535,
            .meaning = "largest input height h (sizes counters)",
            .field = &Config::max_h},
    KeySpec{.name = "max_stride",
            .def = 4,
            .min = 1,
            .max = 15,
            .meaning = "largest stride",
            .field = &Config::max_stride},
    KeySpec{.name = "ca_lanes",
            .def = 8,
            .min = 2,
            .max = 256,
            .meaning = "inputs of each CA adder tree (matched activations summed per cycle)",
            .field = &Config::ca_lanes},
    KeySpec{.name = "ca_issue_width",
            .def = 1,
            .min = 1,
            .max = 225,
            .meaning = "(chunk, basis) vectors each CA unit issues per cycle, one Dilution unit "
                       "each; 1..max_d",
            .field = &Config::ca_issue_width},
    KeySpec{.name = "gather_lanes",
            .def = 0,
            .min = 0,
            .max = 256,
            .meaning =
                "lanes of each Dilution bit-gather; 0 = row_width (one gather per chunk); a "
                "smaller power of two (>= ca_lanes) gathers each chunk as row_width / "
                "gather_lanes independent parts, which the Concentration joins: shorter paths "
                "for the clock (shallower prefix count and butterfly); the same queue and "
                "beats, so the same cycles when ca_issue_width > 1 (with 1, the Concentration's "
                "placement and merge registers come in: a few cycles more per layer)",
            .field = &Config::gather_lanes},
    KeySpec{.name = "lookahead_depth",
            .def = 4,
            .min = 0,
            .max = 8,
            .meaning = "concentration look-ahead: later gathered vectors of the same target that "
                       "may refill holes",
            .field = &Config::lookahead_depth},
    KeySpec{.name = "lookaside_distance",
            .def = 1,
            .min = 0,
            .max = 8,
            .meaning = "concentration look-aside: neighbouring target queues that may refill holes",
            .field = &Config::lookaside_distance},
    KeySpec{.name = "adder_pipeline_stages",
            .def = 1,
            .min = 0,
            .max = 9,
            .meaning = "pipeline registers inside each CA adder tree",
            .field = &Config::adder_pipeline_stages},
    KeySpec{.name = "macs_per_row",
            .def = 9,
            .min = 1,
            .max = 4096,
            .meaning = "multipliers of each row's MAC part",
            .field = &Config::macs_per_row},
    KeySpec{.name = "mult_bits",
            .def = 16,
            .min = 1,
            .max = 31,
            .meaning = "width of the requantisation multiplier M (unsigned)",
            .field = &Config::mult_bits},
    KeySpec{.name = "acc_bits",
            .def = 0,
            .min = 0,
            .max = 64,
            .meaning = "accumulator width; 0 = the minimum that holds every accepted layer exactly",
            .field = &Config::acc_bits},
    KeySpec{.name = "z_fifo_depth",
            .def = 4,
            .min = 2,
            .max = 1024,
            .meaning = "depth (pixels) of the queue between a row's CA part and its MAC part",
            .field = &Config::z_fifo_depth},
    KeySpec{.name = "out_fifo_depth",
            .def = 4,
            .min = 2,
            .max = 1024,
            .meaning = "depth of each row's output queue",
            .field = &Config::out_fifo_depth},
    KeySpec{.name = "weight_prefetch",
            .def = 0,
            .min = 0,
            .max = 1,
            .meaning = "1: each row keeps a second (shadow) coefficient store and requantisation "
                       "parameters, so the next output-channel group's weights load while the "
                       "current group's pass runs, and passes overlap (the next group's input and "
                       "CA work start while the current group's MAC units finish; costs "
                       "max_c_in/row_width x max_d x 2 x row_width flops per row, plus 4 x (38 + "
                       "mult_bits) + 3); 0: weights load between passes, which do not overlap",
            .field = &Config::weight_prefetch},
    KeySpec{.name = "weight_lanes",
            .def = 1,
            .min = 1,
            .max = 64,
            .meaning =
                "rows whose per-row weight items (bias/M/S, a chunk's coefficients) share one "
                "weight beat: the beat is weight_lanes x wgt_lane_bits wide and a group loads "
                "in ceil(rows / weight_lanes) x (1 + chunks) beats; must divide rows_per_tile",
            .field = &Config::weight_lanes},
};

const std::array kCrossRules = {
    CrossRule{.key = "coef_bits",
              .rule =
                  "must be 2 (ternary): wider coefficients need a multiplier per CA lane, which "
                  "this generator does not build"},
    CrossRule{.key = "max_d",
              .rule = "max_d <= max_k * max_k (more bases than taps are linearly dependent)"},
    CrossRule{.key = "ca_lanes", .rule = "ca_lanes <= row_width"},
    CrossRule{.key = "ca_issue_width", .rule = "ca_issue_width <= max_d"},
    CrossRule{
        .key = "gather_lanes",
        .rule = "gather_lanes = 0 or a power of two with ca_lanes <= gather_lanes <= row_width"},
    CrossRule{.key = "adder_pipeline_stages",
              .rule = "adder_pipeline_stages <= log2(ca_lanes) + 1"},
    CrossRule{.key = "macs_per_row", .rule = "macs_per_row <= max_d * max_k * max_k"},
    CrossRule{
        .key = "input_buffer_depth",
        .rule = "input_buffer_depth >= ceil(max_c_in / row_width): one pixel's chunks fit, so rows "
                "can drift apart by at least a pixel"},
    CrossRule{.key = "weight_lanes", .rule = "weight_lanes divides rows_per_tile"},
    CrossRule{.key = "acc_bits",
              .rule = "acc_bits = 0 or >= the derived minimum (max(conv_bits, 32) + 1)"},
    CrossRule{.key = "mult_bits",
              .rule = "acc_bits + mult_bits <= 64 (requantisation product fits int64)"},
};

}  // namespace

std::span<const KeySpec> config_keys() {
  return kKeys;
}

const KeySpec* find_key(std::string_view name) {
  for (const KeySpec& k : kKeys)
    if (k.name == name) return &k;
  return nullptr;
}

std::span<const CrossRule> config_cross_rules() {
  return kCrossRules;
}

}  // namespace escgen
