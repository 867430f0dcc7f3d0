#pragma once
// An EventLoop running on a background thread for the lifetime of this object: what tests use
// to drive loop-based code (servers, watchers, timers) from the test's own thread.
#include <thread>

#include "http/EventLoop.h"

namespace pactmocks::testsupport {

class EventLoopThread {
 public:
  // Runs `loop` (owned by the caller; register handlers such as onTerminate before this).
  explicit EventLoopThread(http::EventLoop& loop);
  // Stops the loop and joins the thread.
  ~EventLoopThread();
  EventLoopThread(const EventLoopThread&) = delete;
  EventLoopThread& operator=(const EventLoopThread&) = delete;

  http::EventLoop& loop() { return loop_; }

 private:
  http::EventLoop& loop_;
  std::thread thread_;
};

}  // namespace pactmocks::testsupport
