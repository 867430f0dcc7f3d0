#pragma once
// Configuration of a mock server: environment variables (via EnvConfig) overridden by flags.
// Pure: tests build it from a map and an argument list. Errors throw ConfigError (exit 2).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/EnvConfig.h"
#include "http/HttpClient.h"
#include "mockserver/ProviderProfile.h"

namespace pactmocks::mockserver {

// What the command line asked for besides configuration.
struct CommandLine {
  std::optional<std::uint16_t> port;
  std::optional<std::string> pactsDir;
  bool printConfig = false;
  bool version = false;
  bool help = false;
};

// Throws ConfigError (variable "argv") on unknown flags or bad values.
CommandLine parseCommandLine(const std::vector<std::string>& args);

struct MockConfig {
  std::string provider;
  std::string component;
  std::uint16_t port = 0;
  std::string bindAddress = "0.0.0.0";
  std::string brokerUrl = "http://localhost:9292";
  http::Credentials brokerCredentials;
  std::string managerUrl = "http://localhost:1238";
  std::optional<std::string> consumerName;
  std::chrono::milliseconds startupTimeout{90'000};
  std::chrono::milliseconds startupPollInterval{2'000};
  std::chrono::milliseconds reloadInterval{5'000};
  std::optional<std::string> pactsDir;  // set: local mode (no broker, no manager)
  std::size_t maxBodyBytes = 4 * 1024 * 1024;
  std::size_t journalSize = 100;
  std::size_t journalMaxBytes = 4 * 1024 * 1024;
  unsigned threads = 0;  // 0 = one per usable CPU
  int noMatchStatus = 500;                                          // NO_MATCH_STATUS
  std::string azureTenantId = "00000000-0000-0000-0000-000000000000";  // AZURE_TENANT_ID (Key Vault challenge)
  bool bearerChallenge = false;  // AZURE_BEARER_CHALLENGE; defaults to the profile's (Azure: on)
  // HTTPS on a second port when TLS_PORT, TLS_CERT_FILE and TLS_KEY_FILE are all set.
  std::optional<std::uint16_t> tlsPort;
  std::string tlsCertFile, tlsKeyFile;
  std::chrono::milliseconds tlsReloadInterval{10'000};  // TLS_RELOAD_INTERVAL_SECONDS (0 = never)
  std::string logLevel = "info";
  std::string logFormat = "text";

  bool localMode() const { return pactsDir.has_value(); }

  static MockConfig load(const EnvConfig& env, const ProviderProfile& profile, const CommandLine& commandLine);
  // Effective configuration for --print-config; secrets are masked.
  nlohmann::json toJson() const;
};

// Every environment variable a mock server reads, for --print-config and docs.
const std::vector<std::string>& mockEnvironmentVariables();

// `--help`: flags, every variable with its default for this profile, exit codes.
std::string usageText(const ProviderProfile& profile);

}  // namespace pactmocks::mockserver
