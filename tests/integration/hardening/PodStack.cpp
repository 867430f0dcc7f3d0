#include "PodStack.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace pactmocks::hardening {

using namespace std::chrono_literals;
using nlohmann::json;
namespace ts = pactmocks::testsupport;

namespace {
constexpr const char* kMarkerPrefix = " #marker=";

std::string sourceDir() {
  const char* source = std::getenv("PACTMOCKS_SOURCE_DIR");
  if (!source) throw std::runtime_error("PACTMOCKS_SOURCE_DIR is not set");
  return source;
}
}  // namespace

ts::TestProcess startBroker(const BrokerOptions& options) {
  ts::ProcessOptions p;
  p.executable = ts::builtExecutable("pact-broker-standin");
  p.args = {"--port", std::to_string(options.port), "--address", "127.0.0.1"};
  if (!options.dataDir.empty()) p.args.insert(p.args.end(), {"--data-dir", options.dataDir});
  if (options.auth) p.args.insert(p.args.end(), {"--username", kBrokerUser, "--password", kBrokerPassword});
  auto process = ts::TestProcess::start(std::move(p));
  // Right after a kill the port may still be held for a moment: the stand-in then exits; retry.
  if (!ts::waitForHttpStatus(options.port, "/diagnostic/status/heartbeat", 200, 10s)) {
    throw std::runtime_error("broker stand-in did not come up:\n" + process.output());
  }
  return process;
}

ManagerUnderTest startManager(const ManagerOptions& options, std::uint16_t healthPort) {
  ManagerUnderTest m;
  m.port = healthPort ? healthPort : ts::freePort();
  ts::ProcessOptions p;
  p.executable = ts::builtExecutable("manager");
  p.env = {
      {"BROKER_URL", "http://127.0.0.1:" + std::to_string(options.brokerPort)},
      {"BROKER_USERNAME", kBrokerUser},
      {"BROKER_PASSWORD", options.password},
      {"CONFIGMAP_PATH", options.configMapPath},
      {"HEALTH_ADDRESS", "127.0.0.1"},
      {"HEALTH_PORT", std::to_string(m.port)},
      {"PUBLISHED_FLAG_PATH", options.configMapPath + "-published-" + std::to_string(m.port)},
      {"GIT_BRANCH", "main"},
      {"GIT_COMMIT", "hardening"},
      {"BROKER_TIMEOUT_SECONDS", "1"},
      {"BROKER_WAIT_INTERVAL_SECONDS", "0.2"},
      {"BROKER_CHECK_INTERVAL_SECONDS", "0.5"},
      {"RESCAN_INTERVAL_SECONDS", "2"},
      {"DEBOUNCE_MS", "100"},
      {"LOG_LEVEL", "debug"},
  };
  for (const auto& [k, v] : options.extraEnv) p.env[k] = v;
  p.unsetEnv = {"BROKER_TOKEN"};
  m.process = ts::TestProcess::start(std::move(p));
  if (!ts::waitForHttpStatus(m.port, "/liveness", 200, 10s)) {
    throw std::runtime_error("manager did not serve /liveness:\n" + m.process.output());
  }
  return m;
}

bool Ready::hasProvider(const std::string& provider) const {
  if (!body.contains("published_providers")) return false;
  for (const auto& p : body["published_providers"])
    if (p == provider) return true;
  return false;
}

Ready getReady(std::uint16_t managerPort) {
  Ready r;
  auto reply = ts::httpGet(managerPort, "/ready", 3s);
  r.status = reply.status;
  r.body = json::parse(reply.body, nullptr, false);
  if (r.body.is_discarded()) r.body = json();
  return r;
}

std::optional<json> brokerLatest(std::uint16_t brokerPort, const std::string& provider, const std::string& consumer) {
  auto reply = ts::httpGet(brokerPort, "/pacts/provider/" + provider + "/consumer/" + consumer + "/latest", 3s);
  if (reply.status != 200) return std::nullopt;
  auto body = json::parse(reply.body, nullptr, false);
  if (body.is_discarded()) return std::nullopt;
  return body;
}

std::map<std::string, std::string> examplePayload() {
  std::map<std::string, std::string> payload;
  for (const auto& entry : std::filesystem::directory_iterator(sourceDir() + "/examples/pacts")) {
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
