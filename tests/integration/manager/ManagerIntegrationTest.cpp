#include <sys/stat.h>

#include <csignal>
#include <filesystem>
#include <set>
#include <iostream>

#include <catch2/catch.hpp>

#include "Harness.h"
#include "KubeletVolume.h"

using namespace manager_it;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::string kConsumer = "Secret-Manager-Controller";
const std::string kAws = "AWS-Secrets-Manager";
const std::string kGcp = "GCP-Secret-Manager";

std::map<std::string, std::string> twoPacts(const std::string& awsPath = "/aws") {
  return {{"aws.json", pactJson(kConsumer, kAws, awsPath).dump(2)}, {"gcp.json", pactJson(kConsumer, kGcp, "/gcp").dump(2)}};
}

bool servedPath(Broker& broker, const std::string& provider, const std::string& path) {
  auto r = broker.latest(provider, kConsumer);
  if (r.status != 200) return false;
  auto interactions = interactionsOf(r.body);
  return interactions.is_array() && !interactions.empty() && interactions[0]["request"]["path"] == path;
}

}  // namespace

TEST_CASE("Manager: waits for the broker, publishes, follows ConfigMap swaps and broker restarts",
          "[integration][manager]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "pacts");
  volume.update(twoPacts());
  std::string flag = tmp / "published";
  Broker broker(freePort());
  Manager manager(broker, volume.mountDir(), flag);

  // Broker not up yet: alive, not ready, no flag.
  CHECK(manager.get("/liveness").status == 200);
  auto notReady = manager.get("/ready");
  CHECK(notReady.status == 503);
  CHECK(json::parse(notReady.body)["broker_healthy"] == false);
  CHECK(manager.get("/readiness").status == 503);
  CHECK_FALSE(fs::exists(flag));

  broker.start();
  REQUIRE(eventually([&] { return manager.get("/ready").status == 200; }, 10s));
  auto ready = manager.ready();
  CHECK(ready["status"] == "ready");
  CHECK(ready["broker_healthy"] == true);
  CHECK(ready["pacts_published"] == true);
  CHECK(ready["published_providers"] == json::array({kAws, kGcp}));
  CHECK(ready["providers"][kAws]["version"] == "main-abc123");
  CHECK(ready["providers"][kAws]["consumers"] == json::array({kConsumer}));
  CHECK(ready["errors"].empty());
  CHECK(fs::exists(flag));
  auto latest = broker.latest(kAws, kConsumer);
  REQUIRE(latest.status == 200);
  CHECK(latest.header("x-pact-consumer-version") == "main-abc123");
  CHECK(interactionsOf(latest.body) == pactJson(kConsumer, kAws, "/aws")["interactions"]);
  auto providerReady = manager.get("/providers/" + kAws + "/ready");
  CHECK(providerReady.status == 200);
  CHECK(json::parse(providerReady.body)["ready"] == true);
  std::uint64_t generation = ready["generation"];

  SECTION("an atomic ..data swap is re-published within 1 s, under a new version (no 409)") {
    auto start = std::chrono::steady_clock::now();
    volume.update(twoPacts("/aws-v2"));
    REQUIRE(eventually([&] { return servedPath(broker, kAws, "/aws-v2"); }, 5s));
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::cout << "[measure] ConfigMap swap -> new pact served by the broker: " << elapsed.count() << " ms" << std::endl;
    CHECK(elapsed < 1000ms);
    REQUIRE(eventually([&] { return manager.ready()["generation"].get<std::uint64_t>() > generation; }, 2s));
    auto after = manager.ready();
    CHECK(after["status"] == "ready");
    CHECK_THAT(after["providers"][kAws]["version"].get<std::string>(), Catch::StartsWith("main-abc123+"));
    CHECK(after["providers"][kGcp]["version"] == "main-abc123");  // unchanged: not re-published
    CHECK(after["errors"].empty());
    CHECK(manager.process().output().find("409 Conflict") == std::string::npos);

    // Back to the first content: it must become the latest again.
    volume.update(twoPacts("/aws"));
    CHECK(eventually([&] { return servedPath(broker, kAws, "/aws"); }, 5s));
  }

  SECTION("a removed file is no longer published; a bad file is reported and skipped") {
    auto payload = twoPacts();
    payload.erase("gcp.json");
    payload["bad.json"] = "{\"consumer\":";
    payload["empty.json"] = R"({"consumer":{"name":"C"},"provider":{"name":"Azure-Key-Vault"},"interactions":[]})";
    volume.update(payload);
    REQUIRE(eventually([&] { return manager.get("/providers/" + kGcp + "/ready").status == 503; }, 5s));
    auto r = manager.ready();
    CHECK(r["published_providers"] == json::array({kAws}));
    CHECK(r["status"] == "ready");
    std::set<std::string> badFiles;
    for (const auto& e : r["errors"]) badFiles.insert(e.value("file", ""));
    CHECK(badFiles == std::set<std::string>{"bad.json", "empty.json"});
    CHECK(manager.process().output().find("bad.json") != std::string::npos);
  }

  SECTION("a broker that restarts empty gets everything re-published") {
    broker.kill();
    REQUIRE(eventually([&] { return manager.ready()["broker_healthy"] == false; }, 5s));
    CHECK(manager.get("/readiness").status == 503);
    CHECK(eventually([&] { return !fs::exists(flag); }, 3s));
    broker.start();  // same port, no data
    REQUIRE(eventually([&] { return servedPath(broker, kAws, "/aws") && servedPath(broker, kGcp, "/gcp"); }, 10s));
    CHECK(eventually([&] { return manager.get("/ready").status == 200; }, 5s));
    CHECK(eventually([&] { return fs::exists(flag); }, 3s));
  }

  SECTION("SIGTERM: clean exit 0 within a few seconds") {
    auto start = std::chrono::steady_clock::now();
    manager.process().terminate();
    auto code = manager.process().waitForExit(5s);
    REQUIRE(code);
    CHECK(*code == 0);
    std::cout << "[measure] manager SIGTERM -> exit: "
              << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count()
              << " ms" << std::endl;
  }
}

TEST_CASE("Manager: a missing ConfigMap directory is watched until it appears", "[integration][manager]") {
  TempDir tmp;
  Broker broker(freePort());
  broker.start();
  std::string mount = tmp / "not-yet/pacts";
  Manager manager(broker, mount, tmp / "flag");
  REQUIRE(eventually([&] { return manager.ready()["broker_healthy"] == true; }, 5s));
  CHECK(manager.ready()["published_providers"].empty());
  KubeletVolume volume(mount);  // creates the directories
  volume.update(twoPacts());
  CHECK(eventually([&] { return manager.ready()["published_providers"].size() == 2; }, 5s));
  CHECK(servedPath(broker, kAws, "/aws"));
}

TEST_CASE("Manager: content changed under an already published version does not end in 409",
          "[integration][manager]") {
  TempDir tmp;
  std::uint16_t port = freePort();
  Broker broker(port, tmp / "broker-data");
  broker.start();
  KubeletVolume volume(tmp / "pacts");
  volume.update(twoPacts());
  {
    Manager first(broker, volume.mountDir(), tmp / "flag");
    REQUIRE(eventually([&] { return first.get("/ready").status == 200; }, 10s));
    CHECK(first.process().stop() == 0);
  }
  // A new manager process (same commit) meets the broker's old content under main-abc123.
  volume.update(twoPacts("/aws-edited"));
  Manager second(broker, volume.mountDir(), tmp / "flag");
  REQUIRE(eventually([&] { return second.get("/ready").status == 200; }, 10s));
  CHECK(servedPath(broker, kAws, "/aws-edited"));
  auto r = second.ready();
  CHECK(r["errors"].empty());
  CHECK_THAT(r["providers"][kAws]["version"].get<std::string>(), Catch::StartsWith("main-abc123+"));
}

TEST_CASE("Manager: bad environment exits 2 naming the variable; --print-config hides secrets",
          "[integration][manager]") {
  ProcessOptions o;
  o.executable = builtExecutable("manager");
  o.env = {{"HEALTH_PORT", "not-a-port"}};
  auto bad = TestProcess::start(o);
  auto code = bad.waitForExit(5s);
  REQUIRE(code);
  CHECK(*code == 2);
  CHECK(bad.output().find("HEALTH_PORT") != std::string::npos);

  o.env = {{"BROKER_USERNAME", "pact"}, {"BROKER_PASSWORD", "sup3rsecret"}, {"HEALTH_PORT", "1299"}};
  o.args = {"--print-config"};
  auto print = TestProcess::start(o);
  REQUIRE(print.waitForExit(5s) == 0);
  auto config = json::parse(print.output());
  CHECK(config["health"]["port"] == 1299);
  CHECK(config["env"]["BROKER_PASSWORD"] == "***");
  CHECK(print.output().find("sup3rsecret") == std::string::npos);

  o.args = {"--version"};
  auto version = TestProcess::start(o);
  REQUIRE(version.waitForExit(5s) == 0);
  CHECK(version.output().rfind("manager ", 0) == 0);
}

TEST_CASE("Manager: publish failures are reported and retried, never fatal", "[integration][manager]") {
  TempDir tmp;
  Broker broker(freePort());
  broker.start();
  KubeletVolume volume(tmp / "pacts");
  volume.update(twoPacts());
  Manager manager(broker, volume.mountDir(), tmp / "flag", {{"BROKER_PASSWORD", "wrong"}});
  REQUIRE(eventually([&] { return manager.ready()["errors"].size() == 2; }, 5s));
  auto r = manager.ready();
  CHECK(r["status"] == "not_ready");
  CHECK(r["broker_healthy"] == true);
  CHECK(r["pacts_published"] == false);
  CHECK_THAT(r["errors"][0]["reason"].get<std::string>(), Catch::Contains("401"));
  CHECK_FALSE(fs::exists(tmp / "flag"));
  CHECK(manager.process().waitForOutput("retrying publication", 5s));
  CHECK(manager.process().running());
}
