#pragma once
// Shared set-up for the manager integration tests: a broker stand-in and a manager process.
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "TestProcess.h"

namespace manager_it {

using namespace pactmocks::testsupport;
using nlohmann::json;

inline const std::map<std::string, std::string> kAuthHeader{{"Authorization", "Basic cGFjdDpwYWN0"}};  // pact:pact

inline json pactJson(const std::string& consumer, const std::string& provider, const std::string& path) {
  return {{"consumer", {{"name", consumer}}},
          {"provider", {{"name", provider}}},
          {"interactions",
           {{{"description", "get " + path},
             {"request", {{"method", "GET"}, {"path", path}}},
             {"response", {{"status", 200}, {"body", {{"path", path}}}}}}}},
          {"metadata", {{"pactSpecification", {{"version", "3.0.0"}}}}}};
}

class Broker {
 public:
  explicit Broker(std::uint16_t port, std::string dataDir = {}) : port_(port), dataDir_(std::move(dataDir)) {}
  void start() {
    ProcessOptions o;
    o.executable = builtExecutable("pact-broker-standin");
    o.args = {"--port", std::to_string(port_), "--username", "pact", "--password", "pact"};
    if (!dataDir_.empty()) o.args.insert(o.args.end(), {"--data-dir", dataDir_});
    process_ = TestProcess::start(o);
    if (!process_.waitForLine("listening on ", std::chrono::seconds(10)))
      throw std::runtime_error("broker stand-in did not start: " + process_.output());
  }
  int stop() { return process_.stop(); }
  void kill() {
    process_.kill();
    process_.waitForExit(std::chrono::seconds(5));
  }
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  HttpReply latest(const std::string& provider, const std::string& consumer) {
    return httpGet(port_, "/pacts/provider/" + provider + "/consumer/" + consumer + "/latest");
  }
  TestProcess& process() { return process_; }

 private:
  std::uint16_t port_;
  std::string dataDir_;
  TestProcess process_;
};

class Manager {
 public:
  Manager(const Broker& broker, const std::string& configMapPath, const std::string& flagPath,
          std::map<std::string, std::string> extraEnv = {})
      : healthPort_(freePort()) {
    ProcessOptions o;
    o.executable = builtExecutable("manager");
    o.env = {{"BROKER_URL", broker.url()},
             {"BROKER_USERNAME", "pact"},
             {"BROKER_PASSWORD", "pact"},
             {"CONFIGMAP_PATH", configMapPath},
             {"PUBLISHED_FLAG_PATH", flagPath},
             {"HEALTH_PORT", std::to_string(healthPort_)},
             {"HEALTH_ADDRESS", "127.0.0.1"},
             {"GIT_BRANCH", "main"},
             {"GIT_COMMIT", "abc123"},
             {"BROKER_WAIT_INTERVAL_SECONDS", "0.2"},
             {"BROKER_CHECK_INTERVAL_SECONDS", "0.5"},
             {"BROKER_TIMEOUT_SECONDS", "2"},
             {"LOG_LEVEL", "debug"}};
    for (auto& [k, v] : extraEnv) o.env[k] = v;
    process_ = TestProcess::start(o);
    if (!waitForHttpStatus(healthPort_, "/liveness", 200, std::chrono::seconds(10)))
      throw std::runtime_error("manager did not serve /liveness: " + process_.output());
  }
  std::uint16_t port() const { return healthPort_; }
  HttpReply get(const std::string& path) { return httpGet(healthPort_, path); }
  json ready() {
    auto r = get("/ready");
    return r.body.empty() ? json() : json::parse(r.body, nullptr, false);
  }
  TestProcess& process() { return process_; }

 private:
  std::uint16_t healthPort_;
  TestProcess process_;
};

// The interactions without broker-assigned ids, to compare what was published with what is served.
inline json interactionsOf(const std::string& body) {
  auto doc = json::parse(body, nullptr, false);
  if (!doc.is_object() || !doc.contains("interactions")) return json();
  json list = doc["interactions"];
  for (auto& i : list) i.erase("_id");
  return list;
}

}  // namespace manager_it
