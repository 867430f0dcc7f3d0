#pragma once
// Private to common/http: what EventLoop wraps, so HttpServer can run on the same io_context.
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "http/EventLoop.h"

namespace pactmocks::http {

// An I/O object owned by a handle (Timer, FdWatch) that may outlive its loop: the loop detaches
// it (destroys the Asio object while the io_context still exists) when it goes away first.
struct LoopBound {
  virtual ~LoopBound() = default;
  virtual void detach() = 0;
};

// The loop-bound objects still alive; detached all at once when the loop is destroyed.
class LoopBoundRegistry {
 public:
  void add(const std::shared_ptr<LoopBound>& object) {
    std::lock_guard lock(mutex_);
    if (objects_.size() >= 64 && objects_.size() == objects_.capacity())  // amortised pruning
      std::erase_if(objects_, [](const auto& weak) { return weak.expired(); });
    objects_.push_back(object);
  }
  void detachAll() {
    std::vector<std::weak_ptr<LoopBound>> objects;
    {
      std::lock_guard lock(mutex_);
      objects.swap(objects_);
    }
    for (auto& weak : objects)
      if (auto object = weak.lock()) object->detach();
  }

 private:
  std::mutex mutex_;
  std::vector<std::weak_ptr<LoopBound>> objects_;
};

struct EventLoop::Impl {
  explicit Impl(unsigned threadCount)
      : threads(threadCount), io(static_cast<int>(threadCount)), work(io.get_executor()) {}
  // Detach first: the handles' Asio objects must go before the io_context does.
  ~Impl() { bound.detachAll(); }

  unsigned threads;
  LoopBoundRegistry bound;  // declared before io: destroyed after it, but emptied in ~Impl
  boost::asio::io_context io;
  // Keeps an idle loop running until stop() or endWhenIdle().
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
  std::optional<boost::asio::signal_set> signals;
};

}  // namespace pactmocks::http
