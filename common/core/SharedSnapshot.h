#pragma once
// The current version of an immutable value, replaced whole by a writer while readers keep the
// version they took. A mutex around the shared_ptr rather than std::atomic<std::shared_ptr>:
// libstdc++ 12's atomic shared_ptr releases its internal lock with a relaxed operation, which
// ThreadSanitizer reports as a race on every swap; an uncontended lock costs a few nanoseconds
// per request and leaves nothing to suppress.
#include <memory>
#include <mutex>
#include <utility>

namespace pactmocks {

template <class T>
class SharedSnapshot {
 public:
  SharedSnapshot() = default;
  explicit SharedSnapshot(std::shared_ptr<const T> initial) : value_(std::move(initial)) {}

  std::shared_ptr<const T> load() const {
    std::lock_guard lock(mutex_);
    return value_;
  }
  void store(std::shared_ptr<const T> next) {
    std::shared_ptr<const T> previous;
    {
      std::lock_guard lock(mutex_);
      previous = std::exchange(value_, std::move(next));
    }
    // `previous` is released here, outside the lock: freeing a whole generation can take a while.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const T> value_;
};

}  // namespace pactmocks
