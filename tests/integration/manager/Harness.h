#pragma once
// The manager integration tests' conventions on top of tests/support: a broker stand-in with
// fixed credentials, a manager publishing as main-abc123, and small pacts.
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "JsonHttp.h"
#include "PodProcesses.h"
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

// The broker stand-in (user pact:pact) on a port chosen up front, started when the test says so.
class Broker {
 public:
  explicit Broker(std::uint16_t port, std::string dataDir = {}) : port_(port), dataDir_(std::move(dataDir)) {}
  void start() { process_ = startBrokerProcess({port_, dataDir_, "pact", "pact"}).process; }
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
          std::map<std::string, std::string> extraEnv = {}) {
    ManagerProcessOptions options;
    options.brokerUrl = broker.url();
    options.username = "pact";
    options.password = "pact";
    options.configMapPath = configMapPath;
    options.publishedFlagPath = flagPath;
    options.gitCommit = "abc123";
    options.env = {{"BROKER_TIMEOUT_SECONDS", "2"}};
    for (auto& [k, v] : extraEnv) options.env[k] = v;
    server_ = startManagerProcess(options);
  }
  std::uint16_t port() const { return server_.port; }
  HttpReply get(const std::string& path) { return httpGet(server_.port, path); }
  json ready() { return getJson(server_.port, "/ready"); }
  TestProcess& process() { return server_.process; }

 private:
  ServerProcess server_;
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
