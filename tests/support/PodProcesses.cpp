#include "PodProcesses.h"

#include <cstdlib>
#include <stdexcept>
#include <utility>

namespace pactmocks::testsupport {

using namespace std::chrono_literals;

namespace {
// How long a starting process may take to answer (a loaded machine runs several test binaries).
constexpr auto kStartTimeout = 15s;
}  // namespace

ServerProcess startBrokerProcess(const BrokerProcessOptions& options) {
  ServerProcess broker;
  broker.port = options.port ? options.port : freePort();
  ProcessOptions p;
  p.executable = builtExecutable("pact-broker-standin");
  p.args = {"--port", std::to_string(broker.port), "--address", "127.0.0.1"};
  if (!options.dataDir.empty()) p.args.insert(p.args.end(), {"--data-dir", options.dataDir});
  if (!options.username.empty()) p.args.insert(p.args.end(), {"--username", options.username, "--password", options.password});
  // Right after a kill the fixed port may still be held for a moment: the stand-in then exits
  // at once, and is started again until the deadline.
  std::string outputs;
  const bool up = eventually(
      [&] {
        if (!broker.process.running()) {
          if (broker.process.pid() > 0) outputs += broker.process.output();
          broker.process = TestProcess::start(p);
        }
        return httpGet(broker.port, "/diagnostic/status/heartbeat", 1s).status == 200;
      },
      kStartTimeout);
  if (!up) throw std::runtime_error("broker stand-in did not come up:\n" + outputs + broker.process.output());
  return broker;
}

ServerProcess startManagerProcess(const ManagerProcessOptions& options) {
  ServerProcess manager;
  manager.port = options.healthPort ? options.healthPort : freePort();
  ProcessOptions p;
  p.executable = builtExecutable("manager");
  p.env = {
      {"BROKER_URL", options.brokerUrl},
      {"BROKER_USERNAME", options.username},
      {"BROKER_PASSWORD", options.password},
      {"CONFIGMAP_PATH", options.configMapPath},
      {"PUBLISHED_FLAG_PATH", options.publishedFlagPath.empty()
                                  ? options.configMapPath + "-published-" + std::to_string(manager.port)
                                  : options.publishedFlagPath},
      {"HEALTH_ADDRESS", "127.0.0.1"},
      {"HEALTH_PORT", std::to_string(manager.port)},
      {"GIT_BRANCH", "main"},
      {"GIT_COMMIT", options.gitCommit},
      {"BROKER_WAIT_INTERVAL_SECONDS", "0.2"},
      {"BROKER_CHECK_INTERVAL_SECONDS", "0.5"},
      {"LOG_LEVEL", "debug"},
  };
  for (const auto& [k, v] : options.env) p.env[k] = v;
  p.unsetEnv = {"BROKER_TOKEN"};
  manager.process = TestProcess::start(std::move(p));
  if (!waitForHttpStatus(manager.port, "/liveness", 200, kStartTimeout))
    throw std::runtime_error("manager did not serve /liveness:\n" + manager.process.output());
  return manager;
}

ServerProcess startMockProcess(const std::string& binary, std::map<std::string, std::string> env,
                               std::vector<std::string> args) {
  ServerProcess mock;
  mock.port = freePort();
  env.emplace("PORT", std::to_string(mock.port));
  env.emplace("BIND_ADDRESS", "127.0.0.1");
  env.emplace("THREADS", "2");  // a small pod's share, whatever the test machine's CPU count
  if (auto it = env.find("PORT"); it != env.end()) mock.port = static_cast<std::uint16_t>(std::stoi(it->second));
  ProcessOptions p;
  p.executable = builtExecutable(binary);
  p.args = std::move(args);
  p.env = std::move(env);
  p.unsetEnv = {"PACTS_DIR",       "BROKER_URL",     "BROKER_USERNAME",         "BROKER_PASSWORD",
                "BROKER_TOKEN",    "MANAGER_URL",    "PROVIDER_NAME",           "CONSUMER_NAME",
                "RELOAD_INTERVAL_SECONDS"};
  mock.process = TestProcess::start(std::move(p));
  return mock;
}

ServerProcess startServingMock(const std::string& binary, std::map<std::string, std::string> env,
                               std::vector<std::string> args) {
  auto mock = startMockProcess(binary, std::move(env), std::move(args));
  if (!waitForHttpStatus(mock.port, "/health", 200, kStartTimeout))
    throw std::runtime_error(binary + " did not serve /health; output:\n" + mock.process.output());
  return mock;
}

namespace {
std::string dirFromEnv(const char* name) {
  const char* dir = std::getenv(name);
  if (!dir || !*dir) throw std::runtime_error(std::string(name) + " is not set (run the test through ctest)");
  return dir;
}
}  // namespace

std::string sourceDir() { return dirFromEnv("PACTMOCKS_SOURCE_DIR"); }
std::string binaryDir() { return dirFromEnv("PACTMOCKS_BINARY_DIR"); }

std::string examplePactsDir() { return sourceDir() + "/examples/pacts"; }

}  // namespace pactmocks::testsupport
