#pragma once
// "Stop now" for blocking client calls, shared by the clients of one worker: cancel() (any
// thread) aborts every call in flight on the clients that use it, and every later call fails at
// once. Sticky: there is no un-cancel, it is meant for shutdown.
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>

namespace pactmocks::http {

class Cancellation {
 public:
  void cancel();
  bool cancelled() const;

  // `onCancel` runs on cancel() (at once when already cancelled), under this object's lock: it
  // must only hand the abort over (post it), never block. unsubscribe() waits for a running one.
  std::size_t subscribe(std::function<void()> onCancel);
  void unsubscribe(std::size_t id);

 private:
  mutable std::mutex mutex_;
  bool cancelled_ = false;
  std::size_t nextId_ = 0;
  std::map<std::size_t, std::function<void()>> subscribers_;
};

}  // namespace pactmocks::http
