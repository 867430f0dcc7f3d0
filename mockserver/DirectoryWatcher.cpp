#include "mockserver/DirectoryWatcher.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>

namespace pactmocks::mockserver {
namespace {
constexpr std::uint32_t kMask = IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE | IN_ATTRIB |
                                IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
constexpr auto kDebounce = std::chrono::milliseconds(100);
constexpr auto kMaxBurst = std::chrono::milliseconds(1000);
}  // namespace

DirectoryWatcher::DirectoryWatcher(std::string dir) : dir_(std::move(dir)) {
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  ensureWatch();
}

DirectoryWatcher::~DirectoryWatcher() {
  if (fd_ >= 0) ::close(fd_);
}

void DirectoryWatcher::ensureWatch() {
  if (fd_ < 0 || wd_ >= 0) return;
  wd_ = ::inotify_add_watch(fd_, dir_.c_str(), kMask);
}

bool DirectoryWatcher::drain() {
  alignas(inotify_event) char buffer[8192];
  bool any = false;
  for (;;) {
    ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n <= 0) break;
    any = true;
    for (char* p = buffer; p < buffer + n;) {
      auto* event = reinterpret_cast<inotify_event*>(p);
      // The directory itself went away (or was replaced): watch it again once it is back.
      if (event->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
        if (wd_ >= 0 && (event->mask & IN_IGNORED) == 0) ::inotify_rm_watch(fd_, wd_);
        wd_ = -1;
      }
      p += sizeof(inotify_event) + event->len;
    }
  }
  return any;
}

bool DirectoryWatcher::wait(std::chrono::milliseconds timeout) {
  ensureWatch();
  if (fd_ < 0 || wd_ < 0) {
    ::usleep(static_cast<useconds_t>(timeout.count() * 1000));
    ensureWatch();
    return false;
  }
  pollfd pfd{fd_, POLLIN, 0};
  if (::poll(&pfd, 1, static_cast<int>(timeout.count())) <= 0) return false;
  if (!drain()) return false;
  // Debounce: a kubelet update is a burst of events; wait until it has been quiet a moment.
  const auto burstEnd = std::chrono::steady_clock::now() + kMaxBurst;
  while (std::chrono::steady_clock::now() < burstEnd) {
    pfd.revents = 0;
    if (::poll(&pfd, 1, static_cast<int>(kDebounce.count())) <= 0) break;
    drain();
  }
  return true;
}

}  // namespace pactmocks::mockserver
