#pragma once
// Starting the pod's binaries as real processes on loopback: the broker stand-in, the manager
// and a mock server, each with the settings every test needs (loopback address, ports, short
// intervals), the caller's additions on top. The whole pod as a developer runs it: LocalPod.h.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "TestProcess.h"

namespace pactmocks::testsupport {

// http://127.0.0.1:<port>
inline std::string loopbackUrl(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

// A server process and the loopback port it serves on.
struct ServerProcess {
  TestProcess process;
  std::uint16_t port = 0;
  std::string url() const { return loopbackUrl(port); }
};

struct BrokerProcessOptions {
  std::uint16_t port = 0;   // 0: a free one; fixed to restart a broker in place
  std::string dataDir;      // empty: memory only (a restart comes back empty)
  std::string username;     // empty: no authentication
  std::string password;
};
// Returns once the heartbeat answers 200; throws with the stand-in's output when it does not.
ServerProcess startBrokerProcess(const BrokerProcessOptions& options);

struct ManagerProcessOptions {
  std::string brokerUrl;
  std::string username, password;
  std::string configMapPath;
  std::string publishedFlagPath;  // empty: next to the ConfigMap, named after the health port
  std::uint16_t healthPort = 0;   // 0: a free one
  std::string gitCommit = "test";
  std::map<std::string, std::string> env;  // added last: overrides any of the above
};
// Returns once /liveness answers 200; throws with the manager's output when it does not.
ServerProcess startManagerProcess(const ManagerProcessOptions& options);

// A mock binary ("aws-mock-server", "mock-webhook", ...) on a free loopback port with two loop
// threads and `env` (which may override PORT and THREADS); every mock setting not in `env` is removed from the inherited
// environment, so the runner's own configuration cannot leak in. Does not wait: see the next.
ServerProcess startMockProcess(const std::string& binary, std::map<std::string, std::string> env,
                               std::vector<std::string> args = {});
// The same, returning once /health answers 200 (throws with the output when it does not).
ServerProcess startServingMock(const std::string& binary, std::map<std::string, std::string> env,
                               std::vector<std::string> args = {});

// The source tree (PACTMOCKS_SOURCE_DIR), the build tree (PACTMOCKS_BINARY_DIR) and the example
// pacts (examples/pacts). Throw when the variable is not set (a test run outside ctest).
std::string sourceDir();
std::string binaryDir();
std::string examplePactsDir();

}  // namespace pactmocks::testsupport
