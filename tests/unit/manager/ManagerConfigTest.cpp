#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ManagerConfig.h"

using pactmocks::ConfigError;
using pactmocks::EnvConfig;
using pactmocks::manager::ManagerConfig;
using pactmocks::manager::helpText;

TEST_CASE("ManagerConfig defaults match the documented values", "[manager][config]") {
  auto c = ManagerConfig::fromEnv(EnvConfig({}));
  CHECK(c.brokerUrl == "http://localhost:9292");
  CHECK(c.brokerHealthPath == "/diagnostic/status/heartbeat");
  CHECK(c.configMapPath == "/pacts-configmap");
  CHECK(c.configMapName == "pact-contracts");
  CHECK(c.gitBranch == "main");
  CHECK(c.gitCommit == "unknown");
  CHECK(c.healthPort == 1238);
  CHECK(c.publishedFlagPath == "/tmp/pacts-published");
  CHECK(c.debounce == std::chrono::milliseconds(200));
  CHECK(c.rescanInterval == std::chrono::seconds(60));
  CHECK(c.brokerWaitInterval == std::chrono::seconds(2));
  CHECK(c.brokerCheckInterval == std::chrono::seconds(30));
  CHECK(c.baseVersion() == "main-unknown");
}

TEST_CASE("ManagerConfig reads every variable", "[manager][config]") {
  auto c = ManagerConfig::fromEnv(EnvConfig({{"BROKER_URL", "http://broker:9292/"},
                                             {"BROKER_USERNAME", "pact"},
                                             {"BROKER_PASSWORD", "s3cret"},
                                             {"BROKER_TOKEN", "tok"},
                                             {"CONFIGMAP_PATH", "/mnt/pacts/"},
                                             {"GIT_BRANCH", "feature/x"},
                                             {"GIT_COMMIT", "abc123"},
                                             {"HEALTH_PORT", "8081"},
                                             {"DEBOUNCE_MS", "50"},
                                             {"RESCAN_INTERVAL_SECONDS", "5"},
                                             {"NAMESPACE", "ns"}}));
  CHECK(c.brokerUrl == "http://broker:9292");
  CHECK(c.configMapPath == "/mnt/pacts");
  CHECK(c.baseVersion() == "feature/x-abc123");
  CHECK(c.healthPort == 8081);
  CHECK(c.debounce == std::chrono::milliseconds(50));
  CHECK(c.rescanInterval == std::chrono::seconds(5));
  CHECK(c.kubernetesNamespace == "ns");
}

TEST_CASE("ManagerConfig errors name the variable", "[manager][config]") {
  auto variableOf = [](std::map<std::string, std::string> env) {
    try {
      ManagerConfig::fromEnv(EnvConfig(std::move(env)));
    } catch (const ConfigError& e) {
      return e.variable();
    }
    return std::string("(no error)");
  };
  CHECK(variableOf({{"HEALTH_PORT", "70000"}}) == "HEALTH_PORT");
  CHECK(variableOf({{"HEALTH_PORT", "abc"}}) == "HEALTH_PORT");
  CHECK(variableOf({{"BROKER_URL", "ftp://x"}}) == "BROKER_URL");
  CHECK(variableOf({{"BROKER_URL", "https://broker.example.com"}}) == "BROKER_URL");
  CHECK(variableOf({{"BROKER_URL", "http://broker:notaport"}}) == "BROKER_URL");
  CHECK(variableOf({{"HEALTH_ADDRESS", "notanip"}}) == "HEALTH_ADDRESS");
  CHECK(variableOf({{"CONFIGMAP_PATH", "relative/dir"}}) == "CONFIGMAP_PATH");
  CHECK(variableOf({{"PUBLISHED_FLAG_PATH", "flag"}}) == "PUBLISHED_FLAG_PATH");
  CHECK(variableOf({{"LOG_LEVEL", "loud"}}) == "LOG_LEVEL");
  CHECK(variableOf({{"LOG_FORMAT", "xml"}}) == "LOG_FORMAT");
  CHECK(variableOf({{"DEBOUNCE_MS", "-1"}}) == "DEBOUNCE_MS");
  CHECK(variableOf({{"RESCAN_INTERVAL_SECONDS", "0"}}) == "RESCAN_INTERVAL_SECONDS");
  CHECK(variableOf({{"GIT_COMMIT", "a b"}}) == "GIT_COMMIT");
  CHECK(variableOf({{"BROKER_PASSWORD", "p"}}) == "BROKER_USERNAME");
  CHECK(variableOf({{"BROKER_HEALTH_PATH", "heartbeat"}}) == "BROKER_HEALTH_PATH");
}

TEST_CASE("ManagerConfig JSON never shows secrets", "[manager][config]") {
  auto c = ManagerConfig::fromEnv(
      EnvConfig({{"BROKER_USERNAME", "pact"}, {"BROKER_PASSWORD", "s3cret"}, {"BROKER_TOKEN", "tok3n"}}));
  auto j = c.toJson();
  std::string text = j.dump();
  CHECK(text.find("s3cret") == std::string::npos);
  CHECK(text.find("tok3n") == std::string::npos);
  CHECK(j["env"]["BROKER_PASSWORD"] == "***");
  CHECK(j["env"]["BROKER_TOKEN"] == "***");
  CHECK(j["env"]["BROKER_USERNAME"] == "pact");
  CHECK(j["health"]["port"] == 1238);
  CHECK(j["health"]["paths"]["readiness"] == "/readiness");
  CHECK(j["consumer_version"] == "main-unknown");

  auto unset = ManagerConfig::fromEnv(EnvConfig({})).toJson();
  CHECK(unset["env"]["BROKER_PASSWORD"] == "");
}

TEST_CASE("manager --help lists the flags, every variable with its default and the exit codes", "[manager][config]") {
  const std::string help = helpText();
  for (const char* flag : {"--print-config", "--version", "--help"}) CHECK_THAT(help, Catch::Contains(flag));
  const auto env = ManagerConfig::fromEnv(EnvConfig({})).toJson()["env"];
  for (const auto& [name, value] : env.items()) {
    INFO(name);
    CHECK_THAT(help, Catch::Contains("  " + name + " "));
  }
  CHECK_THAT(help, Catch::Contains("[default: http://localhost:9292]"));
  CHECK_THAT(help, Catch::Contains("[default: 1238]"));
  CHECK_THAT(help, Catch::Contains("[default: 5]"));  // BROKER_TIMEOUT_SECONDS, not 5.0
  CHECK_THAT(help, Catch::Contains("Exit codes") && Catch::Contains("  2 "));
}
