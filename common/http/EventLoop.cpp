#include "http/EventLoop.h"

#include <sched.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "http/EventLoopImpl.h"

namespace pactmocks::http {

namespace asio = boost::asio;

unsigned usableCpuCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

EventLoop::EventLoop(unsigned threads) : impl_(std::make_unique<Impl>(threads == 0 ? usableCpuCount() : threads)) {}

EventLoop::~EventLoop() = default;

void EventLoop::run() {
  // No io.restart() here: a stop() that raced ahead of run() (another thread) must still count.
  std::vector<std::jthread> extra;
  extra.reserve(impl_->threads - 1);
  for (unsigned i = 1; i < impl_->threads; ++i) {
    extra.emplace_back([this] { impl_->io.run(); });
  }
  impl_->io.run();
  // jthreads join here; io.run() returns on every thread once stop() was called.
}

void EventLoop::stop() { impl_->io.stop(); }

void EventLoop::endWhenIdle() {
  // The guard is only ever touched on the loop (and by ~Impl, after the loop).
  asio::post(impl_->io, [impl = impl_.get()] { impl->work.reset(); });
}

unsigned EventLoop::threads() const { return impl_->threads; }

void EventLoop::post(std::function<void()> fn) { asio::post(impl_->io, std::move(fn)); }

// --- Timer ------------------------------------------------------------------------------------

struct EventLoop::Timer::Impl {
  struct State : LoopBound {
    explicit State(asio::io_context& io) : timer(std::in_place, io) {}
    std::mutex mutex;  // guards `timer` between the loop, the handle's owner and ~EventLoop
    std::optional<asio::steady_timer> timer;  // reset when the loop goes first
    // The flag, not the timer's cancel, is what guarantees "no call after cancel": a handler
    // may already be queued when cancel() runs.
    std::atomic<bool> cancelled{false};

    void detach() override {
      std::lock_guard lock(mutex);
      timer.reset();
    }
  };
  std::shared_ptr<State> state;
};

EventLoop::Timer::Timer() = default;
EventLoop::Timer::~Timer() { cancel(); }
EventLoop::Timer::Timer(Timer&&) noexcept = default;
EventLoop::Timer& EventLoop::Timer::operator=(Timer&& other) noexcept {
  if (this != &other) {
    cancel();
    impl_ = std::move(other.impl_);
  }
  return *this;
}

void EventLoop::Timer::cancel() {
  if (!impl_ || !impl_->state) return;
  auto state = std::move(impl_->state);
  state->cancelled = true;
  std::lock_guard lock(state->mutex);
  if (!state->timer) return;  // the loop is gone, and the timer with it
  // steady_timer is not safe to touch concurrently: cancel on its own executor.
  asio::post(state->timer->get_executor(), [state] {
    std::lock_guard inner(state->mutex);
    if (state->timer) state->timer->cancel();
  });
}

EventLoop::Timer EventLoop::after(std::chrono::milliseconds delay, std::function<void()> fn) {
  auto state = std::make_shared<Timer::Impl::State>(impl_->io);
  impl_->bound.add(state);
  state->timer->expires_after(delay);
  state->timer->async_wait([state, fn = std::move(fn)](const boost::system::error_code& ec) {
    if (ec || state->cancelled) return;
    fn();
  });
  Timer timer;
  timer.impl_ = std::make_unique<Timer::Impl>(Timer::Impl{std::move(state)});
  return timer;
}

// --- FdWatch ----------------------------------------------------------------------------------

struct EventLoop::FdWatch::Impl {
  struct State : LoopBound, std::enable_shared_from_this<State> {
    State(asio::io_context& io, int fd, std::function<void()> cb)
        : descriptor(std::in_place, io, fd), onReadable(std::move(cb)) {}
    std::mutex mutex;  // guards descriptor and stopped between the loop, the owner and ~EventLoop
    std::optional<asio::posix::stream_descriptor> descriptor;  // reset when the loop goes first
    std::function<void()> onReadable;
    bool stopped = false;

    void arm() {
      descriptor->async_wait(asio::posix::stream_descriptor::wait_read,
                             [self = shared_from_this()](const boost::system::error_code& ec) {
                               if (ec) return;
                               {
                                 std::lock_guard lock(self->mutex);
                                 if (self->stopped) return;
                               }
                               // Unlocked: the callback may destroy the FdWatch.
                               self->onReadable();
                               std::lock_guard lock(self->mutex);
                               if (!self->stopped) self->arm();
                             });
    }
    void stopLocked() {
      if (stopped) return;
      stopped = true;
      // release(): the caller owns the fd, so never let Asio close it; pending waits abort.
      descriptor->release();
    }
    void stop() {
      std::lock_guard lock(mutex);
      stopLocked();
    }
    void detach() override {
      std::lock_guard lock(mutex);
      if (!descriptor) return;
      stopLocked();
      descriptor.reset();
    }
  };
  std::shared_ptr<State> state;
};

EventLoop::FdWatch::FdWatch() = default;
EventLoop::FdWatch::~FdWatch() {
  if (impl_ && impl_->state) impl_->state->stop();
}
EventLoop::FdWatch::FdWatch(FdWatch&&) noexcept = default;
EventLoop::FdWatch& EventLoop::FdWatch::operator=(FdWatch&& other) noexcept {
  if (this != &other) {
    if (impl_ && impl_->state) impl_->state->stop();
    impl_ = std::move(other.impl_);
  }
  return *this;
}

EventLoop::FdWatch EventLoop::watchReadable(int fd, std::function<void()> onReadable) {
  auto state = std::make_shared<FdWatch::Impl::State>(impl_->io, fd, std::move(onReadable));
  impl_->bound.add(state);
  {
    std::lock_guard lock(state->mutex);
    state->arm();
  }
  FdWatch watch;
  watch.impl_ = std::make_unique<FdWatch::Impl>(FdWatch::Impl{std::move(state)});
  return watch;
}

// --- Signals ----------------------------------------------------------------------------------

void EventLoop::onTerminate(std::function<void(int)> fn) {
  if (!impl_->signals) impl_->signals.emplace(impl_->io, SIGTERM, SIGINT);
  impl_->signals->async_wait([fn = std::move(fn)](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("received signal {}", signal);
    fn(signal);
  });
}

}  // namespace pactmocks::http
