// Broker mode: a mock binary against the broker stand-in and a manager (a scripted in-process one
// for exact control of the publication sequence, and the real `manager` binary end to end).
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "BrokerStandin.h"
#include "KubeletVolume.h"
#include "JsonHttp.h"
#include "PodProcesses.h"
#include "TestPacts.h"
#include "TestServer.h"
#include "broker/BrokerClient.h"
#include "core/Time.h"
#include "http/HttpServer.h"

using namespace pactmocks;
using namespace pactmocks::mockserver::testing;
using namespace std::chrono_literals;
using testsupport::httpRequest;

namespace {

const std::string kProvider = "Azure-Key-Vault";
const std::string kGet = "/secrets/test-secret?api-version=7.4";

// What a manager says about the provider, scripted by the test.
struct ScriptedManager {
  std::mutex mutex;
  bool ready = false;
  int generation = 0;
  std::string publishedAt;

  void publish() {
    std::lock_guard lock(mutex);
    ready = true;
    ++generation;
    publishedAt = nowRfc3339();
  }
  http::Router router() {
    http::Router r;
    r.get("/providers/{provider}/ready", [this](http::Request& request) {
      std::lock_guard lock(mutex);
      if (!ready || request.param("provider") != kProvider)
        return http::Response::json(503, {{"ready", false}, {"provider", std::string(request.param("provider"))}});
      return http::Response::json(
          200, {{"ready", true}, {"provider", kProvider}, {"published_at", publishedAt}, {"generation", generation}});
    });
    return r;
  }
};

// Broker stand-in and scripted manager served from this process on fixed loopback ports,
// each started when the test says so.
class Backends {
 public:
  Backends() : brokerPort(testsupport::freePort()), managerPort(testsupport::freePort()) {}
  void startBroker() { broker_.emplace(standin_.router().asHandler(), onPort(brokerPort)); }
  // Returns once the port refuses connections (stop() is asynchronous).
  void stopBroker() {
    broker_->server().stop(0ms);
    REQUIRE(testsupport::eventually(
        [&] { return testsupport::httpGet(brokerPort, "/diagnostic/status/heartbeat", 500ms).status == 0; }, 5s,
        "the stopped broker refuses connections"));
  }
  void startManager() { manager_.emplace(scripted.router().asHandler(), onPort(managerPort)); }
  void publish(const std::string& pactJson, const std::string& version) {
    broker::BrokerSettings settings;
    settings.url = "http://127.0.0.1:" + std::to_string(brokerPort);
    broker::BrokerClient client(settings);
    auto consumer = nlohmann::json::parse(pactJson)["consumer"]["name"].get<std::string>();
    auto result = client.publishPact(kProvider, consumer, version, pactJson);
    REQUIRE((result.status() == 200 || result.status() == 201));
    scripted.publish();
  }
  std::map<std::string, std::string> mockEnv(const std::string& startupTimeout) const {
    return {{"BROKER_URL", "http://127.0.0.1:" + std::to_string(brokerPort)},
            {"MANAGER_URL", "http://127.0.0.1:" + std::to_string(managerPort)},
            {"STARTUP_TIMEOUT_SECONDS", startupTimeout},
            {"STARTUP_POLL_INTERVAL_SECONDS", "0.1"},
            {"RELOAD_INTERVAL_SECONDS", "0.2"}};
  }

  const std::uint16_t brokerPort, managerPort;
  ScriptedManager scripted;

 private:
  static http::ServerOptions onPort(std::uint16_t port) {
    http::ServerOptions options;
    options.port = port;
    return options;
  }
  testsupport::BrokerStandin standin_{{}};
  std::optional<testsupport::TestServer> broker_, manager_;
};

std::string phaseOf(std::uint16_t port) {
  auto health = testsupport::getJson(port, "/health");
  return health.is_object() ? health.value("phase", "") : "";
}

}  // namespace

TEST_CASE("startup waits for the broker, then the manager, then loads every consumer's pact", "[broker]") {
  Backends backends;
  auto mock = testsupport::startMockProcess("azure-mock-server", backends.mockEnv("60"));
  REQUIRE(testsupport::eventually([&] { return phaseOf(mock.port) == "waiting for broker"; }, 10s));
  auto starting = testsupport::getJsonReply(mock.port, "/health");
  CHECK(starting.body["status"] == "starting");
  CHECK(starting.status == 503);
  CHECK(httpRequest(mock.port, "GET", kGet).status == 503);  // not ready yet: provider-style 503

  backends.startBroker();
  REQUIRE(testsupport::eventually([&] { return phaseOf(mock.port) == "waiting for manager"; }, 10s));
  backends.publish(smallPact(kProvider), "1.0.0");
  backends.publish(smallPact(kProvider, "Another-Consumer", "another consumer's interaction"), "2.0.0");
  CHECK(testsupport::httpGet(mock.port, "/health").status == 503);  // the manager is not up yet

  backends.startManager();
  REQUIRE(testsupport::waitForHttpStatus(mock.port, "/health", 200, 10s));
  auto health = testsupport::getJson(mock.port, "/health");
  CHECK(health["source"] == "broker");
  CHECK(health["interactions"] == 6);
  CHECK(health["pacts"].size() == 2);
  CHECK(httpRequest(mock.port, "GET", kGet, {}, {{"X-Pact-Provider-State", "secret exists"}}).status == 200);
}

TEST_CASE("CONSUMER_NAME restricts loading to one consumer", "[broker]") {
  Backends backends;
  backends.startBroker();
  backends.startManager();
  backends.publish(smallPact(kProvider), "1.0.0");
  backends.publish(smallPact(kProvider, "Another-Consumer", "another consumer's interaction"), "2.0.0");
  auto env = backends.mockEnv("60");
  env["CONSUMER_NAME"] = "Another-Consumer";
  auto mock = testsupport::startMockProcess("azure-mock-server", env);
  REQUIRE(testsupport::waitForHttpStatus(mock.port, "/health", 200, 10s));
  auto health = testsupport::getJson(mock.port, "/health");
  CHECK(health["interactions"] == 3);
  CHECK(health["pacts"][0]["consumer"] == "Another-Consumer");
}

TEST_CASE("startup timeout serves the default contract, then switches to the real one", "[broker]") {
  Backends backends;
  auto mock = testsupport::startMockProcess("azure-mock-server", backends.mockEnv("0.5"));
  REQUIRE(testsupport::waitForHttpStatus(mock.port, "/health", 200, 10s));
  auto health = testsupport::getJson(mock.port, "/health");
  CHECK(health["source"] == "default");
  CHECK(health["phase"] == "serving default contract");
  CHECK(health["last_error"].is_string());
  // Startup polling goes on behind the default: last_error follows it, the phase keeps saying what is served.
  REQUIRE(testsupport::eventually(
      [&] { return testsupport::getJson(mock.port, "/health").value("last_error", "").starts_with("broker "); }, 10s));
  CHECK(testsupport::getJson(mock.port, "/health")["phase"] == "serving default contract");
  // The built-in Azure contract answers for any secret name.
  CHECK(httpRequest(mock.port, "GET", "/secrets/any-name?api-version=7.4").status == 200);

  backends.startBroker();
  backends.startManager();
  backends.publish(smallPact(kProvider), "1.0.0");
  REQUIRE(testsupport::eventually([&] { return testsupport::getJson(mock.port, "/health")["source"] == "broker"; }, 10s));
  CHECK(testsupport::getJson(mock.port, "/health")["interactions"] == 3);
  // Real contract now (with a token: without one, Key Vault's challenge would answer).
  CHECK(httpRequest(mock.port, "GET", "/secrets/any-name?api-version=7.4", {}, {{"Authorization", "Bearer t"}}).status == 500);
}

TEST_CASE("a re-publication is loaded without failing a single request", "[broker][reload]") {
  Backends backends;
  backends.startBroker();
  backends.startManager();
  backends.publish(smallPact(kProvider), "1.0.0");
  auto mock = testsupport::startMockProcess("azure-mock-server", backends.mockEnv("60"));
  REQUIRE(testsupport::waitForHttpStatus(mock.port, "/health", 200, 10s));

  std::atomic<bool> running{true};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 2; ++t) {
    clients.emplace_back([&] {
      while (running) {
        auto r = httpRequest(mock.port, "GET", kGet, {}, {{"X-Pact-Provider-State", "secret exists"}});
        (r.status == 200 ? ok : failed)++;
      }
    });
  }
  for (int round = 1; round <= 3; ++round) {
    const std::string description = "renamed interaction " + std::to_string(round);
    backends.publish(smallPact(kProvider, "Secret-Manager-Controller", description), "1.0." + std::to_string(round));
    CHECK(testsupport::eventually(
        [&] { return testsupport::getJson(mock.port, "/__admin/interactions").dump().find(description) != std::string::npos; },
        10s));
  }
  running = false;
  for (auto& c : clients) c.join();
  CHECK(failed == 0);
  CHECK(ok > 5);  // traffic really flowed during the swaps
  CHECK(testsupport::getJson(mock.port, "/health")["reloads"] == 3);

  SECTION("POST /__admin/reload loads at once") {
    auto reply = httpRequest(mock.port, "POST", "/__admin/reload");
    CHECK(reply.status == 200);
    CHECK(nlohmann::json::parse(reply.body)["reloaded"] == true);
  }
  SECTION("a failed reload keeps the last good contracts") {
    backends.stopBroker();
    auto reply = httpRequest(mock.port, "POST", "/__admin/reload", {}, {}, 15s);
    CHECK(reply.status == 500);
    CHECK(nlohmann::json::parse(reply.body)["reloaded"] == false);
    CHECK(httpRequest(mock.port, "GET", kGet, {}, {{"X-Pact-Provider-State", "secret exists"}}).status == 200);
    CHECK(testsupport::getJson(mock.port, "/health")["failed_reloads"].get<int>() >= 1);
  }
}

TEST_CASE("end to end with the real manager and the broker stand-in binary", "[broker][manager]") {
  std::string managerBinary;
  try {
    managerBinary = testsupport::builtExecutable("manager");
  } catch (const std::exception&) {
    WARN("manager binary not built; skipping");
    return;
  }
  testsupport::TempDir dir;
  testsupport::KubeletVolume volume(dir / "configmap");
  volume.update({{"azure.json", smallPact(kProvider)}, {"aws.json", smallPact("AWS-Secrets-Manager")}});

  const auto brokerPort = testsupport::freePort();
  const auto managerPort = testsupport::freePort();
  auto mock = testsupport::startMockProcess("azure-mock-server",
                        {{"BROKER_URL", "http://127.0.0.1:" + std::to_string(brokerPort)},
                         {"MANAGER_URL", "http://127.0.0.1:" + std::to_string(managerPort)},
                         {"STARTUP_TIMEOUT_SECONDS", "60"},
                         {"STARTUP_POLL_INTERVAL_SECONDS", "0.2"},
                         {"RELOAD_INTERVAL_SECONDS", "0.3"}});
  // Start order as in a pod where the mock container wins the race: mock, manager, broker.
  testsupport::ProcessOptions managerOptions;
  managerOptions.executable = managerBinary;
  managerOptions.env = {{"BROKER_URL", "http://127.0.0.1:" + std::to_string(brokerPort)},
                        {"HEALTH_PORT", std::to_string(managerPort)},
                        {"HEALTH_ADDRESS", "127.0.0.1"},
                        {"CONFIGMAP_PATH", volume.mountDir()},
                        {"PUBLISHED_FLAG_PATH", dir / "published"},
                        {"BROKER_WAIT_INTERVAL_SECONDS", "0.2"},
                        {"GIT_COMMIT", "test"}};
  auto manager = testsupport::TestProcess::start(std::move(managerOptions));
  testsupport::ProcessOptions brokerOptions;
  brokerOptions.executable = testsupport::builtExecutable("pact-broker-standin");
  brokerOptions.args = {"--port", std::to_string(brokerPort)};
  auto broker = testsupport::TestProcess::start(std::move(brokerOptions));

  REQUIRE(testsupport::waitForHttpStatus(mock.port, "/health", 200, 30s));
  CHECK(testsupport::getJson(mock.port, "/health")["source"] == "broker");
  CHECK(httpRequest(mock.port, "GET", kGet, {}, {{"X-Pact-Provider-State", "secret exists"}}).status == 200);

  volume.update({{"azure.json", smallPact(kProvider, "Secret-Manager-Controller", "edited in the ConfigMap")},
                 {"aws.json", smallPact("AWS-Secrets-Manager")}});
  CHECK(testsupport::eventually(
      [&] {
        return testsupport::getJson(mock.port, "/__admin/interactions").dump().find("edited in the ConfigMap") != std::string::npos;
      },
      20s));
  if (!mock.process.running()) FAIL(mock.process.output());
}
