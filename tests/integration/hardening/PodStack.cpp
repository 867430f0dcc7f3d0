#include "PodStack.h"

#include <filesystem>
#include <stdexcept>

namespace pactmocks::hardening {

using namespace std::chrono_literals;
using nlohmann::json;
namespace ts = pactmocks::testsupport;

namespace {
constexpr const char* kMarkerPrefix = " #marker=";
}  // namespace

ts::TestProcess startBroker(const BrokerOptions& options) {
  ts::BrokerProcessOptions standin{options.port, options.dataDir, "", ""};
  if (options.auth) {
    standin.username = kBrokerUser;
    standin.password = kBrokerPassword;
  }
  return ts::startBrokerProcess(standin).process;
}

ManagerUnderTest startManager(const ManagerOptions& options, std::uint16_t healthPort) {
  ts::ManagerProcessOptions manager;
  manager.brokerUrl = "http://127.0.0.1:" + std::to_string(options.brokerPort);
  manager.username = kBrokerUser;
  manager.password = options.password;
  manager.configMapPath = options.configMapPath;
  manager.healthPort = healthPort;
  manager.gitCommit = "hardening";
  manager.env = {{"BROKER_TIMEOUT_SECONDS", "1"}, {"RESCAN_INTERVAL_SECONDS", "2"}, {"DEBOUNCE_MS", "100"}};
  for (const auto& [k, v] : options.extraEnv) manager.env[k] = v;
  return ts::startManagerProcess(manager);
}

ts::ServerProcess startDirMock(const std::string& binary, const std::string& pactsDir,
                               std::map<std::string, std::string> env) {
  env["PACTS_DIR"] = pactsDir;
  env.emplace("LOG_LEVEL", "debug");
  return ts::startServingMock(binary, std::move(env));
}

bool Ready::hasProvider(const std::string& provider) const {
  if (!body.contains("published_providers")) return false;
  for (const auto& p : body["published_providers"])
    if (p == provider) return true;
  return false;
}

Ready getReady(std::uint16_t managerPort) {
  auto reply = ts::getJsonReply(managerPort, "/ready", 3s);
  return Ready{reply.status, std::move(reply.body)};
}

std::optional<json> brokerLatest(std::uint16_t brokerPort, const std::string& provider, const std::string& consumer) {
  auto reply = ts::getJsonReply(brokerPort, "/pacts/provider/" + provider + "/consumer/" + consumer + "/latest", 3s);
  if (reply.status != 200 || reply.body.is_null()) return std::nullopt;
  return std::move(reply.body);
}

bool allPublished(std::uint16_t managerPort, std::uint16_t brokerPort) {
  auto ready = getReady(managerPort);
  if (!ready.ready()) return false;
  for (const char* provider : kProviders) {
    if (!ready.hasProvider(provider) || !brokerLatest(brokerPort, provider, kConsumer)) return false;
  }
  return true;
}

std::size_t scansWithWork(const ts::TestProcess& manager) {
  return manager.outputCount(" to publish") - manager.outputCount("valid, 0 to publish");
}

std::map<std::string, std::string> examplePayload() {
  std::map<std::string, std::string> payload;
  for (const auto& entry : std::filesystem::directory_iterator(ts::examplePactsDir())) {
    if (entry.path().extension() == ".json") payload[entry.path().filename().string()] = ts::readFile(entry.path().string());
  }
  return payload;
}

std::string withMarker(const std::string& pactJson, const std::string& marker) {
  json pact = json::parse(pactJson);
  auto& description = pact["interactions"][0]["description"];
  std::string text = description.get<std::string>();
  if (auto at = text.find(kMarkerPrefix); at != std::string::npos) text.erase(at);
  description = text + kMarkerPrefix + marker;
  return pact.dump(2);
}

std::string brokerMarker(std::uint16_t brokerPort, const std::string& provider) {
  auto pact = brokerLatest(brokerPort, provider, kConsumer);
  if (!pact) return {};
  // The broker may reorder interactions: look at every description.
  for (const auto& interaction : (*pact)["interactions"]) {
    const std::string text = interaction.value("description", "");
    if (auto at = text.find(kMarkerPrefix); at != std::string::npos) return text.substr(at + std::string(kMarkerPrefix).size());
  }
  return {};
}

}  // namespace pactmocks::hardening
