// Deferred responses (long-poll): a handler parks a request and completes it later from any
// thread; the timeout, the server's shutdown and a client that went away are handled, and no
// loop thread waits meanwhile.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "Eventually.h"
#include "TestServer.h"
#include "http/HttpClient.h"

using namespace pactmocks;
using namespace pactmocks::http;
using namespace std::chrono_literals;
using pactmocks::testsupport::eventually;
using pactmocks::testsupport::TestServer;
using Clock = std::chrono::steady_clock;

namespace {

// Parks every request on /wait (timeout from ?ms=, default 5 s); /now answers at once.
struct Parking {
  std::mutex mutex;
  std::vector<std::shared_ptr<DeferredResponse>> parked;
  Handler handler() {
    return [this](Request& request) {
      if (request.path == "/now") return Response::text(200, "now");
      auto ms = queryValue(request.query, "ms");
      auto deferred = std::make_shared<DeferredResponse>([] { return Response::text(200, "timed out"); });
      {
        std::lock_guard lock(mutex);
        parked.push_back(deferred);
      }
      return Response::parked(deferred, std::chrono::milliseconds(ms ? std::stoi(*ms) : 5000));
    };
  }
  std::size_t count() {
    std::lock_guard lock(mutex);
    return parked.size();
  }
  std::shared_ptr<DeferredResponse> at(std::size_t i) {
    std::lock_guard lock(mutex);
    return parked.at(i);
  }
};

}  // namespace

TEST_CASE("a parked request is answered when another thread completes it, without holding a loop thread",
          "[http][deferred]") {
  Parking parking;
  TestServer server(parking.handler(), {}, 1);  // one loop thread: /now must still be served
  auto waiting = std::async(std::launch::async, [&] { return HttpClient(server.url()).get("/wait"); });
  REQUIRE(eventually([&] { return parking.count() == 1; }, 2s));
  auto now = HttpClient(server.url()).get("/now");
  REQUIRE(now.ok());
  CHECK(now.response->body == "now");
  CHECK(waiting.wait_for(0ms) == std::future_status::timeout);  // still parked

  std::thread completer([&] { CHECK(parking.at(0)->complete(Response::text(200, "completed"))); });
  completer.join();
  auto result = waiting.get();
  REQUIRE(result.ok());
  CHECK(result.response->body == "completed");
  CHECK_FALSE(parking.at(0)->complete(Response::text(200, "twice")));  // first answer wins
}

TEST_CASE("a parked request is answered with the handler's timeout response", "[http][deferred]") {
  Parking parking;
  TestServer server(parking.handler());
  const auto started = Clock::now();
  auto result = HttpClient(server.url()).get("/wait?ms=200");
  const auto took = Clock::now() - started;
  REQUIRE(result.ok());
  CHECK(result.response->body == "timed out");
  CHECK(took >= 200ms);
  CHECK(took < 3s);
  CHECK(parking.at(0)->done());
  CHECK_FALSE(parking.at(0)->complete(Response::text(200, "late")));
}

TEST_CASE("completing before the server parks the request still answers it", "[http][deferred]") {
  TestServer server([](Request&) {
    auto deferred = std::make_shared<DeferredResponse>([] { return Response::text(200, "timed out"); });
    deferred->complete(Response::text(200, "early"));
    return Response::parked(deferred, 5s);
  });
  auto result = HttpClient(server.url()).get("/");
  REQUIRE(result.ok());
  CHECK(result.response->body == "early");
}

TEST_CASE("the server's shutdown answers parked requests at once instead of waiting for their timeout",
          "[http][deferred]") {
  Parking parking;
  auto server = std::make_unique<TestServer>(parking.handler());
  const auto url = server->url();
  auto waiting = std::async(std::launch::async, [&] { return HttpClient(url, {}, 10s).get("/wait?ms=30000"); });
  REQUIRE(eventually([&] { return parking.count() == 1; }, 2s));
  const auto started = Clock::now();
  server->server().stop(5s);  // graceful: in-flight requests are answered, then connections close
  auto result = waiting.get();
  CHECK(Clock::now() - started < 2s);
  REQUIRE(result.ok());
  CHECK(result.response->body == "timed out");  // the current state, as at a timeout
  CHECK(parking.at(0)->done());
}

TEST_CASE("a client that goes away while parked does not disturb the server", "[http][deferred]") {
  Parking parking;
  TestServer server(parking.handler());
  {
    HttpClient client(server.url(), {}, 300ms);
    auto result = client.get("/wait?ms=30000");  // gives up after 300 ms and closes its connection
    CHECK_FALSE(result.response.has_value());
  }
  REQUIRE(parking.count() == 1);
  // Completing the abandoned request is harmless, and the server keeps serving.
  parking.at(0)->complete(Response::text(200, "nobody listens"));
  auto now = HttpClient(server.url()).get("/now");
  REQUIRE(now.ok());
  CHECK(now.response->body == "now");
}
