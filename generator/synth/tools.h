// Running the external synthesis tools: finding a program on PATH, shell quoting, running a
// shell command (exit status, wall time) and capturing a short command's output.
#pragma once

#include <optional>
#include <string>

namespace escgen::synth {

// The program's path: `name` itself when it contains a '/', else the first executable PATH
// entry; nullopt when there is none.
std::optional<std::string> find_program(const std::string& name);

std::string shell_quote(const std::string& s);

struct CommandResult {
  int status;      // exit status, or 128 + signal
  double seconds;  // wall time
};

// Runs `command` with /bin/sh (std::system).
CommandResult run_command(const std::string& command);

// stdout and stderr of `command`, trimmed; empty when it could not run.
std::string capture_output(const std::string& command);

}  // namespace escgen::synth
