// Output-channel assignment: which output channel each row of each group computes. `linear` is
// the identity (group g, row r computes channel g*rows + r); `balanced` sorts the channels by
// their non-zero coefficient count (the CA work of a row) and deals them out in that order, so
// each group's rows carry similar work (a group takes as long as its slowest row) and the
// heaviest channels share groups. The stimulus, the performance model and the output decoder all
// see the layer with its channels permuted (permute_layer); outputs are un-permuted afterwards
// (unpermute_output), so the result is the layer's own, bit for bit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/layer.h"

namespace escgen {

enum class ChannelAssign { Linear, Balanced };

// "linear" / "balanced"; InputError naming `option` otherwise.
ChannelAssign parse_channel_assign(const std::string& name, const std::string& option);
const char* to_string(ChannelAssign a);

// The assignment: perm[s] = the layer's output channel at slot s (slot s = group s / rows, row
// s % rows), a permutation of 0 .. c_out - 1. Deterministic (ties keep channel order).
std::vector<int> assign_channels(const Config& c, const Layer& l, ChannelAssign a);

// Non-zero coefficients of output channel o (the work metric of `balanced`).
int64_t channel_work(const Layer& l, int o);
// Sum over groups of the largest channel_work of a row of the group (what balancing minimises).
int64_t max_row_work(const Config& c, const Layer& l, const std::vector<int>& perm);

// The layer with channel perm[s] at position s (coef, bias, scale, shift).
Layer permute_layer(const Layer& l, const std::vector<int>& perm);
// y_perm (c_out, pixels) of the permuted layer -> y of the original layer.
std::vector<int64_t> unpermute_output(const std::vector<int64_t>& y_perm,
                                      const std::vector<int>& perm, int64_t pixels);

}  // namespace escgen
