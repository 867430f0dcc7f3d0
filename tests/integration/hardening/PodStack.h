#pragma once
// The hardening tests' conventions on top of tests/support/PodProcesses.h: the broker stand-in
// with a known password on a fixed port (so it can be killed and restarted in place), the
// manager watching a kubelet-style volume with short intervals (faults are noticed within a
// second or two), and what the tests read back from them.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "JsonHttp.h"
#include "KubeletVolume.h"
#include "PodProcesses.h"
#include "TestProcess.h"

namespace pactmocks::hardening {

inline constexpr const char* kBrokerUser = "pact";
inline constexpr const char* kBrokerPassword = "hardening-s3cret-PW";

struct BrokerOptions {
  std::uint16_t port = 0;    // fixed port (restart in place)
  std::string dataDir;       // empty: memory only (a restart comes back empty)
  bool auth = true;
};
testsupport::TestProcess startBroker(const BrokerOptions& options);

struct ManagerOptions {
  std::uint16_t brokerPort = 0;
  std::string configMapPath;
  std::string password = kBrokerPassword;
  std::map<std::string, std::string> extraEnv;
};
using ManagerUnderTest = testsupport::ServerProcess;
ManagerUnderTest startManager(const ManagerOptions& options, std::uint16_t healthPort = 0);

// A mock server in directory mode (PACTS_DIR) logging at debug level, once it serves /health.
testsupport::ServerProcess startDirMock(const std::string& binary, const std::string& pactsDir,
                                        std::map<std::string, std::string> env = {});

// GET /ready of the manager as JSON (null when it does not answer) and its status code.
struct Ready {
  int status = 0;
  nlohmann::json body;
  bool ready() const { return status == 200 && body.value("status", "") == "ready"; }
  bool hasProvider(const std::string& provider) const;
  std::string errorsText() const { return body.contains("errors") ? body["errors"].dump() : std::string(); }
};
Ready getReady(std::uint16_t managerPort);

// The latest pact the broker holds for provider/consumer, or nullopt (404, down).
std::optional<nlohmann::json> brokerLatest(std::uint16_t brokerPort, const std::string& provider,
                                           const std::string& consumer);

// /ready is 200 and the broker holds every example pact.
bool allPublished(std::uint16_t managerPort, std::uint16_t brokerPort);
// ConfigMap scans that found something to publish, counted in the manager's debug log.
std::size_t scansWithWork(const testsupport::TestProcess& manager);

// The three example pacts, file name → content.
std::map<std::string, std::string> examplePayload();
inline const std::string kConsumer = "Secret-Manager-Controller";
inline const char* const kProviders[] = {"AWS-Secrets-Manager", "GCP-Secret-Manager", "Azure-Key-Vault"};

// A copy of a pact with a marker in the first interaction's description, to tell versions apart.
std::string withMarker(const std::string& pactJson, const std::string& marker);
// The marker of the latest pact in the broker, empty if none.
std::string brokerMarker(std::uint16_t brokerPort, const std::string& provider);

}  // namespace pactmocks::hardening
