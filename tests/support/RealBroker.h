#pragma once
// The real Pact Broker for tests: either one the user runs (PACT_BROKER_TEST_URL, e.g. the
// official image on http://127.0.0.1:9292) or one started from `../shared/real-broker`
// (pact_broker 2.113.0 on Debian's Ruby; a fresh SQLite database per start, about 3 s).
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace pactmocks::testsupport {

// Where a real broker can come from in this environment.
struct RealBrokerSource {
  std::string externalUrl;   // PACT_BROKER_TEST_URL, when set
  std::string startScript;   // <shared>/real-broker/start.sh, when present
  std::string username, password;  // for writes (external: PACT_BROKER_TEST_USERNAME/_PASSWORD)
  bool available() const { return !externalUrl.empty() || !startScript.empty(); }
  bool canStart() const { return externalUrl.empty() && !startScript.empty(); }
  // One line saying how to make the stage run (for the skip message).
  static std::string howToEnable();
  // From the environment (PACT_BROKER_TEST_URL, PACTMOCKS_SHARED_DIR).
  static RealBrokerSource fromEnvironment();
};

// One running real broker. Started ones are stopped (SIGTERM, then SIGKILL) on destruction;
// an external one is left alone.
class RealBroker {
 public:
  struct StartOptions {
    std::uint16_t port = 0;  // 0: a free port
    // Extra PACT_BROKER_* variables, e.g. credentials or PACT_BROKER_DATABASE_URL.
    std::map<std::string, std::string> env;
  };
  // Throws std::runtime_error with the broker's log tail when it does not come up.
  static RealBroker start(const RealBrokerSource& source, StartOptions options);
  static RealBroker start(const RealBrokerSource& source) { return start(source, StartOptions{}); }

  RealBroker() = default;
  ~RealBroker();
  RealBroker(RealBroker&&) noexcept;
  RealBroker& operator=(RealBroker&&) noexcept;
  RealBroker(const RealBroker&) = delete;
  RealBroker& operator=(const RealBroker&) = delete;

  // Stops a started broker and waits until its process is gone (the port is free again).
  void stop();
  bool external() const { return pid_ <= 0; }
  std::uint16_t port() const { return port_; }
  std::string url() const { return url_; }
  const std::string& username() const { return username_; }
  const std::string& password() const { return password_; }
  // Path of the broker's log (started brokers only).
  const std::string& logPath() const { return logPath_; }

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string url_, username_, password_, logPath_, workDir_;
};

}  // namespace pactmocks::testsupport
