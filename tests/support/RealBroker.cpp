#include "RealBroker.h"

#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "TestProcess.h"

namespace pactmocks::testsupport {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string envOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : fallback;
}

// A process that has exited (or is a zombie waiting for init to reap it) counts as gone.
bool processGone(pid_t pid) {
  if (::kill(pid, 0) != 0) return errno == ESRCH;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'Z';
}

std::uint16_t portOf(const std::string& url) {
  // http://host:port[/...]
  auto scheme = url.find("://");
  auto hostStart = scheme == std::string::npos ? 0 : scheme + 3;
  auto colon = url.find(':', hostStart);
  if (colon == std::string::npos) return 80;
  return static_cast<std::uint16_t>(std::stoi(url.substr(colon + 1)));
}

}  // namespace

std::string RealBrokerSource::howToEnable() {
  return "set PACT_BROKER_TEST_URL=http://127.0.0.1:PORT to a running Pact Broker (e.g. the official "
         "pactfoundation/pact-broker image) or put the real broker at ../shared/real-broker beside the checkout";
}

RealBrokerSource RealBrokerSource::fromEnvironment() {
  RealBrokerSource source;
  source.externalUrl = envOr("PACT_BROKER_TEST_URL", "");
  if (!source.externalUrl.empty()) {
    source.username = envOr("PACT_BROKER_TEST_USERNAME", "");
    source.password = envOr("PACT_BROKER_TEST_PASSWORD", "");
    return source;
  }
  const std::string shared = envOr("PACTMOCKS_SHARED_DIR", "");
  if (!shared.empty() && fs::is_regular_file(shared + "/real-broker/start.sh"))
    source.startScript = shared + "/real-broker/start.sh";
  source.username = "pact";  // start.sh's defaults
  source.password = "pact";
  return source;
}

RealBroker RealBroker::start(const RealBrokerSource& source, StartOptions options) {
  RealBroker broker;
  if (!source.externalUrl.empty()) {
    broker.url_ = source.externalUrl;
    while (!broker.url_.empty() && broker.url_.back() == '/') broker.url_.pop_back();
    broker.port_ = portOf(broker.url_);
    broker.username_ = source.username;
    broker.password_ = source.password;
    return broker;
  }
  if (source.startScript.empty()) throw std::runtime_error("no real broker: " + RealBrokerSource::howToEnable());

  broker.port_ = options.port ? options.port : freePort();
  // A work dir per broker (its SQLite file and log), removed when the broker is stopped.
  std::string pattern = envOr("TMPDIR", "/tmp") + "/pactmocks-real-broker-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed for the real broker's work dir");
  broker.workDir_ = buf.data();

  // The credentials the broker will demand: start.sh's defaults unless the caller or the
  // environment sets them.
  auto setting = [&](const char* name, const std::string& fallback) {
    auto it = options.env.find(name);
    return it != options.env.end() ? it->second : envOr(name, fallback);
  };
  broker.username_ = setting("PACT_BROKER_BASIC_AUTH_USERNAME", source.username);
  broker.password_ = setting("PACT_BROKER_BASIC_AUTH_PASSWORD", source.password);

  ProcessOptions p;
  p.executable = "bash";
  p.args = {source.startScript, std::to_string(broker.port_)};
  p.env = std::move(options.env);
  p.env["TMPDIR"] = broker.workDir_;
  p.outputFile = broker.workDir_ + "/start.out";
  auto script = TestProcess::start(std::move(p));
  auto code = script.waitForExit(120s);
  const std::string output = script.output();
  if (!code || *code != 0) {
    throw std::runtime_error("the real broker did not start on port " + std::to_string(broker.port_) + " (" +
                             (code ? "exit " + std::to_string(*code) : std::string("timeout")) + "):\n" + output);
  }
  // stdout is the PID alone; stderr has "pact broker up: url=... log=...".
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos) broker.pid_ = std::stoi(line);
    if (auto at = line.find(" log="); at != std::string::npos) broker.logPath_ = line.substr(at + 5);
  }
  if (broker.pid_ <= 0) throw std::runtime_error("start.sh printed no PID:\n" + output);
  broker.url_ = "http://127.0.0.1:" + std::to_string(broker.port_);
  return broker;
}

RealBroker::~RealBroker() { stop(); }

RealBroker::RealBroker(RealBroker&& other) noexcept { *this = std::move(other); }

RealBroker& RealBroker::operator=(RealBroker&& other) noexcept {
  if (this != &other) {
    stop();
    pid_ = std::exchange(other.pid_, -1);
    port_ = other.port_;
    url_ = std::move(other.url_);
    username_ = std::move(other.username_);
    password_ = std::move(other.password_);
    logPath_ = std::move(other.logPath_);
    workDir_ = std::exchange(other.workDir_, {});
  }
  return *this;
}

void RealBroker::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    // WEBrick takes about 2 s to exit on SIGTERM; nothing of ours depends on a graceful exit.
    if (!eventually([&] { return processGone(pid_); }, 3s)) {
      ::kill(pid_, SIGKILL);
      eventually([&] { return processGone(pid_); }, 5s);
    }
    eventually([&] { return httpGet(port_, "/diagnostic/status/heartbeat", 200ms).status == 0; }, 5s);
    pid_ = -1;
  }
  if (!workDir_.empty()) {
    std::error_code ec;
    fs::remove_all(workDir_, ec);
    workDir_.clear();
  }
}

}  // namespace pactmocks::testsupport
