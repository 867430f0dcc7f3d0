#include "ConfigMapWatcher.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>

namespace pactmocks::manager {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kDirectoryMask = IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_MOVED_FROM |
                                         IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW | IN_ONLYDIR;
// Watching an ancestor: only whether something (our directory, or a step towards it) appears.
constexpr std::uint32_t kAncestorMask = IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

// A continuous stream of events must not postpone the rescan for ever.
constexpr auto kMaxDebounceDelay = std::chrono::seconds(2);

}  // namespace

ConfigMapWatcher::ConfigMapWatcher(http::EventLoop& loop, std::string directory, std::chrono::milliseconds debounce,
                                   std::chrono::milliseconds rescanInterval, std::function<void(Reason)> onRescan)
    : loop_(loop),
      directory_(std::move(directory)),
      debounce_(debounce),
      rescanInterval_(rescanInterval),
      onRescan_(std::move(onRescan)) {}

ConfigMapWatcher::~ConfigMapWatcher() {
  stop();
  if (fd_ >= 0) ::close(fd_);
}

void ConfigMapWatcher::start() {
  std::lock_guard lock(mutex_);
  schedulePeriodic();
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) {
    // E.g. fs.inotify.max_user_instances reached: still correct, only slower to notice changes.
    spdlog::error("inotify unavailable ({}); relying on the periodic rescan every {} s", std::strerror(errno),
                  rescanInterval_.count() / 1000.0);
    return;
  }
  arm();
  fdWatch_.emplace(loop_.watchReadable(fd_, [this] { onReadable(); }));
}

void ConfigMapWatcher::stop() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
  fdWatch_.reset();
  debounceTimer_.reset();
  periodicTimer_.reset();
}

std::string ConfigMapWatcher::watchedPath() const {
  std::lock_guard lock(mutex_);
  return watchedPath_;
}

void ConfigMapWatcher::arm() {
  if (fd_ < 0) return;
  if (wd_ >= 0) {
    ::inotify_rm_watch(fd_, wd_);
    wd_ = -1;
  }
  // The directory itself, else the nearest existing ancestor.
  fs::path candidate(directory_);
  bool isTarget = true;
  for (;;) {
    int wd = ::inotify_add_watch(fd_, candidate.c_str(), isTarget ? kDirectoryMask : kAncestorMask);
    if (wd >= 0) {
      wd_ = wd;
      break;
    }
    if (errno != ENOENT && errno != ENOTDIR && errno != EACCES) {
      // E.g. fs.inotify.max_user_watches reached: the periodic rescan still catches up.
      spdlog::error("cannot watch {}: {}; relying on the periodic rescan", candidate.string(), std::strerror(errno));
      watchedPath_.clear();
      watchingDirectory_ = false;
      return;
    }
    if (!candidate.has_parent_path() || candidate.parent_path() == candidate) {
      spdlog::error("nothing to watch on the way to {}", directory_);
      watchedPath_.clear();
      watchingDirectory_ = false;
      return;
    }
    candidate = candidate.parent_path();
    isTarget = false;
  }
  if (watchedPath_ != candidate.string() || watchingDirectory_ != isTarget) {
    if (isTarget)
      spdlog::info("watching {}", directory_);
    else
      spdlog::info("{} does not exist (yet); watching {} until it appears", directory_, candidate.string());
  }
  watchedPath_ = candidate.string();
  watchingDirectory_ = isTarget;
}

void ConfigMapWatcher::onReadable() {
  std::lock_guard lock(mutex_);
  if (stopped_) return;
  alignas(inotify_event) char buffer[64 * (sizeof(inotify_event) + NAME_MAX + 1)];
  bool changed = false, rearm = false;
  for (;;) {
    ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) spdlog::warn("reading inotify events: {}", std::strerror(errno));
      break;
    }
    if (n == 0) break;
    for (char* p = buffer; p < buffer + n;) {
      auto* event = reinterpret_cast<inotify_event*>(p);
      p += sizeof(inotify_event) + event->len;
      std::string name = event->len ? std::string(event->name) : std::string();
      spdlog::trace("inotify wd={} mask={:#x} name={}", event->wd, event->mask, name);
      if (event->mask & IN_Q_OVERFLOW) {
        spdlog::warn("inotify queue overflow; rescanning {}", directory_);
        changed = rearm = true;
        continue;
      }
      if (event->wd != wd_) continue;  // a watch we already replaced
      if (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
        rearm = changed = true;
        continue;
      }
      if (!watchingDirectory_) {
        // Something appeared next to the path we wait for: maybe a step towards it.
        rearm = changed = true;
        continue;
      }
      changed = true;
    }
  }
  if (rearm) arm();
  if (changed) scheduleRescan();
}

void ConfigMapWatcher::scheduleRescan() {
  auto now = std::chrono::steady_clock::now();
  if (!rescanPending_) {
    rescanPending_ = true;
    firstPendingEvent_ = now;
  } else if (now - firstPendingEvent_ >= kMaxDebounceDelay) {
    return;  // the armed timer fires soon enough
  }
  debounceTimer_.emplace(loop_.after(debounce_, [this] {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) return;
      rescanPending_ = false;
    }
    onRescan_(Reason::Changed);
  }));
}

void ConfigMapWatcher::schedulePeriodic() {
  periodicTimer_.emplace(loop_.after(rescanInterval_, [this] {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) return;
      // The directory may have appeared without an event we could see (e.g. a mount).
      if (!watchingDirectory_) arm();
    }
    onRescan_(Reason::Periodic);
    std::lock_guard lock(mutex_);
    if (!stopped_) schedulePeriodic();
  }));
}

}  // namespace pactmocks::manager
