#include "MockUnderTest.h"

#include <cstdlib>
#include <stdexcept>

namespace pactmocks::hardening {

using namespace std::chrono_literals;

MockUnderTest startMock(const std::string& binary, const std::string& pactsDir, std::map<std::string, std::string> env) {
  MockUnderTest mock;
  mock.port = testsupport::freePort();
  env["PORT"] = std::to_string(mock.port);
  env["PACTS_DIR"] = pactsDir;
  env["BIND_ADDRESS"] = "127.0.0.1";
  if (!env.count("LOG_LEVEL")) env["LOG_LEVEL"] = "debug";
  testsupport::ProcessOptions options;
  options.executable = testsupport::builtExecutable(binary);
  options.env = std::move(env);
  // The test's own broker settings must not leak in from the environment.
  options.unsetEnv = {"BROKER_URL", "BROKER_USERNAME", "BROKER_PASSWORD", "BROKER_TOKEN", "MANAGER_URL"};
  mock.process = testsupport::TestProcess::start(std::move(options));
  if (!testsupport::waitForHttpStatus(mock.port, "/health", 200, 15s)) {
    throw std::runtime_error(binary + " did not serve /health; output:\n" + mock.process.output());
  }
  return mock;
}

std::string examplePactsDir() {
  const char* source = std::getenv("PACTMOCKS_SOURCE_DIR");
  if (!source) throw std::runtime_error("PACTMOCKS_SOURCE_DIR is not set");
  return std::string(source) + "/examples/pacts";
}

}  // namespace pactmocks::hardening
