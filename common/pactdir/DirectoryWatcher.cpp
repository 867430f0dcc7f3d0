#include "pactdir/DirectoryWatcher.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

namespace pactmocks::pactdir {

namespace fs = std::filesystem;

namespace {

// IN_ATTRIB: a `touch` or chmod changes what the fingerprint of a plain directory sees.
// Symlinks are followed: a directory given as a symlink is watched through it.
constexpr std::uint32_t kDirectoryMask = IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_CLOSE_WRITE |
                                         IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
// Watching an ancestor: only whether something (our directory, or a step towards it) appears.
constexpr std::uint32_t kAncestorMask = IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

// A continuous stream of events must not postpone the callback for ever.
constexpr auto kMaxDebounceDelay = std::chrono::seconds(2);

}  // namespace

struct DirectoryWatcher::State : std::enable_shared_from_this<State> {
  State(http::EventLoop& l, std::string dir, Timing t, Callback cb)
      : loop(l), directory(std::move(dir)), timing(t), onChange(std::move(cb)) {}
  ~State() {
    if (fd >= 0) ::close(fd);
  }

  void start();
  void stop();
  void arm();  // (re)establish the watch; caller holds mutex
  void onReadable();
  void scheduleDebounced();  // caller holds mutex
  void schedulePeriodic();   // caller holds mutex
  void deliver(Reason reason);

  // A handler for the loop that holds the state weakly (see the header).
  template <class Fn>
  std::function<void()> handler(Fn fn) {
    return [weak = weak_from_this(), fn] {
      if (auto self = weak.lock()) fn(*self);
    };
  }

  http::EventLoop& loop;
  const std::string directory;
  const Timing timing;
  const Callback onChange;

  mutable std::mutex mutex;
  std::condition_variable idle;             // a callback returned
  std::vector<std::thread::id> inCallback;  // threads running onChange right now
  bool stopped = false;
  int fd = -1;
  int wd = -1;
  std::string watchedPath;
  bool watchingDirectory = false;
  bool debouncePending = false;
  std::chrono::steady_clock::time_point firstPendingEvent;
  // optional: the handles are only created by the loop (their default constructor is not usable here).
  std::optional<http::EventLoop::FdWatch> fdWatch;
  std::optional<http::EventLoop::Timer> debounceTimer, periodicTimer;
};

void DirectoryWatcher::State::start() {
  std::lock_guard lock(mutex);
  if (stopped || fd >= 0) return;
  schedulePeriodic();
  fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    // E.g. fs.inotify.max_user_instances reached: still correct, only slower to notice changes.
    spdlog::error("inotify unavailable ({}); relying on the periodic rescan every {} s", std::strerror(errno),
                  timing.rescanInterval.count() / 1000.0);
    return;
  }
  arm();
  fdWatch.emplace(loop.watchReadable(fd, handler([](State& s) { s.onReadable(); })));
}

void DirectoryWatcher::State::stop() {
  std::unique_lock lock(mutex);
  stopped = true;
  fdWatch.reset();
  debounceTimer.reset();
  periodicTimer.reset();
  // A callback on another thread may still be running: wait for it. One on this thread is the
  // caller itself (stop() from inside the callback) and must not be waited for.
  const auto self = std::this_thread::get_id();
  idle.wait(lock, [&] { return std::all_of(inCallback.begin(), inCallback.end(), [&](auto id) { return id == self; }); });
}

void DirectoryWatcher::State::arm() {
  if (fd < 0) return;
  if (wd >= 0) {
    ::inotify_rm_watch(fd, wd);
    wd = -1;
  }
  // The directory itself, else the nearest existing ancestor.
  fs::path candidate(directory);
  bool isTarget = true;
  for (;;) {
    int added = ::inotify_add_watch(fd, candidate.c_str(), isTarget ? kDirectoryMask : kAncestorMask);
    if (added >= 0) {
      wd = added;
      break;
    }
    if (errno != ENOENT && errno != ENOTDIR && errno != EACCES) {
      // E.g. fs.inotify.max_user_watches reached: the periodic rescan still catches up.
      spdlog::error("cannot watch {}: {}; relying on the periodic rescan", candidate.string(), std::strerror(errno));
      watchedPath.clear();
      watchingDirectory = false;
      return;
    }
    if (!candidate.has_parent_path() || candidate.parent_path() == candidate) {
      spdlog::error("nothing to watch on the way to {}", directory);
      watchedPath.clear();
      watchingDirectory = false;
      return;
    }
    candidate = candidate.parent_path();
    isTarget = false;
  }
  if (watchedPath != candidate.string() || watchingDirectory != isTarget) {
    if (isTarget)
      spdlog::info("watching {}", directory);
    else
      spdlog::info("{} does not exist (yet); watching {} until it appears", directory, candidate.string());
  }
  watchedPath = candidate.string();
  watchingDirectory = isTarget;
}

void DirectoryWatcher::State::onReadable() {
  std::lock_guard lock(mutex);
  if (stopped) return;
  alignas(inotify_event) char buffer[64 * (sizeof(inotify_event) + NAME_MAX + 1)];
  bool changed = false, rearm = false;
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) spdlog::warn("reading inotify events: {}", std::strerror(errno));
      break;
    }
    if (n == 0) break;
    for (char* p = buffer; p < buffer + n;) {
      auto* event = reinterpret_cast<inotify_event*>(p);
      p += sizeof(inotify_event) + event->len;
      spdlog::trace("inotify wd={} mask={:#x} name={}", event->wd, event->mask, event->len ? event->name : "");
      if (event->mask & IN_Q_OVERFLOW) {
        spdlog::warn("inotify queue overflow; rescanning {}", directory);
        changed = rearm = true;
        continue;
      }
      if (event->wd != wd) continue;  // a watch we already replaced
      // The directory itself went away or was replaced, or (watching an ancestor) something
      // appeared that may be a step towards it: watch again from the directory down.
      if ((event->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) || !watchingDirectory) rearm = true;
      changed = true;
    }
  }
  if (rearm) arm();
  if (changed) scheduleDebounced();
}

void DirectoryWatcher::State::scheduleDebounced() {
  auto now = std::chrono::steady_clock::now();
  if (!debouncePending) {
    debouncePending = true;
    firstPendingEvent = now;
  } else if (now - firstPendingEvent >= kMaxDebounceDelay) {
    return;  // the armed timer fires soon enough
  }
  debounceTimer.emplace(loop.after(timing.debounce, handler([](State& s) {
    {
      std::lock_guard lock(s.mutex);
      s.debouncePending = false;
    }
    s.deliver(Reason::Changed);
  })));
}

void DirectoryWatcher::State::schedulePeriodic() {
  periodicTimer.emplace(loop.after(timing.rescanInterval, handler([](State& s) {
    {
      std::lock_guard lock(s.mutex);
      if (s.stopped) return;
      // The directory may have appeared without an event we could see (e.g. a mount).
      if (!s.watchingDirectory) s.arm();
      s.schedulePeriodic();
    }
    s.deliver(Reason::Periodic);
  })));
}

void DirectoryWatcher::State::deliver(Reason reason) {
  {
    std::lock_guard lock(mutex);
    if (stopped) return;
    inCallback.push_back(std::this_thread::get_id());
  }
  // Unlocked: the callback may call stop(), and a slow one must not hold up inotify handling.
  onChange(reason);
  {
    std::lock_guard lock(mutex);
    inCallback.erase(std::find(inCallback.begin(), inCallback.end(), std::this_thread::get_id()));
  }
  idle.notify_all();  // the state is kept alive by the handler that called us
}

DirectoryWatcher::DirectoryWatcher(http::EventLoop& loop, std::string directory, Timing timing, Callback onChange)
    : state_(std::make_shared<State>(loop, std::move(directory), timing, std::move(onChange))) {}

DirectoryWatcher::~DirectoryWatcher() { stop(); }

void DirectoryWatcher::start() { state_->start(); }

void DirectoryWatcher::stop() { state_->stop(); }

std::string DirectoryWatcher::watchedPath() const {
  std::lock_guard lock(state_->mutex);
  return state_->watchedPath;
}

}  // namespace pactmocks::pactdir
