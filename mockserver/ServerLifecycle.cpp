#include "mockserver/ServerLifecycle.h"

#include <functional>
#include <optional>

namespace pactmocks::mockserver {

void runUntilTerminated(http::EventLoop& loop, http::HttpServer& server, std::chrono::milliseconds drain,
                        std::function<void(std::chrono::milliseconds)> alsoStop) {
  // optional: EventLoop::Timer's inline default constructor needs its Impl outside common/http.
  std::optional<http::EventLoop::Timer> check;
  std::function<void()> stopWhenIdle;
  std::chrono::steady_clock::time_point deadline;
  stopWhenIdle = [&] {
    if (server.connectionCount() == 0 || std::chrono::steady_clock::now() >= deadline) {
      loop.stop();
      return;
    }
    check = loop.after(std::chrono::milliseconds(20), stopWhenIdle);
  };
  loop.onTerminate([&](int) {
    deadline = std::chrono::steady_clock::now() + drain;
    server.stop(drain);
    if (alsoStop) alsoStop(drain);
    check = loop.after(std::chrono::milliseconds(20), stopWhenIdle);
  });
  loop.run();
}

}  // namespace pactmocks::mockserver
