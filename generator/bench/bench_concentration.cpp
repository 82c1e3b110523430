// Benchmark (not a test): adder-lane utilisation of Concentration against the ideal (matched
// elements / lanes) for match densities 5..90%, look-ahead 0..8 and look-aside 0..1, on random
// gathered-vector streams of a row (d bases x chunks per pixel). Prints a Markdown table.
// Usage: bench_concentration [--row-width N] [--lanes L] [--chunks C] [--d D] [--pixels P]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "perf/concentration.h"

namespace {

int arg(int argc, char** argv, const char* name, int def) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return std::atoi(argv[i + 1]);
  return def;
}

}  // namespace

int main(int argc, char** argv) {
  const int row_width = arg(argc, argv, "--row-width", 16);
  const int lanes = arg(argc, argv, "--lanes", 8);
  const int chunks = arg(argc, argv, "--chunks", 16);
  const int d = arg(argc, argv, "--d", 5);
  const int pixels = arg(argc, argv, "--pixels", 512);
  fmt::print(
      "Concentration lane utilisation (elements / (cycles x lanes)); row_width {}, "
      "ca_lanes {}, {} chunks x {} bases per pixel, {} pixels, seed 1\n\n",
      row_width, lanes, chunks, d, pixels);
  fmt::print("| match density | look-ahead | look-aside 0 | look-aside 1 |\n");
  fmt::print("|---|---|---|---|\n");
  for (int density : {5, 25, 50, 90}) {
    // The same stream for every setting: per target (pixel, basis), per chunk, a binomial
    // count of matched lanes (each lane matched with probability density %).
    std::mt19937_64 rng(1);
    std::vector<std::vector<int>> targets(static_cast<size_t>(pixels * d));
    for (auto& t : targets) {
      t.resize(static_cast<size_t>(chunks));
      for (int& m : t) {
        m = 0;
        for (int lane = 0; lane < row_width; ++lane) m += static_cast<int>(rng() % 100) < density;
      }
    }
    for (int ahead : {0, 1, 2, 4, 8}) {
      std::string row = fmt::format("| {}% | {} |", density, ahead);
      for (int aside = 0; aside <= 1; ++aside) {
        const auto s = escgen::perf::simulate_concentration(targets, {lanes, ahead, aside});
        row += fmt::format(" {:.1f}% |", 100.0 * s.utilisation());
      }
      fmt::print("{}\n", row);
    }
  }
  return 0;
}
