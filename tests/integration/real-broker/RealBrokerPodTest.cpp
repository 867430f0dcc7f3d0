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
#include "PodFixtures.h"
#include "PodStack.h"
#include "RealBrokerStage.h"
#include "TestProcess.h"

using namespace pactmocks;
using namespace pactmocks::hardening;
using namespace pactmocks::testsupport;
using namespace std::chrono_literals;
using nlohmann::json;
using namespace pactmocks::realbroker;


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
  CHECK(manager.process.output().find("409 Conflict") == std::string::npos);
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
      std::this_thread::sleep_for(20ms);  // probe pacing, not a synchronisation
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

namespace {

// webhooks.json declaring one webhook to the mock-webhook, on changed content of the AWS pact.
std::string webhooksJson(std::uint16_t webhookPort, const std::string& id) {
  return json{{"webhooks",
               {{{"id", id},
                 {"description", "tell mock-webhook about changed AWS contracts"},
                 {"events", {"contract_content_changed"}},
                 {"provider", "AWS-Secrets-Manager"},
                 {"request",
                  {{"method", "POST"},
                   {"url", "http://127.0.0.1:" + std::to_string(webhookPort) + "/broker/contract-changed"},
                   {"headers", {{"Content-Type", "application/json"}}},
                   {"body",
                    {{"event", "${pactbroker.eventName}"},
                     {"pactUrl", "${pactbroker.pactUrl}"},
                     {"consumerVersion", "${pactbroker.consumerVersionNumber}"}}}}}}}}}
      .dump(2);
}

// The deliveries the mock-webhook journaled, oldest first.
json deliveries(std::uint16_t webhookPort) {
  auto reply = httpGet(webhookPort, "/__admin/requests", 3s);
  auto doc = json::parse(reply.body, nullptr, false);
  if (!doc.is_object() || !doc.contains("requests")) return json::array();
  json out = json::array();
  for (const auto& r : doc["requests"])
    if (r.value("path", "") == "/broker/contract-changed") out.push_back(r);
  return out;
}

// Our webhooks (by UUID prefix) that the broker lists.
std::vector<std::string> brokerWebhooks(std::uint16_t brokerPort) {
  auto reply = httpGet(brokerPort, "/webhooks", 3s);
  auto doc = json::parse(reply.body, nullptr, false);
  std::vector<std::string> out;
  if (!doc.is_object()) return out;
  for (const auto& link : doc["_links"].value("pb:webhooks", json::array())) {
    std::string href = link.value("href", "");
    if (href.find("/webhooks/pactmocks-") != std::string::npos) out.push_back(href.substr(href.rfind('/') + 1));
  }
  return out;
}

}  // namespace

TEST_CASE("webhooks declared in the ConfigMap are applied, fire on publication, and are removed when undeclared",
          "[real-broker][webhooks]") {
  auto& stage = realbroker::RealBrokerStage::get();
  if (!restartable(stage.shared())) return;
  ProcessOptions webhookOptions;
  webhookOptions.executable = builtExecutable("mock-webhook");
  const std::uint16_t webhookPort = freePort();
  webhookOptions.env = {{"PORT", std::to_string(webhookPort)}, {"BIND_ADDRESS", "127.0.0.1"}};
  auto webhook = TestProcess::start(webhookOptions);
  REQUIRE(waitForHttpStatus(webhookPort, "/health", 200, 10s));

  // The broker's webhook whitelist must allow the mock-webhook (as the manifests set it).
  auto broker = RealBroker::start(stage.source(), {0,
                                                   {{"PACT_BROKER_WEBHOOK_HOST_WHITELIST", "127.0.0.1"},
                                                    {"PACT_BROKER_WEBHOOK_SCHEME_WHITELIST", "http"}}});
  TempDir dir("real-broker-webhooks");
  KubeletVolume volume(dir / "configmap");
  auto files = payload("hooked");
  files["webhooks.json"] = webhooksJson(webhookPort, "mock-webhook");
  volume.update(files);
  auto manager = startManagerOn(broker, volume.mountDir(), broker.password(), "webhooks");
  INFO("manager log:\n" << manager.process.output());

  // Applied before the first publication, so that publication already fires it.
  const auto published = std::chrono::steady_clock::now();
  REQUIRE(eventually([&] { return everythingPublished(manager.port, broker.port(), "hooked"); }, kConverge));
  REQUIRE(eventually([&] { return deliveries(webhookPort).size() >= 1; }, 20s));
  const auto delivered = std::chrono::steady_clock::now();
  WARN("publish -> webhook delivery: "
       << std::chrono::duration_cast<std::chrono::milliseconds>(delivered - published).count()
       << " ms (from the manager's start)");
  auto first = deliveries(webhookPort)[0];
  INFO("delivery: " << first.dump());
  CHECK(first["body"]["event"] == "contract_content_changed");
  CHECK_THAT(first["body"]["pactUrl"].get<std::string>(),
             Catch::Contains("/pacts/provider/AWS-Secrets-Manager/consumer/"));
  auto ready = getReady(manager.port);
  INFO("/ready: " << ready.body.dump());
  REQUIRE(ready.body["webhooks"].size() == 1);
  CHECK(ready.body["webhooks"][0]["state"] == "applied");
  CHECK(brokerWebhooks(broker.port()).size() == 1);

  // A restart re-declares the same webhook: updated in place, not duplicated.
  manager.process.stop();
  manager = startManagerOn(broker, volume.mountDir(), broker.password(), "webhooks");
  REQUIRE(eventually([&] { return getReady(manager.port).ready(); }, kConverge));
  CHECK(eventually([&] { return getReady(manager.port).body["webhooks"].size() == 1; }, 10s));
  CHECK(brokerWebhooks(broker.port()).size() == 1);

  // Changed AWS content fires it again.
  const auto before = deliveries(webhookPort).size();
  files = payload("hooked-again");
  files["webhooks.json"] = webhooksJson(webhookPort, "mock-webhook");
  const auto swapped = std::chrono::steady_clock::now();
  volume.update(files);
  CHECK(eventually([&] { return deliveries(webhookPort).size() > before; }, 20s));
  WARN("ConfigMap swap -> re-published -> webhook delivered: "
       << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - swapped).count()
       << " ms");
  REQUIRE(eventually([&] { return everythingPublished(manager.port, broker.port(), "hooked-again"); }, kConverge));

  // Undeclared: removed from the broker, and changed content no longer reaches the mock-webhook.
  files = payload("unhooked");
  volume.update(files);
  REQUIRE(eventually([&] { return brokerWebhooks(broker.port()).empty(); }, kConverge));
  REQUIRE(eventually([&] { return everythingPublished(manager.port, broker.port(), "unhooked"); }, kConverge));
  const auto after = deliveries(webhookPort).size();
  // The broker delivers within about a second; give it several to prove nothing comes.
  CHECK_FALSE(eventually([&] { return deliveries(webhookPort).size() > after; }, 4s));
  CHECK(getReady(manager.port).body["webhooks"].empty());
}
