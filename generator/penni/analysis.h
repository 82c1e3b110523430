// What a compressed layer costs and what PENNI's model shrinking would remove, read off the layer
// itself (its quantised coefficients): dense vs PENNI operation counts, and the input channels,
// output channels and bases that no non-zero coefficient uses.
#pragma once

#include <cstdint>
#include <vector>

#include "model/layer.h"

namespace escgen::penni {

struct WorkCounts {
  uint64_t dense_macs = 0;    // c_out * c_in * k*k * h_out * w_out
  uint64_t coef_nonzero = 0;  // nnz(C)
  uint64_t ca_additions = 0;  // nnz(C) * h * w: one add/subtract per non-zero ternary coefficient
                              // and input pixel (coefficient accumulation)
  uint64_t penni_macs = 0;    // c_out * d * k*k * h_out * w_out (basis convolutions)
  uint64_t penni_macs_shrunk = 0;  // the same with the removable outputs and unused bases gone
};

struct Shrinkable {
  std::vector<int> inputs;   // input channels i with C[o][i][j] = 0 for every o, j
  std::vector<int> outputs;  // output channels o with C[o][i][j] = 0 for every i, j (their output
                             // is the constant requant(bias[o]), foldable into the next layer)
  std::vector<int> bases;    // bases j with C[o][i][j] = 0 for every o, i
};

Shrinkable shrinkable(const Layer& l);
WorkCounts work_counts(const Layer& l);

}  // namespace escgen::penni
