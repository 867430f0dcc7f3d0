// POST /__admin/reload runs on the sync worker, not on a serving thread: with one serving thread
// (THREADS=1) and a broker that answers slowly, the mock keeps answering while a reload is in
// progress, and the reload's own answer carries its outcome once the worker is done.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "BrokerStandin.h"
#include "JsonHttp.h"
#include "PodProcesses.h"
#include "TestPacts.h"
#include "broker/BrokerClient.h"
#include "http/HttpServer.h"

using namespace pactmocks;
using namespace pactmocks::mockserver::testing;
using namespace std::chrono_literals;

namespace {

const std::string kProvider = "Azure-Key-Vault";

// The broker stand-in behind a server whose pact downloads can be made slow (the delay does not
// block the server's thread), and a manager that reports the provider published.
class SlowBackends {
 public:
  SlowBackends() : brokerPort(testsupport::freePort()), managerPort(testsupport::freePort()) {
    brokerRouter_ = standin_.router();
    managerRouter_.get("/providers/{provider}/ready", [](http::Request&) {
      return http::Response::json(200, {{"ready", true}, {"provider", kProvider}, {"generation", 1},
                                        {"published_at", "2026-01-01T00:00:00Z"}});
    });
    broker_ = serve(brokerPort, [this](http::Request& request) {
      auto response = brokerRouter_.asHandler()(request);
      if (request.path.rfind("/pacts/", 0) == 0) {
        ++pactDownloads;
        response.delay = pactDelay.load();
      }
      return response;
    });
    manager_ = serve(managerPort, managerRouter_.asHandler());
    runner_ = std::thread([this] { loop_.run(); });
  }
  ~SlowBackends() {
    broker_->stop(0ms);
    manager_->stop(0ms);
    loop_.stop();
    runner_.join();
  }
  void publish(const std::string& pactJson, const std::string& version) {
    broker::BrokerSettings settings;
    settings.url = "http://127.0.0.1:" + std::to_string(brokerPort);
    auto result = broker::BrokerClient(settings).publishPact(kProvider, "Secret-Manager-Controller", version, pactJson);
    REQUIRE((result.status() == 200 || result.status() == 201));
  }

  const std::uint16_t brokerPort, managerPort;
  std::atomic<std::chrono::milliseconds> pactDelay{0ms};
  std::atomic<int> pactDownloads{0};

 private:
  std::unique_ptr<http::HttpServer> serve(std::uint16_t port, http::Handler handler) {
    http::ServerOptions options;
    options.address = "127.0.0.1";
    options.port = port;
    auto server = std::make_unique<http::HttpServer>(loop_, options, std::move(handler));
    server->start();
    return server;
  }
  http::EventLoop loop_{1};
  testsupport::BrokerStandin standin_{{}};
  http::Router brokerRouter_, managerRouter_;
  std::unique_ptr<http::HttpServer> broker_, manager_;
  std::thread runner_;
};

}  // namespace

TEST_CASE("with one serving thread, /health is answered while a slow reload runs", "[broker][reload]") {
  SlowBackends backends;
  backends.publish(smallPact(kProvider), "1.0.0");
  auto mock = testsupport::startMockProcess("azure-mock-server", {{"THREADS", "1"},
                                              {"BROKER_URL", "http://127.0.0.1:" + std::to_string(backends.brokerPort)},
                                              {"MANAGER_URL", "http://127.0.0.1:" + std::to_string(backends.managerPort)},
                                              {"STARTUP_TIMEOUT_SECONDS", "60"},
                                              {"STARTUP_POLL_INTERVAL_SECONDS", "0.1"},
                                              {"RELOAD_INTERVAL_SECONDS", "60"}});
  REQUIRE(testsupport::waitForHttpStatus(mock.port, "/health", 200, 10s));
  REQUIRE(testsupport::getJson(mock.port, "/health")["interactions"] == 3);

  // A second publication (more interactions) that the reload must pick up, served slowly.
  backends.publish(smallPact(kProvider, "Secret-Manager-Controller", "renamed"), "1.0.1");
  const int downloadsBefore = backends.pactDownloads.load();
  backends.pactDelay = 3000ms;
  std::atomic<bool> reloadAnswered{false};
  testsupport::HttpReply reload;
  std::thread reloader([&] {
    reload = testsupport::httpRequest(mock.port, "POST", "/__admin/reload", {}, {}, 20s);
    reloadAnswered = true;
  });

  // The reload is in progress once the broker has been asked for a pact (its answer takes 3 s).
  REQUIRE(testsupport::eventually([&] { return backends.pactDownloads.load() > downloadsBefore; }, 10s));
  auto health = testsupport::httpGet(mock.port, "/health", 1s);
  CHECK(health.status == 200);
  CHECK_FALSE(reloadAnswered.load());
  CHECK(testsupport::httpGet(mock.port, "/__admin/interactions", 1s).status == 200);

  reloader.join();
  REQUIRE(reload.status == 200);
  auto body = nlohmann::json::parse(reload.body);
  CHECK(body["reloaded"] == true);
  CHECK(body["source"] == "broker");
  CHECK(body["interactions"] == 3);
  CHECK(testsupport::getJson(mock.port, "/__admin/interactions").dump().find("renamed") != std::string::npos);

  SECTION("a failed reload answers 500 with the error") {
    backends.pactDelay = 0ms;
    backends.publish("{\"consumer\":{\"name\":\"Secret-Manager-Controller\"},\"provider\":{\"name\":\"" + kProvider +
                         "\"},\"interactions\":[{\"description\":\"no request\"}]}",
                     "1.0.2");
    auto failed = testsupport::httpRequest(mock.port, "POST", "/__admin/reload", {}, {}, 20s);
    CHECK(failed.status == 500);
    auto failure = nlohmann::json::parse(failed.body);
    CHECK(failure["reloaded"] == false);
    CHECK(failure["error"].is_string());
    CHECK(testsupport::getJson(mock.port, "/__admin/interactions").dump().find("renamed") != std::string::npos);
  }
}
