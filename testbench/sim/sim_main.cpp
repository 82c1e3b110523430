// escgen_sim_model STIMDIR [options]: the Verilated accelerator top driven by the simulation
// driver (driver.h). Built by `escgen sim` with `verilator --cc --exe --build` (optionally
// --trace-fst for --trace); exit 0 done, 1 the accelerator failed, 2 bad usage or files.
#include <chrono>
#include <cstdio>
#include <memory>

#include <verilated.h>

#include "Vescgen_accelerator.h"
#include "driver.h"
#include "sim_report.h"
#if VM_TRACE_FST
#include <verilated_fst_c.h>
#endif

using namespace escgen::sim;

int main(int argc, char** argv) {
  SimOptions opt;
  try {
    if (!parse_options(argc, argv, opt)) {
      std::fputs(usage_text(), stdout);
      return 0;
    }
    const StimFiles stim = read_stim_dir(opt.stim_dir);
    if (stim.out_bits <= 0) throw UsageError(opt.stim_dir + "/meta.txt: out_bits: must be > 0");
    auto context = std::make_unique<VerilatedContext>();
    context->commandArgs(argc, argv);
    auto model = std::make_unique<Vescgen_accelerator>(context.get(), "escgen_accelerator");
    std::function<void(uint64_t)> on_eval;
#if VM_TRACE_FST
    std::unique_ptr<VerilatedFstC> fst;
    if (!opt.trace_file.empty()) {
      context->traceEverOn(true);
      fst = std::make_unique<VerilatedFstC>();
      model->trace(fst.get(), 99);
      fst->open(opt.trace_file.c_str());
      on_eval = [&fst](uint64_t t) { fst->dump(t); };
    }
#else
    if (!opt.trace_file.empty())
      throw UsageError("--trace: this simulator was built without --trace-fst");
#endif
    const auto t0 = std::chrono::steady_clock::now();
    Driver<Vescgen_accelerator> driver(*model, stim, opt, on_eval);
    SimResult r;
    try {
      r = driver.run();
    } catch (...) {
#if VM_TRACE_FST
      if (fst) fst->close();
#endif
      throw;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    model->final();
#if VM_TRACE_FST
    if (fst) fst->close();
#endif
    write_out_hex(opt.out_file, r.out);
    write_stats(opt.stats_file, r, {&stim, &opt, seconds});
    if (!opt.quiet)
      std::printf(
          "escgen_sim_model: done in %llu cycles (CYCLES %u), %zu wgt / %zu act / %zu out "
          "beats, %.0f cycles/s\n",
          static_cast<unsigned long long>(r.cycles), r.counters.empty() ? 0u : r.counters[0].second,
          stim.wgt.count, stim.act.count, r.out.count,
          seconds > 0 ? static_cast<double>(r.total_cycles) / seconds : 0.0);
    return 0;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "escgen_sim_model: error: %s\n%s", e.what(),
                 opt.stim_dir.empty() ? usage_text() : "");
    return 2;
  } catch (const SimFailure& e) {
    std::fprintf(stderr, "escgen_sim_model: failed: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "escgen_sim_model: internal error: %s\n", e.what());
    return 1;
  }
}
