// Running external programs (Verilator, the built simulator): find a program on PATH, capture a
// short command's output, or run a long one with its output in a log file while a callback
// reports progress.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace escgen {

// The full path of `name` on $PATH (or `name` itself when it contains a '/' and is executable).
std::optional<std::string> find_program(const std::string& name);

struct ProcessResult {
  int status = -1;     // exit status, or 128 + signal
  std::string output;  // stdout and stderr (capture_output only)
};

// Runs argv (argv[0] a path), stdout and stderr captured together.
ProcessResult capture_output(const std::vector<std::string>& argv);

// Runs argv with stdout and stderr appended to `log_file`, in `cwd` when not empty. Calls
// `progress(seconds)` about every `period` seconds while it runs. Returns the exit status.
int run_logged(const std::vector<std::string>& argv, const std::string& log_file,
               const std::string& cwd = "", const std::function<void(double)>& progress = {},
               double period = 15.0);

// The last `lines` lines of a text file (for error messages).
std::string tail_of_file(const std::string& file, int lines);

}  // namespace escgen
