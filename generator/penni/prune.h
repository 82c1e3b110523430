// Magnitude pruning of PENNI coefficients, per layer, as the PENNI reference code does: every
// coefficient with |c| < factor * std(c) becomes zero, std being the population standard deviation
// (numpy's np.std, ddof = 0) of all the layer's coefficients before pruning.
#pragma once

#include <cstddef>

#include <Eigen/Dense>

namespace escgen::penni {

struct PruneResult {
  double std_dev = 0.0;    // population std of the coefficients before pruning
  double threshold = 0.0;  // factor * std_dev
  size_t pruned = 0;       // coefficients with |c| < threshold (all zero after the call)
};

// Zeros, in place, every coefficient with |c| < factor * std(coef). factor >= 0 (0 prunes none).
PruneResult prune_by_std(Eigen::MatrixXd& coef, double factor);

}  // namespace escgen::penni
