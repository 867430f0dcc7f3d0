// SIGTERM ends every server process the same way (http::runUntilTerminated): stop accepting,
// stop the workers (their broker calls are cancelled), drain in-flight requests, exit 0.
#include <catch2/catch.hpp>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "HungPeer.h"
#include "RawConnection.h"
#include "TestProcess.h"
#include "http/EventLoop.h"
#include "http/HttpServer.h"
#include "http/Shutdown.h"

using namespace pactmocks;
using namespace pactmocks::testsupport;
using namespace std::chrono_literals;

namespace {

std::string pactJson(const std::string& consumer, const std::string& provider) {
  return nlohmann::json{{"consumer", {{"name", consumer}}},
                        {"provider", {{"name", provider}}},
                        {"interactions",
                         {{{"description", "get thing"},
                           {"request", {{"method", "GET"}, {"path", "/thing"}}},
                           {"response", {{"status", 200}}}}}},
                        {"metadata", {{"pactSpecification", {{"version", "3.0.0"}}}}}}
      .dump();
}

// Waits until `broker` holds a call of `process` in flight, then SIGTERM: exit 0 within 2 s.
void checkTerminatesWhileBrokerHangs(TestProcess& process, const testsupport::HungPeer& broker) {
  REQUIRE(eventually([&] { return broker.accepted() >= 1; }, 10s));
  const auto start = std::chrono::steady_clock::now();
  process.terminate();
  auto code = process.waitForExit(10s);
  const auto took = std::chrono::steady_clock::now() - start;
  INFO(process.output());
  REQUIRE(code);
  CHECK(*code == 0);
  CHECK(took < 2s);
}

}  // namespace

TEST_CASE("manager: SIGTERM exits 0 within 2 s while its broker calls hang", "[shutdown][manager]") {
  testsupport::HungPeer broker;
  TempDir dir("shutdown-manager");
  for (const char* provider : {"AWS-Secrets-Manager", "GCP-Secret-Manager", "Azure-Key-Vault"})
    writeFile(dir / (std::string(provider) + ".json"), pactJson("Secret-Manager-Controller", provider));
  const auto port = freePort();
  ProcessOptions o;
  o.executable = builtExecutable("manager");
  o.env = {{"BROKER_URL", broker.url()},          {"CONFIGMAP_PATH", dir.path()},
           {"PUBLISHED_FLAG_PATH", dir / "flag"}, {"HEALTH_PORT", std::to_string(port)},
           {"HEALTH_ADDRESS", "127.0.0.1"},       {"BROKER_WAIT_INTERVAL_SECONDS", "0.2"},
           // Far longer than the 2 s allowed: only cancelling the call in flight can make it.
           {"BROKER_TIMEOUT_SECONDS", "30"}};
  auto manager = TestProcess::start(o);
  REQUIRE(waitForHttpStatus(port, "/liveness", 200, 10s));
  checkTerminatesWhileBrokerHangs(manager, broker);  // its heartbeat is in flight
}

TEST_CASE("mock in broker mode: SIGTERM exits 0 within 2 s while its broker calls hang", "[shutdown][mock]") {
  testsupport::HungPeer broker;
  const auto port = freePort();
  ProcessOptions o;
  o.executable = builtExecutable("aws-mock-server");
  o.env = {{"BROKER_URL", broker.url()},
           {"MANAGER_URL", broker.url()},
           {"PORT", std::to_string(port)},
           {"BIND_ADDRESS", "127.0.0.1"},
           {"STARTUP_POLL_INTERVAL_SECONDS", "0.1"}};
  o.unsetEnv = {"PACTS_DIR"};
  auto mock = TestProcess::start(o);
  REQUIRE(eventually([&] { return httpGet(port, "/health", 1s).status != 0; }, 10s));
  checkTerminatesWhileBrokerHangs(mock, broker);
}

TEST_CASE("a request in flight at SIGTERM gets its full answer, then the loop ends by itself", "[shutdown][drain]") {
  http::EventLoop loop(1);
  std::promise<void> handling;
  http::ServerOptions options;
  options.address = "127.0.0.1";
  http::HttpServer server(loop, options, [&handling](http::Request&) {
    handling.set_value();
    auto response = http::Response::text(200, "the slow answer, in full");
    response.delay = 700ms;  // still pending when the signal arrives
    return response;
  });
  server.start();
  auto ran = std::async(std::launch::async, [&] {
    http::runUntilTerminated(loop, server, 3s);
  });

  testsupport::RawConnection client(server.port());
  client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(handling.get_future().wait_for(5s) == std::future_status::ready);
  ::kill(::getpid(), SIGTERM);

  auto response = client.readResponse();
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(response->body == "the slow answer, in full");
  // No loop.stop() anywhere: run() returns because nothing is left to do.
  CHECK(ran.wait_for(2s) == std::future_status::ready);
}
