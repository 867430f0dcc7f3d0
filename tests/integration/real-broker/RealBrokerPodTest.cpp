// The pod's binaries against the real Pact Broker: the manager publishing the example ConfigMap
// (kubelet layout) and re-publishing a `..data` swap, the three mocks in broker mode loading every
// consumer's pact of their provider and serving a swap without a restart, a broker restarted
// empty, and wrong credentials.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "KubeletVolume.h"
#include "PodStack.h"
#include "RealBrokerStage.h"
#include "TestProcess.h"

using namespace pactmocks;
using namespace pactmocks::hardening;
using namespace pactmocks::testsupport;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// The real broker's first publications take a while (Ruby, SQLite): generous, but bounded.
constexpr auto kConverge = 60s;
const std::string kSecondConsumer = "Another-Controller";
const std::map<std::string, std::string> kMockBinaries = {{"AWS-Secrets-Manager", "aws-mock-server"},
                                                          {"GCP-Secret-Manager", "gcp-mock-server"},
                                                          {"Azure-Key-Vault", "azure-mock-server"}};

// The example pacts plus a probe interaction (GET /real-broker-probe → {"marker": marker}) in
// each, and a second consumer of the AWS provider.
std::map<std::string, std::string> payload(const std::string& marker) {
  auto files = examplePayload();
  for (auto& [name, content] : files) {
    json pact = json::parse(content);
    pact["interactions"].push_back({{"description", "the real-broker probe"},
                                    {"request", {{"method", "GET"}, {"path", "/real-broker-probe"}}},
                                    {"response",
                                     {{"status", 200},
                                      {"headers", {{"Content-Type", "application/json"}}},
                                      {"body", {{"marker", marker}}}}}});
    content = pact.dump(2);
  }
  json second = json::parse(files.at(kConsumer + "-AWS-Secrets-Manager.json"));
  second["consumer"]["name"] = kSecondConsumer;
  for (auto& interaction : second["interactions"])
    interaction["description"] = "second consumer: " + interaction["description"].get<std::string>();
  files[kSecondConsumer + "-AWS-Secrets-Manager.json"] = second.dump(2);
  return files;
}

ManagerUnderTest startManagerOn(const RealBroker& broker, const std::string& configMap, const std::string& password,
                                const std::string& commit) {
  ManagerOptions options;
  options.brokerPort = broker.port();
  options.configMapPath = configMap;
  options.password = password;
  options.extraEnv = {{"BROKER_USERNAME", broker.username()},
                      {"GIT_COMMIT", commit},
                      {"BROKER_TIMEOUT_SECONDS", "10"}};
  if (broker.username().empty()) {
    options.password.clear();
    options.extraEnv["BROKER_USERNAME"] = "";
  }
  return startManager(options);
}

struct BrokerModeMock {
  TestProcess process;
  std::uint16_t port = 0;
};

BrokerModeMock startBrokerModeMock(const std::string& provider, const RealBroker& broker, std::uint16_t managerPort) {
  BrokerModeMock mock;
  mock.port = freePort();
  ProcessOptions options;
  options.executable = builtExecutable(kMockBinaries.at(provider));
  options.env = {{"PORT", std::to_string(mock.port)},
                 {"BIND_ADDRESS", "127.0.0.1"},
                 {"THREADS", "2"},
                 {"BROKER_URL", broker.url()},
                 {"MANAGER_URL", "http://127.0.0.1:" + std::to_string(managerPort)},
                 {"STARTUP_POLL_INTERVAL_SECONDS", "0.2"},
                 {"RELOAD_INTERVAL_SECONDS", "0.5"},
                 {"LOG_LEVEL", "debug"}};
  options.unsetEnv = {"PACTS_DIR", "PROVIDER_NAME", "CONSUMER_NAME", "BROKER_TOKEN", "BROKER_USERNAME",
                      "BROKER_PASSWORD"};
  mock.process = TestProcess::start(std::move(options));
  return mock;
}

json health(std::uint16_t port) {
  auto reply = httpGet(port, "/health", 3s);
  auto doc = json::parse(reply.body, nullptr, false);
  return doc.is_object() ? doc : json::object();
}

// The probe's marker as the mock serves it, empty when it does not match.
std::string servedMarker(std::uint16_t port) {
  auto reply = httpGet(port, "/real-broker-probe", 3s);
  if (reply.status != 200) return {};
  auto doc = json::parse(reply.body, nullptr, false);
  return doc.is_object() ? doc.value("marker", "") : "";
}

bool everythingPublished(std::uint16_t managerPort, std::uint16_t brokerPort, const std::string& marker) {
  auto ready = getReady(managerPort);
  if (!ready.ready()) return false;
  for (const char* provider : kProviders) {
    if (!ready.hasProvider(provider)) return false;
    auto pact = brokerLatest(brokerPort, provider, kConsumer);
    if (!pact || pact->dump().find("\"marker\":\"" + marker + "\"") == std::string::npos) return false;
  }
  return brokerLatest(brokerPort, "AWS-Secrets-Manager", kSecondConsumer).has_value();
}

bool restartable(const RealBroker& broker) {
  if (!broker.external()) return true;
  WARN("skipped: this case restarts the broker, which an external PACT_BROKER_TEST_URL broker cannot");
  return false;
}

}  // namespace

TEST_CASE("the pod publishes, re-publishes a kubelet swap and serves it from the real broker", "[real-broker][pod]") {
  auto& stage = realbroker::RealBrokerStage::get();
  auto& broker = stage.shared();
  TempDir dir("real-broker-pod");
  KubeletVolume volume(dir / "configmap");
  volume.update(payload("first"));
  // One commit for both generations: the swap changes content under the same GIT_COMMIT.
  auto manager = startManagerOn(broker, volume.mountDir(), broker.password(), "rb-" + stage.runId());

  INFO("manager log:\n" << manager.process.output());
  REQUIRE(eventually([&] { return everythingPublished(manager.port, broker.port(), "first"); }, kConverge));
  CHECK(httpGet(manager.port, "/readiness").status == 200);
  for (const char* provider : kProviders) {
    auto reply = httpGet(manager.port, std::string("/providers/") + provider + "/ready");
    CHECK(reply.status == 200);
    CHECK(json::parse(reply.body).value("ready", false));
  }

  std::map<std::string, BrokerModeMock> mocks;
  for (const char* provider : kProviders) mocks.emplace(provider, startBrokerModeMock(provider, broker, manager.port));
  for (auto& [provider, mock] : mocks) {
    INFO(provider << " mock log:\n" << mock.process.output());
    REQUIRE(eventually([&] { return health(mock.port).value("source", "") == "broker"; }, kConverge));
    CHECK(servedMarker(mock.port) == "first");
  }
  // Every consumer's pact of the provider: the AWS mock holds both consumers.
  auto aws = health(mocks.at("AWS-Secrets-Manager").port);
  INFO("AWS mock /health: " << aws.dump());
  REQUIRE(aws["pacts"].is_array());
  CHECK(aws["pacts"].size() == 2);
  CHECK(aws["pacts"].dump().find(kSecondConsumer) != std::string::npos);

  // The kubelet's atomic ..data swap, changed content, same GIT_COMMIT.
  volume.update(payload("second"));
  REQUIRE(eventually([&] { return everythingPublished(manager.port, broker.port(), "second"); }, kConverge));
  auto ready = getReady(manager.port);
  CHECK(ready.body["errors"].empty());
  CHECK(manager.process.output().find("409") == std::string::npos);
  for (auto& [provider, mock] : mocks) {
    INFO(provider << " mock log:\n" << mock.process.output());
    CHECK(eventually([&] { return servedMarker(mock.port) == "second"; }, kConverge));
    CHECK(mock.process.running());  // served without a restart
  }
  manager.process.stop();
}

TEST_CASE("a real broker restarted empty gets everything re-published while the mocks keep serving",
          "[real-broker][restart]") {
  auto& stage = realbroker::RealBrokerStage::get();
  if (!restartable(stage.shared())) return;
  const std::uint16_t port = freePort();
  auto broker = RealBroker::start(stage.source(), {port, {}});
  TempDir dir("real-broker-restart");
  KubeletVolume volume(dir / "configmap");
  volume.update(payload("kept"));
  auto manager = startManagerOn(broker, volume.mountDir(), broker.password(), "restart");
  INFO("manager log:\n" << manager.process.output());
  REQUIRE(eventually([&] { return everythingPublished(manager.port, broker.port(), "kept"); }, kConverge));
  auto mock = startBrokerModeMock("AWS-Secrets-Manager", broker, manager.port);
  REQUIRE(eventually([&] { return servedMarker(mock.port) == "kept"; }, kConverge));

  // The mock answers throughout: count the probes that did not match while the broker is away.
  std::atomic<bool> probing{true};
  std::atomic<int> probes{0}, failures{0};
  std::thread prober([&] {
    while (probing) {
      ++probes;
      if (servedMarker(mock.port) != "kept") ++failures;
      sleepFor(20ms);
    }
  });
  broker.stop();
  REQUIRE(brokerLatest(port, "AWS-Secrets-Manager", kConsumer) == std::nullopt);
  broker = RealBroker::start(stage.source(), {port, {}});  // empty: a fresh SQLite database
  CHECK(eventually([&] { return everythingPublished(manager.port, port, "kept"); }, kConverge));
  probing = false;
  prober.join();
  INFO("probes: " << probes << ", failed: " << failures);
  CHECK(probes > 10);
  CHECK(failures == 0);
  CHECK(mock.process.running());
  CHECK(manager.process.running());
}

TEST_CASE("wrong broker credentials are reported clearly and recovered from without a restart",
          "[real-broker][credentials]") {
  auto& stage = realbroker::RealBrokerStage::get();
  if (!restartable(stage.shared())) return;
  const std::uint16_t port = freePort();
  auto broker = RealBroker::start(stage.source(), {port, {}});
  TempDir dir("real-broker-credentials");
  KubeletVolume volume(dir / "configmap");
  volume.update(payload("credentials"));
  const std::string managerPassword = "not-the-broker-password";
  auto manager = startManagerOn(broker, volume.mountDir(), managerPassword, "credentials");
  INFO("manager log:\n" << manager.process.output());

  // 401 on every publication: /ready says so, with the hint, and the manager stays up.
  REQUIRE(eventually(
      [&] {
        auto ready = getReady(manager.port);
        return ready.status == 503 && ready.errorsText().find("401") != std::string::npos;
      },
      kConverge));
  auto ready = getReady(manager.port);
  INFO("/ready: " << ready.body.dump());
  CHECK(ready.errorsText().find("Unauthorized") != std::string::npos);
  CHECK(ready.errorsText().find("BROKER_USERNAME") != std::string::npos);
  CHECK(ready.errorsText().find(managerPassword) == std::string::npos);  // never echo the secret
  CHECK(manager.process.waitForOutput("401", 5s));
  CHECK(httpGet(manager.port, "/readiness").status == 503);
  CHECK(manager.process.running());

  // Fixed: the broker now accepts the manager's credentials (a rotated secret), same address.
  broker.stop();
  broker = RealBroker::start(stage.source(), {port, {{"PACT_BROKER_BASIC_AUTH_PASSWORD", managerPassword}}});
  CHECK(eventually([&] { return everythingPublished(manager.port, port, "credentials"); }, kConverge));
  CHECK(getReady(manager.port).body["errors"].empty());
  CHECK(manager.process.running());
}
