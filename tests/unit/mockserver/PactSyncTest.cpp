// PactSync in directory mode, in process: loads and reloads run on its worker; a reload's
// callback gets the outcome from there, and no request is left unanswered at stop().
#include <catch2/catch.hpp>

#include <filesystem>
#include <future>

#include "TestPacts.h"
#include "TestProcess.h"
#include "mockserver/PactSync.h"

using namespace pactmocks;
using namespace pactmocks::mockserver;
using namespace std::chrono_literals;
using pactmocks::mockserver::testing::smallPact;

namespace {

ReloadOutcome reloadAndWait(PactSync& sync) {
  auto promise = std::make_shared<std::promise<ReloadOutcome>>();
  auto answer = promise->get_future();
  sync.reloadAsync([promise](ReloadOutcome outcome) { promise->set_value(std::move(outcome)); });
  REQUIRE(answer.wait_for(10s) == std::future_status::ready);
  return answer.get();
}

}  // namespace

TEST_CASE("directory mode: reloads are answered by the worker with their outcome", "[sync][reload]") {
  testsupport::TempDir dir;
  testsupport::writeFile(dir / "azure.json", smallPact("Azure-Key-Vault"));
  MockConfig config;
  config.provider = "Azure-Key-Vault";
  config.pactsDir = dir.path();
  config.reloadInterval = 3600s;  // only reloads wake the worker here
  const std::string defaultPact = smallPact("Azure-Key-Vault", "Default");
  PactStore store;
  MockMetrics metrics;
  http::EventLoop loop(1);  // not run: the watcher's callbacks never come
  PactSync sync(config, defaultPact, store, metrics);
  sync.start(loop);
  REQUIRE(store.current());
  CHECK(store.current()->source == PactSource::Directory);
  CHECK(store.current()->index.size() == 3);

  testsupport::writeFile(dir / "second.json", smallPact("Azure-Key-Vault", "Second"));
  auto reloaded = reloadAndWait(sync);
  CHECK(reloaded.loaded.ok());
  REQUIRE(reloaded.serving);
  CHECK(reloaded.serving->index.size() == 6);
  CHECK(store.status().reloads == 1);

  SECTION("a failed reload keeps the last good contracts and says why") {
    std::filesystem::remove(dir / "azure.json");
    std::filesystem::remove(dir / "second.json");
    testsupport::writeFile(dir / "broken.json", "{ not json");
    auto failed = reloadAndWait(sync);
    REQUIRE_FALSE(failed.loaded.ok());
    CHECK_THAT(failed.loaded.error(), Catch::Contains("broken.json"));
    REQUIRE(failed.serving);
    CHECK(failed.serving->index.size() == 6);
    CHECK(store.status().failedReloads == 1);
  }
  SECTION("after stop() a reload is answered at once with an error") {
    sync.stop();
    auto refused = reloadAndWait(sync);
    CHECK_FALSE(refused.loaded.ok());
  }
}

TEST_CASE("directory mode: no usable pact serves the default contract", "[sync]") {
  testsupport::TempDir dir;
  MockConfig config;
  config.provider = "Azure-Key-Vault";
  config.pactsDir = dir.path();
  config.reloadInterval = 3600s;
  const std::string defaultPact = smallPact("Azure-Key-Vault", "Default");
  PactStore store;
  MockMetrics metrics;
  http::EventLoop loop(1);
  PactSync sync(config, defaultPact, store, metrics);
  sync.start(loop);
  REQUIRE(store.current());
  CHECK(store.current()->source == PactSource::Default);
  CHECK_FALSE(store.status().lastError.empty());
  // A real contract replaces the default at the next load.
  testsupport::writeFile(dir / "azure.json", smallPact("Azure-Key-Vault"));
  CHECK(reloadAndWait(sync).serving->source == PactSource::Directory);
}
