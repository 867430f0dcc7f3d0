#pragma once
// HTTP/1.1 server over Boost.Beast on an EventLoop: keep-alive, pipelining, limits and timeouts.
// Malformed request → 400; header section over the limit → 431; body over the limit → 413
// (connection closed after the error response). The handler runs on a loop thread and must
// not block for long: use Response::delay for deliberate latency.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/EventLoop.h"
#include "http/Router.h"

namespace pactmocks::http {

struct ServerOptions {
  std::string address = "0.0.0.0";
  std::uint16_t port = 0;  // 0 = ephemeral (tests); see HttpServer::port()
  std::size_t maxHeaderBytes = 16 * 1024;
  std::size_t maxBodyBytes = 4 * 1024 * 1024;
  std::chrono::milliseconds readTimeout{10'000};   // to receive a complete request once it started
  std::chrono::milliseconds idleTimeout{60'000};   // keep-alive connection with no request
  std::chrono::milliseconds maxDelay{60'000};      // cap on Response::delay
  std::string serverHeader = "pact-mocks";
  // The answer to a request rejected before any handler ran (400 malformed, 413 body too large,
  // 431 headers too large), so a mock can answer in its cloud's error format. Unset:
  // {"error": message}. Runs on a loop thread; must not block.
  std::function<Response(int status, const std::string& message)> rejectionResponse;
};

class HttpServer {
 public:
  // Binds and listens at once (so port() is known and errors surface here as std::runtime_error).
  HttpServer(EventLoop& loop, ServerOptions options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  std::uint16_t port() const;
  // Starts accepting on the loop.
  void start();
  // Graceful: stop accepting, close idle keep-alive connections, let in-flight requests finish
  // (up to `drain`, then they are closed). `onDrained` is called once (on a loop thread) when
  // the last connection has ended or the drain time is up. Safe from any thread; only the first
  // call does anything.
  void stop(std::chrono::milliseconds drain = std::chrono::milliseconds(3000), std::function<void()> onDrained = {});
  // Number of open connections (for tests and /metrics).
  std::size_t connectionCount() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace pactmocks::http
