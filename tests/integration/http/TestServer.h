#pragma once
// An HttpServer on 127.0.0.1 with an ephemeral port, its EventLoop running on a background
// thread for the lifetime of the object.
#include <chrono>
#include <string>
#include <thread>

#include "http/HttpServer.h"

namespace pactmocks::test {

inline http::ServerOptions loopbackOptions(http::ServerOptions options = {}) {
  options.address = "127.0.0.1";
  options.port = 0;
  return options;
}

class TestServer {
 public:
  explicit TestServer(http::Handler handler, http::ServerOptions options = {}, unsigned threads = 1)
      : loop_(threads), server_(loop_, loopbackOptions(std::move(options)), std::move(handler)) {
    server_.start();
    thread_ = std::thread([this] { loop_.run(); });
  }
  ~TestServer() {
    server_.stop(std::chrono::milliseconds(0));
    loop_.stop();
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const { return server_.port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  http::HttpServer& server() { return server_; }
  http::EventLoop& loop() { return loop_; }

 private:
  http::EventLoop loop_;
  http::HttpServer server_;
  std::thread thread_;
};

}  // namespace pactmocks::test
