#include "LocalPod.h"

#include <signal.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace pactmocks::testsupport {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

PodPorts PodPorts::pickFree() {
  std::set<std::uint16_t> seen;
  auto next = [&] {
    for (;;) {
      std::uint16_t port = freePort();
      if (seen.insert(port).second) return port;
    }
  };
  PodPorts p;
  p.broker = next();
  p.manager = next();
  p.aws = next();
  p.gcp = next();
  p.azure = next();
  p.webhook = next();
  return p;
}

LocalPod::LocalPod(std::string sourceDir, std::string buildDir, std::string runDir, PodPorts ports)
    : sourceDir_(std::move(sourceDir)), runDir_(std::move(runDir)), ports_(ports) {
  ProcessOptions o;
  // setsid: the script becomes a process-group leader, so its components can be signalled together.
  o.executable = "setsid";
  o.args = {"bash", sourceDir_ + "/scripts/run-local.sh"};
  o.env = {{"SKIP_BUILD", "1"},
           {"BUILD_DIR", buildDir},
           {"RUN_DIR", runDir_},
           {"BROKER_PORT", std::to_string(ports.broker)},
           {"MANAGER_PORT", std::to_string(ports.manager)},
           {"AWS_PORT", std::to_string(ports.aws)},
           {"GCP_PORT", std::to_string(ports.gcp)},
           {"AZURE_PORT", std::to_string(ports.azure)},
           {"WEBHOOK_PORT", std::to_string(ports.webhook)},
           {"LOG_LEVEL", "info"},
           {"LOG_FORMAT", "text"}};
  // A developer's shell settings must not redirect the test pod.
  o.unsetEnv = {"BROKER_URL", "CONTRACTS_DIR", "BROKER_USERNAME", "BROKER_PASSWORD"};
  o.outputFile = runDir_ + "/run-local.out";
  process_ = TestProcess::start(std::move(o));
}

LocalPod::~LocalPod() {
  if (!stopped_) stop(15s);
  if (process_.pid() > 0 && anyProcessAlive()) ::kill(-process_.pid(), SIGKILL);
}

bool LocalPod::waitReady(std::chrono::milliseconds timeout) {
  auto isReady = [&] { return process_.output().find("POD READY") != std::string::npos; };
  // Ends early when the script exits: it will not print the line any more.
  eventually([&] { return isReady() || !process_.running(); }, timeout);
  return isReady();
}

std::optional<int> LocalPod::stop(std::chrono::milliseconds timeout) {
  stopped_ = true;
  if (process_.pid() <= 0) return std::nullopt;
  if (process_.running()) process_.terminate();
  return process_.waitForExit(timeout);
}

bool LocalPod::anyProcessAlive() const {
  return process_.pid() > 0 && (::kill(-process_.pid(), 0) == 0 || errno == EPERM);
}

std::string LocalPod::logTails(std::size_t lines) const {
  std::ostringstream out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(runDir_ + "/logs", ec)) {
    std::ifstream in(entry.path());
    std::vector<std::string> all;
    for (std::string line; std::getline(in, line);) all.push_back(line);
    out << "--- " << entry.path().filename().string() << " (last " << lines << " lines)\n";
    for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) out << all[i] << "\n";
  }
  return out.str();
}

std::vector<std::string> LocalPod::printedCurlCalls() const { return parseCurlCalls(output()); }

std::vector<std::string> parseCurlCalls(const std::string& scriptOutput) {
  std::vector<std::string> calls;
  std::istringstream in(scriptOutput);
  bool inBlock = false;
  std::string pending;
  for (std::string line; std::getline(in, line);) {
    if (!inBlock) {
      inBlock = line == "Try:";
      continue;
    }
    if (line.find_first_not_of(' ') == std::string::npos) break;
    std::string text = line.substr(line.find_first_not_of(' '));
    const bool continues = !text.empty() && text.back() == '\\';
    if (continues) text.pop_back();
    pending += (pending.empty() ? "" : " ") + text;
    if (!continues) {
      calls.push_back(pending);
      pending.clear();
    }
  }
  if (!pending.empty()) calls.push_back(pending);
  return calls;
}

}  // namespace pactmocks::testsupport
