// The manager killed and restarted while the mock servers run: the mocks keep serving their last
// good contracts, and the manager comes back to the truth.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "PodStack.h"
#include "TestProcess.h"

using namespace pactmocks::hardening;
using namespace pactmocks::testsupport;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string kCreate =
    R"({"Name":"test-secret","SecretString":"x","ClientRequestToken":"1eb1bdf8-bf80-4749-9743-ebeae7188eaf"})";
const std::map<std::string, std::string> kCreateHeaders = {{"Content-Type", "application/x-amz-json-1.1"},
                                                           {"X-Amz-Target", "secretsmanager.CreateSecret"}};

ServerProcess startBrokerModeMock(std::uint16_t brokerPort, std::uint16_t managerPort) {
  return startMockProcess("aws-mock-server", {{"BROKER_URL", "http://127.0.0.1:" + std::to_string(brokerPort)},
                                              {"BROKER_USERNAME", kBrokerUser},
                                              {"BROKER_PASSWORD", kBrokerPassword},
                                              {"MANAGER_URL", "http://127.0.0.1:" + std::to_string(managerPort)},
                                              {"STARTUP_TIMEOUT_SECONDS", "30"},
                                              {"STARTUP_POLL_INTERVAL_SECONDS", "0.2"},
                                              {"RELOAD_INTERVAL_SECONDS", "0.5"},
                                              {"LOG_LEVEL", "debug"}});
}

json health(std::uint16_t port) {
  auto reply = httpGet(port, "/health", 3s);
  auto body = json::parse(reply.body, nullptr, false);
  return reply.status == 200 && body.is_object() ? body : json::object();
}

}  // namespace

TEST_CASE("manager killed and restarted while mocks run: mocks keep serving their contracts",
          "[hardening][faults]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  volume.update(examplePayload());
  const auto brokerPort = freePort();
  auto broker = startBroker({brokerPort, "", true});
  auto manager = startManager({brokerPort, volume.mountDir(), kBrokerPassword, {}});
  auto mock = startBrokerModeMock(brokerPort, manager.port);
  REQUIRE(eventually([&] { return health(mock.port).value("source", "") == "broker"; }, 30s));
  const auto interactions = health(mock.port).value("interactions", 0);
  CHECK(interactions > 0);
  CHECK(httpRequest(mock.port, "POST", "/", kCreate, kCreateHeaders).status == 200);

  manager.process.kill();
  manager.process.waitForExit(5s);
  // Several reload polls against a dead manager (each failed one is logged at debug level),
  // the contracts served after each.
  const auto checksBefore = mock.process.outputCount("reload check: ");
  for (std::size_t polls = 1; polls <= 5; ++polls) {
    REQUIRE(eventually([&] { return mock.process.outputCount("reload check: ") >= checksBefore + polls; }, 10s,
                       "another reload check against the dead manager"));
    auto h = health(mock.port);
    INFO(h.dump());
    REQUIRE(h.value("source", "") == "broker");
    REQUIRE(h.value("interactions", 0) == interactions);
    REQUIRE(httpRequest(mock.port, "POST", "/", kCreate, kCreateHeaders).status == 200);
  }

  manager = startManager({brokerPort, volume.mountDir(), kBrokerPassword, {}}, manager.port);
  CHECK(eventually([&] { return getReady(manager.port).ready(); }, 20s));
  // Restarted manager, same contracts: the mock keeps serving the same set (a change would show
  // within a reload interval or two, 0.5 s each).
  CHECK(holdsFor([&] { return health(mock.port).value("interactions", 0) == interactions; }, 1500ms,
                 "the same interactions served"));
  CHECK(httpRequest(mock.port, "POST", "/", kCreate, kCreateHeaders).status == 200);
  CHECK(mock.process.running());
}
