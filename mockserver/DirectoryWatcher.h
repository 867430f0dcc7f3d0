#pragma once
// Change notification for a pact directory (inotify, non-recursive, on the directory itself).
// Watching the mount directory — not the files — is what survives the kubelet's ConfigMap
// updates (new timestamped directory + atomic rename of `..data`). A directory that does not
// exist yet is re-tried on every wait; callers also rescan periodically as a safety net.
#include <chrono>
#include <string>

namespace pactmocks::mockserver {

class DirectoryWatcher {
 public:
  explicit DirectoryWatcher(std::string dir);
  ~DirectoryWatcher();
  DirectoryWatcher(const DirectoryWatcher&) = delete;
  DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

  // Waits up to `timeout` for an event in the directory; after one, keeps draining until the
  // burst settles (debounce). True when something changed.
  bool wait(std::chrono::milliseconds timeout);
  bool watching() const { return wd_ >= 0; }

 private:
  void ensureWatch();
  bool drain();  // reads pending events; false when none

  std::string dir_;
  int fd_ = -1;
  int wd_ = -1;
};

}  // namespace pactmocks::mockserver
