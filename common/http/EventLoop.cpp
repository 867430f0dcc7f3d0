#include "http/EventLoop.h"
#include <stdexcept>
namespace pactmocks::http {
struct EventLoop::Impl {};
struct EventLoop::Timer::Impl {};
struct EventLoop::FdWatch::Impl {};
EventLoop::EventLoop(unsigned) : impl_(std::make_unique<Impl>()) {}
EventLoop::~EventLoop() = default;
void EventLoop::run() { throw std::logic_error("EventLoop: not implemented yet"); }
void EventLoop::stop() {}
unsigned EventLoop::threads() const { return 1; }
void EventLoop::post(std::function<void()>) { throw std::logic_error("EventLoop: not implemented yet"); }
EventLoop::Timer::~Timer() = default;
EventLoop::Timer::Timer(Timer&&) noexcept = default;
EventLoop::Timer& EventLoop::Timer::operator=(Timer&&) noexcept = default;
void EventLoop::Timer::cancel() {}
EventLoop::Timer EventLoop::after(std::chrono::milliseconds, std::function<void()>) { return {}; }
EventLoop::FdWatch::~FdWatch() = default;
EventLoop::FdWatch::FdWatch(FdWatch&&) noexcept = default;
EventLoop::FdWatch& EventLoop::FdWatch::operator=(FdWatch&&) noexcept = default;
EventLoop::FdWatch EventLoop::watchReadable(int, std::function<void()>) { return {}; }
void EventLoop::onTerminate(std::function<void(int)>) {}
unsigned usableCpuCount() { return 1; }
}  // namespace pactmocks::http
