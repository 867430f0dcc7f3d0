#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <future>
#include <thread>

#include "http/EventLoop.h"

using namespace pactmocks::http;
using namespace std::chrono_literals;

namespace {
// Runs the loop on a background thread for the scope.
struct Running {
  explicit Running(EventLoop& l) : loop(l), thread([this] { loop.run(); }) {}
  ~Running() {
    loop.stop();
    thread.join();
  }
  EventLoop& loop;
  std::thread thread;
};
}  // namespace

TEST_CASE("usable CPU count is positive and the loop sizes itself by it", "[http][loop]") {
  CHECK(usableCpuCount() >= 1);
  CHECK(EventLoop().threads() == usableCpuCount());
  CHECK(EventLoop(3).threads() == 3);
}

TEST_CASE("posted work and timers run on the loop", "[http][loop]") {
  EventLoop loop(2);
  Running running(loop);
  std::promise<std::thread::id> posted;
  loop.post([&] { posted.set_value(std::this_thread::get_id()); });
  auto id = posted.get_future();
  REQUIRE(id.wait_for(5s) == std::future_status::ready);
  CHECK(id.get() != std::this_thread::get_id());

  std::promise<void> fired;
  auto timer = loop.after(20ms, [&] { fired.set_value(); });
  CHECK(fired.get_future().wait_for(5s) == std::future_status::ready);
}

TEST_CASE("cancelled or destroyed timers never fire", "[http][loop]") {
  EventLoop loop(1);
  Running running(loop);
  std::atomic<int> calls{0};
  {
    auto destroyed = loop.after(50ms, [&] { ++calls; });
  }
  auto cancelled = loop.after(50ms, [&] { ++calls; });
  cancelled.cancel();
  // Re-assigning (a debounce) cancels the first one.
  auto debounced = loop.after(50ms, [&] { calls += 10; });
  debounced = loop.after(60ms, [&] { calls += 100; });
  std::promise<void> later;
  auto marker = loop.after(300ms, [&] { later.set_value(); });
  REQUIRE(later.get_future().wait_for(5s) == std::future_status::ready);
  CHECK(calls == 100);
}

TEST_CASE("fd watches report readability until destroyed, without closing the fd", "[http][loop]") {
  int fds[2];
  REQUIRE(::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
  EventLoop loop(1);
  Running running(loop);
  std::atomic<int> readable{0};
  std::promise<void> first;
  std::atomic<bool> signalled{false};
  auto watch = loop.watchReadable(fds[0], [&] {
    char buf[64];
    while (::read(fds[0], buf, sizeof buf) > 0) {
    }
    ++readable;
    if (!signalled.exchange(true)) first.set_value();
  });
  REQUIRE(::write(fds[1], "x", 1) == 1);
  REQUIRE(first.get_future().wait_for(5s) == std::future_status::ready);
  { auto gone = std::move(watch); }
  const int before = readable;
  REQUIRE(::write(fds[1], "y", 1) == 1);
  std::this_thread::sleep_for(100ms);
  CHECK(readable == before);
  // Still ours and open.
  char c = 0;
  CHECK(::read(fds[0], &c, 1) == 1);
  CHECK(c == 'y');
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST_CASE("SIGTERM reaches the terminate handler", "[http][loop]") {
  EventLoop loop(1);
  std::promise<int> got;
  loop.onTerminate([&](int signal) { got.set_value(signal); });
  Running running(loop);
  std::this_thread::sleep_for(20ms);
  ::kill(::getpid(), SIGTERM);
  auto f = got.get_future();
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  CHECK(f.get() == SIGTERM);
}
