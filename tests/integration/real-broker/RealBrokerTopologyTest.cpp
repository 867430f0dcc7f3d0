// The broker as teams run it (deploy/k8s/overlays): on PostgreSQL, where the data outlives the
// broker process, and with several mock replicas following one broker.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

#include "KubeletVolume.h"
#include "PodFixtures.h"
#include "PostgresCluster.h"
#include "RealBrokerStage.h"

using namespace pactmocks;
using namespace pactmocks::hardening;
using namespace pactmocks::realbroker;
using namespace pactmocks::testsupport;
using nlohmann::json;

namespace {

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

bool postgresAvailable() {
  if (PostgresCluster::binDir()) return true;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") FAIL("PostgreSQL is required under CI=true (Debian package postgresql)");
  WARN("skipped: PostgreSQL is not installed (Debian package postgresql)");
  return false;
}

}  // namespace

TEST_CASE("the real broker on PostgreSQL: published and loaded as on SQLite, kept across a broker restart",
          "[real-broker][postgres]") {
  auto& stage = RealBrokerStage::get();
  if (!restartable(stage.shared()) || !postgresAvailable()) return;
  PostgresCluster postgres("pactbroker", "pactbroker", "pb-secret");
  const std::uint16_t port = freePort();
  auto broker = RealBroker::start(stage.source(), {port, {{"PACT_BROKER_DATABASE_URL", postgres.url()}}});

  TempDir dir("real-broker-postgres");
  KubeletVolume volume(dir / "configmap");
  volume.update(payload("on-postgres"));
  auto manager = startManagerOn(broker, volume.mountDir(), broker.password(), "postgres");
  INFO("manager log:\n" << manager.process.output());
  REQUIRE(eventually([&] { return everythingPublished(manager.port, port, "on-postgres"); }, kConverge));
  auto mock = startBrokerModeMock("AWS-Secrets-Manager", broker, manager.port);
  REQUIRE(eventually([&] { return servedMarker(mock.port) == "on-postgres"; }, kConverge));
  CHECK(health(mock.port)["pacts"].size() == 2);  // both consumers of the provider, as on SQLite

  // Restart the broker on the same database: the data is there at once, and the manager (which
  // verifies after an outage) finds it there and publishes nothing again.
  const std::string before = manager.process.output();
  const auto publications = count(before, " as version ");
  const auto scans = count(before, "scan of ");
  broker.stop();
  broker = RealBroker::start(stage.source(), {port, {{"PACT_BROKER_DATABASE_URL", postgres.url()}}});
  CHECK(brokerLatest(port, "AWS-Secrets-Manager", kConsumer).has_value());
  CHECK(brokerLatest(port, "AWS-Secrets-Manager", kSecondConsumer).has_value());
  // The manager noticed the outage and ran its verifying scan after the broker came back.
  REQUIRE(manager.process.waitForOutput("is healthy again", 30s));
  REQUIRE(eventually(
      [&] {
        const std::string out = manager.process.output();
        return count(out.substr(out.find("is healthy again")), "scan of ") >= 1;
      },
      30s));
  CHECK(eventually([&] { return getReady(manager.port).ready(); }, kConverge));
  INFO("/ready: " << getReady(manager.port).body.dump());
  INFO("manager log now:\n" << manager.process.output());
  CHECK(count(manager.process.output(), " as version ") == publications);
  CHECK(count(manager.process.output(), "scan of ") > scans);
  CHECK(servedMarker(mock.port) == "on-postgres");
  CHECK(getReady(manager.port).ready());
}

TEST_CASE("three mock replicas on one real broker each serve a swap on their own, with no failed request",
          "[real-broker][replicas]") {
  auto& stage = RealBrokerStage::get();
  auto& broker = stage.shared();
  TempDir dir("real-broker-replicas");
  KubeletVolume volume(dir / "configmap");
  volume.update(payload("replica-v1"));
  auto manager = startManagerOn(broker, volume.mountDir(), broker.password(), "replicas-" + stage.runId());
  INFO("manager log:\n" << manager.process.output());
  REQUIRE(eventually([&] { return everythingPublished(manager.port, broker.port(), "replica-v1"); }, kConverge));

  std::vector<BrokerModeMock> replicas;
  // The documented defaults: each replica polls the manager every RELOAD_INTERVAL_SECONDS (5 s).
  for (int i = 0; i < 3; ++i) replicas.push_back(startBrokerModeMock("GCP-Secret-Manager", broker, manager.port, ""));
  for (auto& r : replicas) REQUIRE(eventually([&] { return servedMarker(r.port) == "replica-v1"; }, kConverge));

  // Constant load on every replica: each answer must be the old or the new marker, never a failure.
  std::atomic<bool> loading{true};
  std::atomic<int> sent{0}, failed{0};
  std::vector<std::thread> load;
  for (auto& r : replicas)
    load.emplace_back([&, port = r.port] {
      while (loading) {
        const std::string marker = servedMarker(port);
        ++sent;
        if (marker != "replica-v1" && marker != "replica-v2") ++failed;
      }
    });
  volume.update(payload("replica-v2"));
  const auto swapped = std::chrono::steady_clock::now();
  REQUIRE(eventually([&] { return everythingPublished(manager.port, broker.port(), "replica-v2"); }, kConverge));
  const auto published = std::chrono::steady_clock::now();
  std::vector<long> servedAfterMs;
  for (auto& r : replicas) {
    CHECK(eventually([&] { return servedMarker(r.port) == "replica-v2"; }, kConverge));
    servedAfterMs.push_back(static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - swapped).count()));
  }
  loading = false;
  for (auto& t : load) t.join();
  WARN("swap -> published " << std::chrono::duration_cast<std::chrono::milliseconds>(published - swapped).count()
                             << " ms; swap -> served by replica 1/2/3 (observed, cumulative): " << servedAfterMs[0]
                             << " / " << servedAfterMs[1] << " / " << servedAfterMs[2] << " ms; " << sent
                             << " requests, " << failed << " failed");
  CHECK(sent > 100);
  CHECK(failed == 0);
  for (auto& r : replicas) CHECK(r.process.running());
}
