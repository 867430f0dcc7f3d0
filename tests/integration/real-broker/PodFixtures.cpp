#include "PodFixtures.h"

#include <catch2/catch.hpp>

using namespace pactmocks::hardening;
using namespace pactmocks::testsupport;
using nlohmann::json;

namespace pactmocks::realbroker {

namespace {
const std::map<std::string, std::string> kMockBinaries = {{"AWS-Secrets-Manager", "aws-mock-server"},
                                                          {"GCP-Secret-Manager", "gcp-mock-server"},
                                                          {"Azure-Key-Vault", "azure-mock-server"}};
}  // namespace

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


BrokerModeMock startBrokerModeMock(const std::string& provider, const RealBroker& broker, std::uint16_t managerPort,
                                   const std::string& reloadIntervalSeconds) {
  std::map<std::string, std::string> env = {{"BROKER_URL", broker.url()},
                                            {"MANAGER_URL", "http://127.0.0.1:" + std::to_string(managerPort)},
                                            {"STARTUP_POLL_INTERVAL_SECONDS", "0.2"},
                                            {"LOG_LEVEL", "debug"}};
  if (!reloadIntervalSeconds.empty()) env["RELOAD_INTERVAL_SECONDS"] = reloadIntervalSeconds;
  // No broker credentials: the mocks read the broker anonymously.
  return startMockProcess(kMockBinaries.at(provider), std::move(env));
}

json health(std::uint16_t port) {
  auto doc = getJson(port, "/health", 3s);
  return doc.is_object() ? doc : json::object();
}

// The probe's marker as the mock serves it, empty when it does not match.
std::string servedMarker(std::uint16_t port) {
  auto reply = getJsonReply(port, "/real-broker-probe", 3s);
  if (reply.status != 200 || !reply.body.is_object()) return {};
  return reply.body.value("marker", "");
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


}  // namespace pactmocks::realbroker
