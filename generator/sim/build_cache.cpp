// cached_build: flock() + private temporary directory + rename() (see build_cache.h).
#include "sim/build_cache.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include "util/error.h"

namespace escgen {

namespace fs = std::filesystem;

namespace {

// An exclusive flock() held for the object's lifetime.
class FileLock {
 public:
  FileLock(const fs::path& file, const std::function<void()>& waiting) {
    fd_ = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
      throw InputError(
          fmt::format("{}: cannot open the lock file: {}", file.string(), std::strerror(errno)));
    if (flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
    if (waiting) waiting();
    while (flock(fd_, LOCK_EX) != 0)
      if (errno != EINTR) throw InternalError(fmt::format("{}: flock failed", file.string()));
  }
  ~FileLock() { close(fd_); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace

CachedBuild cached_build(const fs::path& root, const std::string& key,
                         const std::function<void(const fs::path&)>& build,
                         const std::function<void()>& waiting) {
  const fs::path dir = root / key;
  if (fs::is_directory(dir)) return {dir, false};
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec)
    throw InputError(
        fmt::format("{}: cannot create the cache directory: {}", root.string(), ec.message()));
  const FileLock lock(root / (key + ".lock"), waiting);
  if (fs::is_directory(dir)) return {dir, false};  // built while we waited
  std::string tmpl = (root / ("tmp." + key + ".XXXXXX")).string();
  if (!mkdtemp(tmpl.data()))
    throw InputError(fmt::format("{}: cannot create a temporary directory: {}", root.string(),
                                 std::strerror(errno)));
  const fs::path tmp(tmpl);
  try {
    build(tmp);
    if (rename(tmp.c_str(), dir.c_str()) != 0)
      throw InternalError(fmt::format("cannot rename {} to {}: {}", tmp.string(), dir.string(),
                                      std::strerror(errno)));
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  return {dir, true};
}

}  // namespace escgen
