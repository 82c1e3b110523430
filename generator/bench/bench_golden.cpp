// Benchmark (not a test): the golden PENNI model (linear combination first, sparse
// coefficients) against the dense direct path (effective weights, every weight visited) on
// VGG16-CIFAR-like PENNI layers: 3x3, d = 5, ternary coefficients at 2% density, ~50% zero
// activations. Checks that both give the same output, prints both times and the speedup, and
// exits 1 if the golden model is not faster. Run through scripts/bench-golden.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/direct_conv.h"
#include "model/golden.h"
#include "model/random_layer.h"

namespace {

using Clock = std::chrono::steady_clock;

// Best-of time in milliseconds of `f`, repeated for at least `min_seconds` (at least 3 runs).
template <class F>
double best_ms(F&& f, double min_seconds) {
  double best = 1e300, total = 0;
  for (int runs = 0; runs < 3 || total < min_seconds; ++runs) {
    const auto t0 = Clock::now();
    f();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::min(best, s);
    total += s;
  }
  return best * 1e3;
}

}  // namespace

int main(int argc, char** argv) {
  double min_seconds = 1.0;
  double density = 0.02;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    if (arg == "--min-seconds" && a + 1 < argc)
      min_seconds = std::atof(argv[++a]);
    else if (arg == "--density" && a + 1 < argc)
      density = std::atof(argv[++a]);
    else {
      std::cerr << "usage: bench_golden [--min-seconds S] [--density D]\n";
      return 2;
    }
  }
  struct Shape {
    const char* name;
    int c, hw;
  };
  const Shape shapes[] = {{"conv 64ch 32x32", 64, 32},
                          {"conv 128ch 16x16", 128, 16},
                          {"conv 256ch 8x8", 256, 8},
                          {"conv 512ch 4x4", 512, 4}};
  std::cout << fmt::format(
      "golden model vs dense direct path: 3x3, pad 1, d 5, ternary coefficients at {:.0f}% "
      "density, ~50% zero activations (best of >= {} s each)\n",
      density * 100, min_seconds);
  std::cout << fmt::format("{:<18} {:>14} {:>12} {:>12} {:>9}\n", "layer", "nnz coef", "golden ms",
                           "dense ms", "speedup");
  bool all_faster = true;
  uint64_t seed = 1;
  for (const Shape& s : shapes) {
    escgen::RandomLayerSpec spec;
    spec.c_in = spec.c_out = s.c;
    spec.h = spec.w = s.hw;
    spec.k = 3, spec.pad = 1, spec.stride = 1, spec.d = 5;
    spec.density = density;
    spec.act_zero = 0.5;
    const escgen::RandomLayer r = escgen::random_layer(spec, seed++);
    const auto nnz =
        std::count_if(r.layer.coef.begin(), r.layer.coef.end(), [](int8_t c) { return c != 0; });
    std::vector<int64_t> g, d;
    const double tg = best_ms([&] { g = escgen::golden_output(r.layer, r.x); }, min_seconds);
    const double td = best_ms([&] { d = escgen::direct_output(r.layer, r.x); }, min_seconds);
    if (g != d) {
      std::cerr << fmt::format("bench_golden: {}: golden and dense outputs differ\n", s.name);
      return 1;
    }
    all_faster = all_faster && tg < td;
    std::cout << fmt::format("{:<18} {:>6}/{:<7} {:>12.3f} {:>12.3f} {:>8.1f}x\n", s.name, nnz,
                             r.layer.coef.size(), tg, td, td / tg);
  }
  if (!all_faster) {
    std::cerr << "bench_golden: the golden (PENNI) path is not faster than the dense path\n";
    return 1;
  }
  return 0;
}
