#pragma once
// Watches a pact directory with inotify on the event loop (no thread of its own, no polling).
//
// The kubelet updates a ConfigMap volume by writing a new timestamped directory and renaming
// `..data` over the old link (IN_MOVED_TO `..data`); plain directories see IN_CLOSE_WRITE,
// IN_CREATE, IN_DELETE, IN_ATTRIB. Watching the directory, not the files, is what survives
// both. Any event arms one debounce timer, so a burst becomes one callback (a continuous stream
// still gets one every 2 s). IN_Q_OVERFLOW counts as a change. When the directory does not exist
// (an optional volume), its nearest existing ancestor is watched until it appears; when the
// directory itself goes away the watch falls back the same way. A periodic callback is the
// safety net for anything inotify misses (inotify unavailable, exotic filesystems).
//
// Callbacks run on a loop thread and must not block: they hand the work to a worker. stop() is
// safe from any thread, also from inside the callback; it waits for a callback running on
// another thread, so once it returns the callback is not running and never will be again.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "http/EventLoop.h"

namespace pactmocks::pactdir {

class DirectoryWatcher {
 public:
  enum class Reason { Changed, Periodic };
  struct Timing {
    std::chrono::milliseconds debounce{200};         // quiet time after an event before the callback
    std::chrono::milliseconds rescanInterval{60'000};  // period of the safety-net callback
  };
  using Callback = std::function<void(Reason)>;

  // `loop` must outlive the watcher.
  DirectoryWatcher(http::EventLoop& loop, std::string directory, Timing timing, Callback onChange);
  ~DirectoryWatcher();  // stop()
  DirectoryWatcher(const DirectoryWatcher&) = delete;
  DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

  // Watches from now on. Without inotify (limits reached) it logs an error and relies on the
  // periodic callback.
  void start();
  void stop();

  // What is watched right now (for logs and tests): the directory itself or an ancestor; empty
  // when nothing can be watched.
  std::string watchedPath() const;

 private:
  // Shared with the loop's handlers, which hold it weakly: a handler that fires after the
  // watcher is gone finds nothing, and one that is running keeps the state alive to its end.
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace pactmocks::pactdir
