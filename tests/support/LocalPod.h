#pragma once
// The whole pod started the way a developer starts it: scripts/run-local.sh with SKIP_BUILD=1 on
// this build tree, test-chosen loopback ports and a private run directory. The script runs in its
// own process group so that, whatever happens to the test, no component outlives it.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "TestProcess.h"

namespace pactmocks::testsupport {

struct PodPorts {
  std::uint16_t broker = 0, manager = 0, aws = 0, gcp = 0, azure = 0, webhook = 0;
  static PodPorts pickFree();  // six distinct ports that were free a moment ago
};

class LocalPod {
 public:
  LocalPod(std::string sourceDir, std::string buildDir, std::string runDir, PodPorts ports);
  ~LocalPod();  // SIGTERM, then SIGKILL the whole group if it lingers
  LocalPod(const LocalPod&) = delete;
  LocalPod& operator=(const LocalPod&) = delete;

  // Waits for the script's "POD READY" line; false when it exited or the time ran out.
  bool waitReady(std::chrono::milliseconds timeout);
  // SIGTERM to the script (the Ctrl-C path) and its exit code; nullopt if it did not exit in time.
  std::optional<int> stop(std::chrono::milliseconds timeout);
  // True while any process of the pod's group is alive.
  bool anyProcessAlive() const;

  std::string output() const { return process_.output(); }
  // The tail of every component log under RUN_DIR/logs, for failure messages.
  std::string logTails(std::size_t lines = 15) const;
  // The copy-paste curl calls the script printed after "Try:" (continuation lines joined).
  std::vector<std::string> printedCurlCalls() const;

  const PodPorts& ports() const { return ports_; }
  const std::string& runDir() const { return runDir_; }
  const std::string& sourceDir() const { return sourceDir_; }

 private:
  std::string sourceDir_, runDir_;
  PodPorts ports_;
  testsupport::TestProcess process_;
  bool stopped_ = false;
};

// Splits the "Try:" block of the script's output into commands.
std::vector<std::string> parseCurlCalls(const std::string& scriptOutput);

}  // namespace pactmocks::testsupport
