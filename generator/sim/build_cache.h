// A content-addressed build cache safe for concurrent users: ROOT/<key>/ appears complete or not
// at all. A missing entry is built into a private ROOT/tmp.<key>.XXXXXX directory under an
// exclusive flock() on ROOT/<key>.lock and renamed into place atomically; a second invocation
// waits on the lock, then reuses the entry. A failed build leaves nothing behind.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace escgen {

struct CachedBuild {
  std::filesystem::path dir;  // ROOT/<key>
  bool built = false;         // false: reused
};

// `build(tmp)` fills the private directory `tmp` (throws on failure). `waiting()` is called once
// when another process holds the lock.
CachedBuild cached_build(const std::filesystem::path& root, const std::string& key,
                         const std::function<void(const std::filesystem::path&)>& build,
                         const std::function<void()>& waiting = {});

}  // namespace escgen
