// The escgen command line: a thin layer over the library. run() parses the arguments, runs one
// subcommand and maps errors to the contract's exit statuses (0 ok, 2 bad input, 1 internal).
#pragma once

#include <ostream>

namespace CLI {
class App;
}

namespace escgen::cli {

struct Context {
  std::ostream& out;
  std::ostream& err;
};

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// One function per subcommand, each in its own file (cmd_*.cpp).
void add_generate(CLI::App& app, Context& ctx);
void add_block(CLI::App& app, Context& ctx);
void add_docs(CLI::App& app, Context& ctx);
void add_golden(CLI::App& app, Context& ctx);
void add_layer(CLI::App& app, Context& ctx);
void add_penni(CLI::App& app, Context& ctx);
void add_perf(CLI::App& app, Context& ctx);
void add_sim(CLI::App& app, Context& ctx);
void add_stimulus(CLI::App& app, Context& ctx);
void add_synth(CLI::App& app, Context& ctx);

}  // namespace escgen::cli
