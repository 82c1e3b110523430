// The configuration key table (see keys.h). Changing a default here changes the validator, the
// generated documentation and the elaborated JSON together.
#include "config/keys.h"

#include <array>

namespace escgen {
namespace {

constexpr bool kReq = true;
constexpr bool kOpt = false;

const std::array kKeys = {
    // --- required by the layer contract ---
    KeySpec{"tiles", kReq, 0, 1, 64, false, "number of tiles; each has its own ring input buffer",
            &Config::tiles},
    KeySpec{"rows_per_tile", kReq, 0, 1, 64, false,
            "rows per tile; a row owns one output channel at a time", &Config::rows_per_tile},
    KeySpec{"row_width", kReq, 0, 2, 256, true,
            "input channels one row's CA part takes per step (SparseMap vector length)",
            &Config::row_width},
    KeySpec{"input_buffer_depth", kReq, 0, 2, 65536, false,
            "entries (SparseMap chunks) of each tile's ring input buffer",
            &Config::input_buffer_depth},
    KeySpec{"act_bits", kReq, 0, 1, 16, false, "activation width (unsigned)", &Config::act_bits},
    KeySpec{"basis_bits", kReq, 0, 2, 16, false, "basis kernel width (signed)",
            &Config::basis_bits},
    KeySpec{"coef_bits", kReq, 0, 2, 8, false,
            "coefficient width (signed); 2 = ternary {-1,0,+1}, the only width the CA lanes "
            "support (they add and subtract, no multiplier)",
            &Config::coef_bits},
    KeySpec{"max_c_in", kReq, 0, 1, 65535, false, "largest number of input channels of a layer",
            &Config::max_c_in},
    KeySpec{"max_c_out", kReq, 0, 1, 65535, false, "largest number of output channels of a layer",
            &Config::max_c_out},
    KeySpec{"max_k", kReq, 0, 1, 15, false, "largest kernel size k (k x k)", &Config::max_k},
    KeySpec{"max_d", kReq, 0, 1, 225, false, "largest number of basis kernels d", &Config::max_d},
    KeySpec{"max_w", kReq, 0, 1, 8192, false,
            "largest input width w (sizes the partial-sum line buffers)", &Config::max_w},
    // --- the project's own keys ---
    KeySpec{"max_h", kOpt, 1024, 1, 65535, false, "largest input height h (sizes counters)",
            &Config::max_h},
    KeySpec{"max_stride", kOpt, 4, 1, 15, false, "largest stride", &Config::max_stride},
    KeySpec{"ca_lanes", kOpt, 8, 2, 256, false,
            "inputs of each CA adder tree (matched activations summed per cycle)",
            &Config::ca_lanes},
    KeySpec{"ca_issue_width", kOpt, 1, 1, 225, false,
            "(chunk, basis) vectors each CA unit issues per cycle, one Dilution unit each; "
            "1..max_d",
            &Config::ca_issue_width},
    KeySpec{"gather_lanes", kOpt, 0, 0, 256, false,
            "lanes of each Dilution bit-gather; 0 = row_width (one gather per chunk); a smaller "
            "power of two (>= ca_lanes) gathers each chunk as row_width / gather_lanes "
            "independent parts, which the Concentration joins: shorter paths for the clock "
            "(shallower prefix count and butterfly); the same queue and beats, so the same "
            "cycles when ca_issue_width > 1 (with 1, the Concentration's placement and merge "
            "registers come in: a few cycles more per layer)",
            &Config::gather_lanes},
    KeySpec{"lookahead_depth", kOpt, 4, 0, 8, false,
            "concentration look-ahead: later gathered vectors of the same target that may refill "
            "holes",
            &Config::lookahead_depth},
    KeySpec{"lookaside_distance", kOpt, 1, 0, 8, false,
            "concentration look-aside: neighbouring target queues that may refill holes",
            &Config::lookaside_distance},
    KeySpec{"adder_pipeline_stages", kOpt, 1, 0, 9, false,
            "pipeline registers inside each CA adder tree", &Config::adder_pipeline_stages},
    KeySpec{"macs_per_row", kOpt, 9, 1, 4096, false, "multipliers of each row's MAC part",
            &Config::macs_per_row},
    KeySpec{"mult_bits", kOpt, 16, 1, 31, false,
            "width of the requantisation multiplier M (unsigned)", &Config::mult_bits},
    KeySpec{"acc_bits", kOpt, 0, 0, 64, false,
            "accumulator width; 0 = the minimum that holds every accepted layer exactly",
            &Config::acc_bits},
    KeySpec{"z_fifo_depth", kOpt, 4, 2, 1024, false,
            "depth (pixels) of the queue between a row's CA part and its MAC part",
            &Config::z_fifo_depth},
    KeySpec{"out_fifo_depth", kOpt, 4, 2, 1024, false, "depth of each row's output queue",
            &Config::out_fifo_depth},
    KeySpec{"weight_prefetch", kOpt, 0, 0, 1, false,
            "1: each row keeps a second (shadow) coefficient store and requantisation "
            "parameters, so the next output-channel group's weights load while the current "
            "group's pass runs, and passes overlap (the next group's input and CA work start "
            "while the current group's MAC units finish; costs max_c_in/row_width x max_d x 2 "
            "x row_width flops per row, plus 4 x (38 + mult_bits) + 3); 0: "
            "weights load between passes, which do not overlap",
            &Config::weight_prefetch},
    KeySpec{"weight_lanes", kOpt, 1, 1, 64, false,
            "rows whose per-row weight items (bias/M/S, a chunk's coefficients) share one "
            "weight beat: the beat is weight_lanes x wgt_lane_bits wide and a group loads in "
            "ceil(rows / weight_lanes) x (1 + chunks) beats; must divide rows_per_tile",
            &Config::weight_lanes},
};

const std::array kCrossRules = {
    CrossRule{"coef_bits",
              "must be 2 (ternary): wider coefficients need a multiplier per CA lane, which "
              "this generator does not build"},
    CrossRule{"max_d", "max_d <= max_k * max_k (more bases than taps are linearly dependent)"},
    CrossRule{"ca_lanes", "ca_lanes <= row_width"},
    CrossRule{"ca_issue_width", "ca_issue_width <= max_d"},
    CrossRule{"gather_lanes",
              "gather_lanes = 0 or a power of two with ca_lanes <= gather_lanes <= row_width"},
    CrossRule{"adder_pipeline_stages", "adder_pipeline_stages <= log2(ca_lanes) + 1"},
    CrossRule{"macs_per_row", "macs_per_row <= max_d * max_k * max_k"},
    CrossRule{"input_buffer_depth",
              "input_buffer_depth >= ceil(max_c_in / row_width): one pixel's chunks fit, so rows "
              "can drift apart by at least a pixel"},
    CrossRule{"weight_lanes", "weight_lanes divides rows_per_tile"},
    CrossRule{"acc_bits", "acc_bits = 0 or >= the derived minimum (max(conv_bits, 32) + 1)"},
    CrossRule{"mult_bits", "acc_bits + mult_bits <= 64 (requantisation product fits int64)"},
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
