// Helpers shared by the model tests: a temporary directory, reading and writing whole files, and
// running a script under Debian's /usr/bin/python3 with numpy (the test fails, never skips, when
// numpy is missing).
#pragma once

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace escgen::test {

struct ModelTempDir {
  std::filesystem::path path;
  ModelTempDir() {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("escgen_model_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~ModelTempDir() { std::filesystem::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct PythonResult {
  int status = -1;
  std::string output;  // stdout and stderr
};

// Runs `script` with /usr/bin/python3 (not the first python3 on PATH: Debian's has numpy).
inline PythonResult run_python(const std::string& script, const std::filesystem::path& dir) {
  const std::string file = (dir / "script.py").string();
  write_bytes(file, script);
  PythonResult r;
  FILE* p = popen(("/usr/bin/python3 " + file + " 2>&1").c_str(), "r");
  BOOST_TEST_REQUIRE(p != nullptr, "cannot run /usr/bin/python3");
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.output.append(buf, n);
  const int status = pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Fails the test (does not skip) when /usr/bin/python3 cannot import numpy.
inline void require_numpy(const std::filesystem::path& dir) {
  const PythonResult r = run_python("import numpy\nprint(numpy.__version__)\n", dir);
  BOOST_TEST_REQUIRE(r.status == 0,
                     "/usr/bin/python3 cannot import numpy (run scripts/setup, which installs "
                     "python3-numpy): "
                         << r.output);
}

}  // namespace escgen::test
