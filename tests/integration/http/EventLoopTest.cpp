#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <future>
#include <thread>

#include "EventLoopThread.h"
#include "http/EventLoop.h"

using namespace pactmocks::http;
using namespace std::chrono_literals;
using Running = pactmocks::testsupport::EventLoopThread;

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
  // The loop has handled that write's readiness once a sentinel pipe written after it was seen
  // and a task posted from the sentinel's callback ran: it queues behind every callback of the
  // same wake-up. A watch still registered would have counted the write by then.
  int sentinel[2];
  REQUIRE(::pipe2(sentinel, O_NONBLOCK | O_CLOEXEC) == 0);
  std::promise<void> handled;
  std::atomic<bool> sentinelSeen{false};
  auto sentinelWatch = loop.watchReadable(sentinel[0], [&] {
    char buf[8];
    while (::read(sentinel[0], buf, sizeof buf) > 0) {
    }
    if (!sentinelSeen.exchange(true)) loop.post([&] { handled.set_value(); });
  });
  REQUIRE(::write(sentinel[1], "s", 1) == 1);
  REQUIRE(handled.get_future().wait_for(5s) == std::future_status::ready);
  CHECK(readable == before);
  { auto gone = std::move(sentinelWatch); }
  ::close(sentinel[0]);
  ::close(sentinel[1]);
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
  // No wait for the loop to be running: the signal is caught from onTerminate on and handled
  // once the loop runs.
  ::kill(::getpid(), SIGTERM);
  auto f = got.get_future();
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  CHECK(f.get() == SIGTERM);
}
