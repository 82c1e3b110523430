// Argument parsing and error-to-exit-status mapping for escgen (see cli.h).
#include "cli/cli.h"

#include <CLI/CLI.hpp>

#include "util/error.h"

namespace escgen::cli {

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"escgen: generator, golden model and flows for the ESCALATE sparse-CNN accelerator"};
  app.name("escgen");
  app.require_subcommand(1);
  Context ctx{out, err};
  add_generate(app, ctx);
  add_block(app, ctx);
  add_docs(app, ctx);
  add_golden(app, ctx);
  add_layer(app, ctx);
  add_penni(app, ctx);
  add_perf(app, ctx);
  add_sim(app, ctx);
  add_stimulus(app, ctx);
  add_synth(app, ctx);
  try {
    app.parse(argc, argv);
    return 0;
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? 0 : 2;
  } catch (const InputError& e) {
    err << "escgen: error: " << e.what() << "\n";
    return 2;
  } catch (const InternalError& e) {
    err << "escgen: internal error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << "escgen: internal error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace escgen::cli
