#pragma once
// An HttpServer on 127.0.0.1 (an ephemeral port unless options.port says otherwise) answering
// from a handler in this process, its EventLoop running on a background thread for the
// lifetime of the object: scripted backends (a faulty broker, a scripted manager) and the
// servers under test of the HTTP tests.
#include <cstdint>
#include <string>

#include "EventLoopThread.h"
#include "http/HttpServer.h"

namespace pactmocks::testsupport {

class TestServer {
 public:
  // Listening and accepting once constructed; `options.address` is forced to 127.0.0.1.
  explicit TestServer(http::Handler handler, http::ServerOptions options = {}, unsigned threads = 1);
  // Stops the server without a drain, then the loop.
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const { return server_.port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  http::HttpServer& server() { return server_; }
  http::EventLoop& loop() { return loop_; }

 private:
  http::EventLoop loop_;
  http::HttpServer server_;
  EventLoopThread thread_;  // last: the loop runs only once the server is set up
};

}  // namespace pactmocks::testsupport
