#pragma once
// A thread pool around one Asio io_context, so that code outside common/http can schedule
// timers, watch file descriptors (inotify) and handle signals without including Asio.
#include <chrono>
#include <functional>
#include <memory>

namespace pactmocks::http {

class EventLoop {
 public:
  // threads == 0: one per CPU this process may run on (sched_getaffinity).
  explicit EventLoop(unsigned threads = 0);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Runs the loop on `threads()` threads (the caller's included) until stop(), or until the
  // work runs out after endWhenIdle(). Stopping is final: run() after stop() (even a stop()
  // that came first) returns at once.
  void run();
  void stop();
  // Lets run() return by itself once nothing is pending any more (no connection, timer, watch
  // or posted function): the graceful end of a shutdown. Until then an idle loop keeps running.
  // Safe from any thread.
  void endWhenIdle();
  unsigned threads() const;

  void post(std::function<void()> fn);

  // A one-shot timer; destroying or cancelling the handle cancels it. Re-arming is done by
  // calling `after` again (a debounce keeps one handle and re-assigns it). The handle may
  // outlive its loop: cancelling or destroying it then does nothing.
  class Timer {
   public:
    Timer();  // out of line: Impl is incomplete here
    ~Timer();
    Timer(Timer&&) noexcept;
    Timer& operator=(Timer&&) noexcept;
    void cancel();
    struct Impl;

   private:
    friend class EventLoop;
    std::unique_ptr<Impl> impl_;
  };
  Timer after(std::chrono::milliseconds delay, std::function<void()> fn);

  // Calls `onReadable` whenever `fd` becomes readable, until the handle is destroyed. The fd
  // stays owned by the caller and must be non-blocking. The handle may outlive its loop.
  class FdWatch {
   public:
    FdWatch();
    ~FdWatch();
    FdWatch(FdWatch&&) noexcept;
    FdWatch& operator=(FdWatch&&) noexcept;
    struct Impl;

   private:
    friend class EventLoop;
    std::unique_ptr<Impl> impl_;
  };
  FdWatch watchReadable(int fd, std::function<void()> onReadable);

  // SIGTERM / SIGINT: calls `fn` once with the signal number (on a loop thread).
  void onTerminate(std::function<void(int)> fn);

  struct Impl;
  Impl& impl() { return *impl_; }  // for HttpServer

 private:
  std::unique_ptr<Impl> impl_;
};

// CPUs this process may run on (respects taskset / cgroup cpusets via affinity).
unsigned usableCpuCount();

}  // namespace pactmocks::http
