#pragma once
// The one way a server process ends, in the style of Asio's HTTP server examples: on SIGTERM or
// SIGINT every listener stops accepting, the caller's `stopping` hook runs (stop watchers, cancel
// broker calls), in-flight requests drain, and the loop ends by itself once nothing is left to
// do. No polling and no forced loop.stop(): a request still in flight gets its full answer.
#include <chrono>
#include <functional>
#include <vector>

#include "http/EventLoop.h"
#include "http/HttpServer.h"
#include "http/TlsServer.h"

namespace pactmocks::http {

struct ShutdownPlan {
  std::vector<HttpServer*> servers;   // on the loop
  std::vector<TlsServer*> tlsServers;  // on their own threads; the loop waits for their drain too
  // Longest wait for in-flight requests; connections still busy then are closed.
  std::chrono::milliseconds drain{3000};
  // Runs on a loop thread right after the listeners stop accepting; must not wait on the loop.
  std::function<void()> stopping;
};

// Runs `loop` (EventLoop::run) until a termination signal and the shutdown of `plan` are done.
void runUntilTerminated(EventLoop& loop, ShutdownPlan plan);
// The same for a process with one server and nothing else to stop.
void runUntilTerminated(EventLoop& loop, HttpServer& server, std::chrono::milliseconds drain = std::chrono::milliseconds(3000));

}  // namespace pactmocks::http
