// Error types shared by the whole generator: InputError (bad user input, exit status 2) and
// InternalError (a failed self-check, exit status 1). Messages are one line and name the file and
// the field at fault, as the layer contract requires.
#pragma once

#include <stdexcept>
#include <string>

namespace escgen {

// Bad configuration, bad layer, bad command line: the CLI exits with status 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A check the tool makes of itself failed (e.g. RTL output differs from the golden model): status 1.
class InternalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace escgen
