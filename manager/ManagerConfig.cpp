#include "ManagerConfig.h"

#include <nlohmann/json.hpp>

#include "ManagerVersion.h"
#include "core/Usage.h"
#include "http/HttpClient.h"

namespace pactmocks::manager {

namespace {

std::string absolutePath(const EnvConfig& env, const std::string& name, const std::string& fallback) {
  std::string v = env.string(name, fallback);
  if (v.front() != '/') throw ConfigError(name, "\"" + v + "\" is not an absolute path");
  while (v.size() > 1 && v.back() == '/') v.pop_back();
  return v;
}

// Branch and commit end up in a broker URL path segment and a version string.
std::string versionPart(const EnvConfig& env, const std::string& name, const std::string& fallback) {
  std::string v = env.string(name, fallback);
  for (unsigned char c : v)
    if (c < 0x21 || c == 0x7f) throw ConfigError(name, "\"" + v + "\" contains whitespace or control characters");
  return v;
}

}  // namespace

ManagerConfig ManagerConfig::fromEnv(const EnvConfig& env) {
  ManagerConfig c;
  c.brokerUrl = http::urlFromEnv(env, "BROKER_URL", c.brokerUrl);
  c.brokerUsername = env.string("BROKER_USERNAME", "");
  c.brokerPassword = env.string("BROKER_PASSWORD", "");
  if (!c.brokerPassword.empty() && c.brokerUsername.empty())
    throw ConfigError("BROKER_USERNAME", "is required when BROKER_PASSWORD is set");
  c.brokerToken = env.string("BROKER_TOKEN", "");
  c.brokerHealthPath = env.string("BROKER_HEALTH_PATH", c.brokerHealthPath);
  if (c.brokerHealthPath.front() != '/')
    throw ConfigError("BROKER_HEALTH_PATH", "\"" + c.brokerHealthPath + "\" must start with /");
  c.brokerTimeout = env.seconds("BROKER_TIMEOUT_SECONDS", 5, 0.1, 300);
  c.configMapPath = absolutePath(env, "CONFIGMAP_PATH", c.configMapPath);
  c.configMapName = env.string("CONFIGMAP_NAME", c.configMapName);
  c.kubernetesNamespace = env.string("NAMESPACE", "");
  c.gitBranch = versionPart(env, "GIT_BRANCH", c.gitBranch);
  c.gitCommit = versionPart(env, "GIT_COMMIT", c.gitCommit);
  c.healthAddress = env.ipAddress("HEALTH_ADDRESS", c.healthAddress);
  c.healthPort = env.port("HEALTH_PORT", c.healthPort);
  c.publishedFlagPath = absolutePath(env, "PUBLISHED_FLAG_PATH", c.publishedFlagPath);
  c.debounce = std::chrono::milliseconds(env.integer("DEBOUNCE_MS", 200, 0, 60'000));
  c.rescanInterval = env.seconds("RESCAN_INTERVAL_SECONDS", 60, 1, 86'400);
  c.brokerWaitInterval = env.seconds("BROKER_WAIT_INTERVAL_SECONDS", 2, 0.1, 3600);
  c.brokerCheckInterval = env.seconds("BROKER_CHECK_INTERVAL_SECONDS", 30, 0.1, 3600);
  const std::string mockUrls = env.string("MOCK_URLS", std::string(kDefaultMockUrls));
  auto mocks = parseMockUrls(mockUrls);
  if (!mocks) {
    const std::string prefix = "MOCK_URLS: ";
    const std::string& error = mocks.error();
    throw ConfigError("MOCK_URLS", error.starts_with(prefix) ? error.substr(prefix.size()) : error);
  }
  c.mocks = std::move(*mocks);
  c.mockTimeout = env.seconds("MOCK_TIMEOUT_SECONDS", 2, 0.1, 30);
  c.log = LogSettings::fromEnv(env, "manager");
  return c;
}

nlohmann::json ManagerConfig::toJson() const {
  auto secret = [](const std::string& v) { return v.empty() ? nlohmann::json("") : nlohmann::json("***"); };
  auto seconds = [](std::chrono::milliseconds d) { return static_cast<double>(d.count()) / 1000.0; };
  std::string mockUrls;
  for (const auto& m : mocks) mockUrls += (mockUrls.empty() ? "" : ",") + m.name + "=" + m.url;
  return {
      {"component", "manager"},
      {"version", kManagerVersion},
      {"health", {{"address", healthAddress},
                  {"port", healthPort},
                  {"paths", {{"liveness", "/liveness"}, {"readiness", "/readiness"}, {"ready", "/ready"},
                             {"health", "/health"}, {"providers", "/providers"},
                             {"provider_ready", "/providers/{provider}/ready"}, {"coverage", "/coverage"},
                             {"status_page", "/"}}}}},
      {"consumer_version", baseVersion()},
      {"env",
       {{"BROKER_URL", brokerUrl},
        {"BROKER_USERNAME", brokerUsername},
        {"BROKER_PASSWORD", secret(brokerPassword)},
        {"BROKER_TOKEN", secret(brokerToken)},
        {"BROKER_HEALTH_PATH", brokerHealthPath},
        {"BROKER_TIMEOUT_SECONDS", seconds(brokerTimeout)},
        {"BROKER_WAIT_INTERVAL_SECONDS", seconds(brokerWaitInterval)},
        {"BROKER_CHECK_INTERVAL_SECONDS", seconds(brokerCheckInterval)},
        {"CONFIGMAP_PATH", configMapPath},
        {"CONFIGMAP_NAME", configMapName},
        {"NAMESPACE", kubernetesNamespace},
        {"GIT_BRANCH", gitBranch},
        {"GIT_COMMIT", gitCommit},
        {"HEALTH_ADDRESS", healthAddress},
        {"HEALTH_PORT", healthPort},
        {"PUBLISHED_FLAG_PATH", publishedFlagPath},
        {"DEBOUNCE_MS", debounce.count()},
        {"RESCAN_INTERVAL_SECONDS", seconds(rescanInterval)},
        {"MOCK_URLS", mockUrls},
        {"MOCK_TIMEOUT_SECONDS", seconds(mockTimeout)},
        {"LOG_LEVEL", log.level},
        {"LOG_FORMAT", log.format}}},
  };
}

std::string helpText() {
  HelpText help;
  help.usage = "manager [--print-config] [--version] [--help]";
  help.description =
      "Publishes the pact files of a mounted ConfigMap to the Pact Broker and serves readiness for the\n"
      "mock servers (GET /liveness, /readiness, /ready, /providers/{provider}/ready); the pod's contract\n"
      "coverage (GET /coverage) and a status page (GET /). See docs/manager.md.";
  help.variables = {
      {"BROKER_URL", "Pact Broker base URL (http:// only; https is not supported yet)"},
      {"BROKER_USERNAME", "basic auth user for publishing"},
      {"BROKER_PASSWORD", "basic auth password (needs BROKER_USERNAME)"},
      {"BROKER_TOKEN", "bearer token, used instead of basic auth when set"},
      {"BROKER_HEALTH_PATH", "heartbeat path polled before publishing"},
      {"BROKER_TIMEOUT_SECONDS", "total timeout of one broker request (0.1-300)"},
      {"BROKER_WAIT_INTERVAL_SECONDS", "heartbeat interval while the broker is not healthy"},
      {"BROKER_CHECK_INTERVAL_SECONDS", "heartbeat interval while it is healthy"},
      {"CONFIGMAP_PATH", "mounted ConfigMap directory (absolute; may be missing)"},
      {"CONFIGMAP_NAME", "shown in logs and /ready"},
      {"NAMESPACE", "shown in logs and /ready"},
      {"GIT_BRANCH", "branch recorded for each consumer version"},
      {"GIT_COMMIT", "consumer version is {GIT_BRANCH}-{GIT_COMMIT} (+ a content hash on edits)"},
      {"HEALTH_ADDRESS", "numeric listen address of the health endpoints"},
      {"HEALTH_PORT", "port of the health endpoints"},
      {"PUBLISHED_FLAG_PATH", "file written once every valid pact is published (absolute)"},
      {"DEBOUNCE_MS", "quiet time after a burst of inotify events before a rescan"},
      {"RESCAN_INTERVAL_SECONDS", "safety-net rescan period"},
      {"MOCK_URLS", "the mocks GET /coverage and GET / ask: comma-separated name=http://host:port"},
      {"MOCK_TIMEOUT_SECONDS", "how long each mock may take to answer GET /coverage or GET / (0.1-30)"}};
  return formatHelp(help, ManagerConfig::fromEnv(EnvConfig({})).toJson()["env"]);
}

}  // namespace pactmocks::manager
