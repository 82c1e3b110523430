// Process helpers on POSIX (fork/exec, pipes, waitpid; see process.h).
#include "util/process.h"

#include <chrono>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen {

std::optional<std::string> find_program(const std::string& name) {
  if (name.find('/') != std::string::npos)
    return access(name.c_str(), X_OK) == 0 ? std::optional(name) : std::nullopt;
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

static std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> v;
  for (const std::string& a : argv) v.push_back(const_cast<char*>(a.c_str()));
  v.push_back(nullptr);
  return v;
}

static int exit_status(int wstatus) {
  if (WIFEXITED(wstatus)) return WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) return 128 + WTERMSIG(wstatus);
  return -1;
}

ProcessResult capture_output(const std::vector<std::string>& argv) {
  int fds[2];
  if (pipe(fds) != 0) throw InternalError("pipe() failed");
  std::vector<char*> args = c_argv(argv);
  const pid_t pid = fork();
  if (pid < 0) throw InternalError("fork() failed");
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  ProcessResult r;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
    r.output.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  r.status = exit_status(wstatus);
  return r;
}

int run_logged(const std::vector<std::string>& argv, const std::string& log_file,
               const std::string& cwd, const std::function<void(double)>& progress, double period) {
  const int log = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw InputError(fmt::format("{}: cannot write", log_file));
  std::vector<char*> args = c_argv(argv);
  const pid_t pid = fork();
  if (pid < 0) {
    close(log);
    throw InternalError("fork() failed");
  }
  if (pid == 0) {
    dup2(log, 1);
    dup2(log, 2);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    execv(args[0], args.data());
    _exit(127);
  }
  close(log);
  const auto t0 = std::chrono::steady_clock::now();
  double next = period;
  int wstatus = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &wstatus, WNOHANG);
    if (done == pid) break;
    if (done < 0) throw InternalError("waitpid() failed");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (progress && s >= next) {
      progress(s);
      next += period;
    }
  }
  return exit_status(wstatus);
}

std::string tail_of_file(const std::string& file, int lines) {
  std::ifstream f(file);
  std::deque<std::string> last;
  std::string line;
  while (std::getline(f, line)) {
    last.push_back(line);
    if (static_cast<int>(last.size()) > lines) last.pop_front();
  }
  std::string s;
  for (const std::string& l : last) s += l + "\n";
  return s;
}

}  // namespace escgen
