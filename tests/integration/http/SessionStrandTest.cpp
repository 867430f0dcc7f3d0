// A connection's first steps run on its own strand. They used to run on the acceptor's strand,
// so with several loop threads the deadline handler (on the connection's strand) could touch
// phase_/deadline_/the socket while start() was still at work: a data race that
// ThreadSanitizer reports (build this test with -fsanitize=thread to see it).
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>
#include <vector>

#include "RawConnection.h"
#include "http/EventLoop.h"
#include "http/HttpServer.h"

using namespace pactmocks;
using namespace std::chrono_literals;

TEST_CASE("connections start on their own strand: an instant idle deadline closes each one cleanly",
          "[http][strand]") {
  http::EventLoop loop(4);
  http::ServerOptions options;
  options.address = "127.0.0.1";
  // Expired at once: the deadline handler runs on another thread while the session starts.
  options.idleTimeout = 0ms;
  http::HttpServer server(loop, options, [](http::Request&) { return http::Response::text(200, "unused"); });
  server.start();
  std::thread runner([&] { loop.run(); });

  for (int round = 0; round < 10; ++round) {
    std::vector<std::unique_ptr<testsupport::RawConnection>> clients;
    for (int i = 0; i < 20; ++i) clients.push_back(std::make_unique<testsupport::RawConnection>(server.port(), 5000ms));
    for (auto& client : clients) {
      std::string received;
      CHECK(client->recvSome(received) == 0);  // closed by the server, nothing sent
      CHECK(received.empty());
    }
  }
  server.stop(0ms);
  loop.stop();
  runner.join();
}
