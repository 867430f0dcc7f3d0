#pragma once
// The manager's configuration, read from environment variables (see docs/manager.md).
// Pure: built from an EnvConfig; a bad value throws ConfigError naming the variable.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "CoverageMerge.h"
#include "core/EnvConfig.h"
#include "core/Logging.h"

namespace pactmocks::manager {

struct ManagerConfig {
  std::string brokerUrl = "http://localhost:9292";
  std::string brokerUsername, brokerPassword, brokerToken;
  std::string brokerHealthPath = "/diagnostic/status/heartbeat";
  std::chrono::milliseconds brokerTimeout{5000};
  std::string configMapPath = "/pacts-configmap";
  std::string configMapName = "pact-contracts";
  std::string kubernetesNamespace;
  std::string gitBranch = "main";
  std::string gitCommit = "unknown";
  std::string healthAddress = "0.0.0.0";
  std::uint16_t healthPort = 1238;
  std::string publishedFlagPath = "/tmp/pacts-published";
  std::chrono::milliseconds debounce{200};
  std::chrono::milliseconds rescanInterval{60'000};
  // Heartbeat cadence: fast until the broker first answers (and after it fails), slow while healthy.
  std::chrono::milliseconds brokerWaitInterval{2000};
  std::chrono::milliseconds brokerCheckInterval{30'000};
  // The mocks whose coverage GET /coverage and GET / show (MOCK_URLS), and how long each may take.
  std::vector<MockEndpoint> mocks;
  std::chrono::milliseconds mockTimeout{2000};
  LogSettings log;

  static ManagerConfig fromEnv(const EnvConfig& env);

  // `{GIT_BRANCH}-{GIT_COMMIT}`: the consumer version of a pact's first publication under this commit.
  std::string baseVersion() const { return gitBranch + "-" + gitCommit; }
  // The effective configuration for --print-config; secrets shown as "***" when set.
  nlohmann::json toJson() const;
};

// `manager --help`: flags, every variable with its default, exit codes.
std::string helpText();

}  // namespace pactmocks::manager
