// Magnitude pruning by a multiple of the layer's coefficient standard deviation (see prune.h).
#include "penni/prune.h"

#include <cmath>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen::penni {

PruneResult prune_by_std(Eigen::MatrixXd& coef, double factor) {
  if (!(factor >= 0.0) || !std::isfinite(factor))
    throw InternalError(fmt::format("penni::prune_by_std: factor {} must be >= 0", factor));
  PruneResult r;
  if (coef.size() == 0) return r;
  const double mean = coef.mean();
  r.std_dev = std::sqrt((coef.array() - mean).square().mean());
  r.threshold = factor * r.std_dev;
  for (Eigen::Index i = 0; i < coef.size(); ++i) {
    double& c = coef.data()[i];
    if (std::abs(c) < r.threshold) {
      c = 0.0;
      ++r.pruned;
    }
  }
  return r;
}

}  // namespace escgen::penni
