#pragma once
// Watches the ConfigMap mount directory with inotify on the event loop (no polling thread).
//
// The kubelet swaps `..data` atomically (IN_MOVED_TO `..data`), and plain directories see
// IN_CLOSE_WRITE/IN_CREATE/IN_DELETE: any event in the directory arms one debounce timer, so a
// burst becomes one rescan. IN_Q_OVERFLOW also triggers a rescan. When the directory does not
// exist (optional volume), its nearest existing ancestor is watched until it appears; when the
// directory itself goes away the watch falls back the same way. A periodic rescan is the
// safety net for anything inotify misses.
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "http/EventLoop.h"

namespace pactmocks::manager {

class ConfigMapWatcher {
 public:
  enum class Reason { Changed, Periodic };
  ConfigMapWatcher(http::EventLoop& loop, std::string directory, std::chrono::milliseconds debounce,
                   std::chrono::milliseconds rescanInterval, std::function<void(Reason)> onRescan);
  ~ConfigMapWatcher();
  ConfigMapWatcher(const ConfigMapWatcher&) = delete;
  ConfigMapWatcher& operator=(const ConfigMapWatcher&) = delete;

  // Without inotify (limits reached) it logs an error and relies on the periodic rescan.
  void start();
  void stop();

  // What is watched right now (for logs and tests): the directory itself or an ancestor.
  std::string watchedPath() const;

 private:
  void arm();  // (re)establish the watch; caller holds mutex_
  void onReadable();
  void scheduleRescan();  // caller holds mutex_
  void schedulePeriodic();

  http::EventLoop& loop_;
  std::string directory_;
  std::chrono::milliseconds debounce_, rescanInterval_;
  std::function<void(Reason)> onRescan_;

  mutable std::mutex mutex_;
  int fd_ = -1;
  int wd_ = -1;
  std::string watchedPath_;
  bool watchingDirectory_ = false;
  bool stopped_ = false;
  bool rescanPending_ = false;
  std::chrono::steady_clock::time_point firstPendingEvent_;
  // optional: the handles are only created by the loop (their default constructor is not usable here).
  std::optional<http::EventLoop::FdWatch> fdWatch_;
  std::optional<http::EventLoop::Timer> debounceTimer_, periodicTimer_;
};

}  // namespace pactmocks::manager
