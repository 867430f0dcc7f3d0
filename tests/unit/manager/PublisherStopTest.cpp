// Stopping the publisher while the broker hangs: the pass ends after the call in flight instead
// of running every remaining call into its timeout.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "HungPeer.h"
#include "ManagerStatus.h"
#include "Publisher.h"
#include "TestProcess.h"

using namespace pactmocks::manager;
using namespace pactmocks::testsupport;
using namespace std::chrono_literals;

namespace {

using HungBroker = HungPeer;  // accepts connections, never answers

std::string pactJson(const std::string& provider) {
  return R"({"consumer":{"name":"C"},"provider":{"name":")" + provider +
         R"("},"interactions":[{"description":"d","request":{"method":"GET","path":"/a"},"response":{"status":200}}],)"
         R"("metadata":{"pactSpecification":{"version":"3.0.0"}}})";
}

}  // namespace

TEST_CASE("Publisher: stop ends a pass after the broker call in flight", "[manager][publisher]") {
  HungBroker broker;
  TempDir dir;
  const std::string pacts = dir / "pacts";
  std::filesystem::create_directories(pacts);
  constexpr int kPacts = 20;
  for (int i = 0; i < kPacts; ++i) writeFile(pacts + "/p" + std::to_string(i) + ".json", pactJson("P" + std::to_string(i)));

  ManagerConfig config;
  config.brokerUrl = "http://127.0.0.1:" + std::to_string(broker.port());
  config.brokerTimeout = 300ms;  // each hung call; without the stop check the pass has ~20 more
  config.configMapPath = pacts;
  config.publishedFlagPath = dir / "flag";
  ManagerStatus status;
  status.setBrokerHealth(true, "");
  Publisher publisher(config, status);
  publisher.start();
  publisher.requestRescan();
  // The webhook listing, then the first publication: the pass is under way.
  REQUIRE(eventually([&] { return broker.accepted() >= 2; }, 10s));

  const int atStop = broker.accepted();
  const auto started = std::chrono::steady_clock::now();
  publisher.stop();
  const auto took = std::chrono::steady_clock::now() - started;
  // At most the call in flight, and the one that may have begun meanwhile.
  CHECK(broker.accepted() <= atStop + 1);
  CHECK(took < 2s);  // the remaining calls would take about kPacts × 300 ms
  CHECK_FALSE(status.snapshot().pactsPublished);
}
