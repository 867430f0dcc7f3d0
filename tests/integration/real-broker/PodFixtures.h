#pragma once
// What the real-broker pod cases share: the example ConfigMap with a probe interaction, the
// manager and the mocks (broker mode) on a real broker, and the conditions they wait for.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "JsonHttp.h"
#include "PodProcesses.h"
#include "PodStack.h"
#include "RealBroker.h"
#include "TestProcess.h"

namespace pactmocks::realbroker {

using namespace std::chrono_literals;

// The real broker's first publications take a while (Ruby, SQLite): generous, but bounded.
inline constexpr auto kConverge = 60s;
inline const std::string kSecondConsumer = "Another-Controller";

// The example pacts plus a probe interaction (GET /real-broker-probe → {"marker": marker}) in
// each, and a second consumer of the AWS provider.
std::map<std::string, std::string> payload(const std::string& marker);

hardening::ManagerUnderTest startManagerOn(const testsupport::RealBroker& broker, const std::string& configMap,
                                           const std::string& password, const std::string& commit);

using BrokerModeMock = testsupport::ServerProcess;
// `reloadIntervalSeconds`: the fallback poll of the manager; empty = the mock's default (5 s).
BrokerModeMock startBrokerModeMock(const std::string& provider, const testsupport::RealBroker& broker,
                                   std::uint16_t managerPort, const std::string& reloadIntervalSeconds = "0.5");

// The mock's /health (an empty object when it does not answer JSON).
nlohmann::json health(std::uint16_t port);
// The probe's marker as the mock serves it, empty when it does not match.
std::string servedMarker(std::uint16_t port);
// /ready is 200, every provider is published and the broker serves `marker` for each.
bool everythingPublished(std::uint16_t managerPort, std::uint16_t brokerPort, const std::string& marker);
// False (with a warning) for an external broker, which a case cannot restart.
bool restartable(const testsupport::RealBroker& broker);

}  // namespace pactmocks::realbroker
