// Timer and FdWatch handles may outlive their EventLoop: cancelling or destroying them then is a
// no-op. Before, it posted to (and destroyed Asio objects of) a freed io_context: undefined
// behaviour that AddressSanitizer reports as a heap-use-after-free.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <optional>

#include "http/EventLoop.h"

using namespace pactmocks::http;
using namespace std::chrono_literals;

TEST_CASE("a timer cancelled and destroyed after its loop is gone never fires and is harmless", "[http][lifetime]") {
  std::atomic<int> calls{0};
  std::optional<EventLoop::Timer> timer, untouched;
  {
    EventLoop loop(1);
    timer = loop.after(10ms, [&] { ++calls; });
    untouched = loop.after(10ms, [&] { ++calls; });
  }
  timer->cancel();
  timer.reset();
  untouched.reset();
  CHECK(calls == 0);
}

TEST_CASE("an fd watch destroyed after its loop is gone leaves the fd open and is harmless", "[http][lifetime]") {
  int fds[2];
  REQUIRE(::pipe2(fds, O_NONBLOCK) == 0);
  std::atomic<int> calls{0};
  std::optional<EventLoop::FdWatch> watch;
  {
    EventLoop loop(1);
    watch = loop.watchReadable(fds[0], [&] { ++calls; });
  }
  REQUIRE(::write(fds[1], "x", 1) == 1);
  watch.reset();
  CHECK(calls == 0);
  char byte = 0;
  CHECK(::read(fds[0], &byte, 1) == 1);  // still ours: the watch never closed it
  ::close(fds[0]);
  ::close(fds[1]);
}
