#include "http/Shutdown.h"

#include <atomic>
#include <csignal>
#include <memory>

#include <spdlog/spdlog.h>

namespace pactmocks::http {

void runUntilTerminated(EventLoop& loop, ShutdownPlan plan) {
  loop.onTerminate([&loop, &plan](int signal) {
    spdlog::info("received {}, shutting down (in-flight requests get up to {} ms)",
                 signal == SIGTERM ? "SIGTERM" : "SIGINT", plan.drain.count());
    // One count per listener, one for the hook: the last to finish lets the loop run out.
    auto pending = std::make_shared<std::atomic<std::size_t>>(plan.servers.size() + plan.tlsServers.size() + 1);
    auto finished = [&loop, pending] {
      if (pending->fetch_sub(1) == 1) loop.endWhenIdle();
    };
    for (HttpServer* server : plan.servers) server->stop(plan.drain, finished);
    for (TlsServer* server : plan.tlsServers) server->stop(plan.drain, finished);
    if (plan.stopping) plan.stopping();
    finished();
  });
  loop.run();
}

void runUntilTerminated(EventLoop& loop, HttpServer& server, std::chrono::milliseconds drain) {
  ShutdownPlan plan;
  plan.servers = {&server};
  plan.drain = drain;
  runUntilTerminated(loop, std::move(plan));
}

}  // namespace pactmocks::http
