#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "mockserver/MockConfig.h"

using namespace pactmocks;
using namespace pactmocks::mockserver;

namespace {
MockConfig load(std::map<std::string, std::string> env, std::vector<std::string> args = {}) {
  return MockConfig::load(EnvConfig(std::move(env)), gcpProfile(), parseCommandLine(args));
}
}  // namespace

TEST_CASE("defaults come from the profile", "[config]") {
  auto c = load({});
  CHECK(c.provider == "GCP-Secret-Manager");
  CHECK(c.port == 1235);
  CHECK(c.brokerUrl == "http://localhost:9292");
  CHECK(c.managerUrl == "http://localhost:1238");
  CHECK(c.startupTimeout == std::chrono::seconds(90));
  CHECK(c.reloadInterval == std::chrono::seconds(5));
  CHECK(c.startupPollInterval == std::chrono::seconds(2));
  CHECK(c.journalSize == 100);
  CHECK_FALSE(c.localMode());
  CHECK_FALSE(c.consumerName);
  CHECK(awsProfile().defaultPort == 1234);
  CHECK(azureProfile().defaultPort == 1236);
  CHECK(awsProfile().providerName == "AWS-Secrets-Manager");
  CHECK(azureProfile().providerName == "Azure-Key-Vault");
}

TEST_CASE("environment overrides", "[config]") {
  auto c = load({{"PROVIDER_NAME", "Other"},
                 {"PORT", "4000"},
                 {"BROKER_URL", "http://broker:9292/"},
                 {"BROKER_USERNAME", "pact"},
                 {"BROKER_PASSWORD", "secret"},
                 {"MANAGER_URL", "http://manager:1238"},
                 {"CONSUMER_NAME", "Secret-Manager-Controller"},
                 {"STARTUP_TIMEOUT_SECONDS", "3"},
                 {"RELOAD_INTERVAL_SECONDS", "0.5"},
                 {"PACTS_DIR", "/pacts"},
                 {"JOURNAL_SIZE", "10"}});
  CHECK(c.provider == "Other");
  CHECK(c.port == 4000);
  CHECK(c.brokerUrl == "http://broker:9292");
  CHECK(c.brokerCredentials.username == "pact");
  CHECK(c.managerUrl == "http://manager:1238");
  CHECK(c.consumerName == std::optional<std::string>("Secret-Manager-Controller"));
  CHECK(c.startupTimeout == std::chrono::seconds(3));
  CHECK(c.reloadInterval == std::chrono::milliseconds(500));
  CHECK(c.pactsDir == std::optional<std::string>("/pacts"));
  CHECK(c.localMode());
  CHECK(c.journalSize == 10);
}

TEST_CASE("no-match status and the Key Vault challenge", "[config]") {
  auto gcp = load({});
  CHECK(gcp.noMatchStatus == 500);
  CHECK_FALSE(gcp.bearerChallenge);
  auto azure = MockConfig::load(EnvConfig({{"NO_MATCH_STATUS", "501"}, {"AZURE_TENANT_ID", "contoso.onmicrosoft.com"}}),
                                azureProfile(), parseCommandLine({}));
  CHECK(azure.noMatchStatus == 501);
  CHECK(azure.bearerChallenge);
  CHECK(azure.azureTenantId == "contoso.onmicrosoft.com");
  CHECK_FALSE(MockConfig::load(EnvConfig(std::map<std::string, std::string>{{"AZURE_BEARER_CHALLENGE", "false"}}), azureProfile(), parseCommandLine({}))
                  .bearerChallenge);
}

TEST_CASE("flags win over the environment", "[config]") {
  auto c = load({{"PORT", "4000"}, {"PACTS_DIR", "/a"}}, {"--port", "5000", "--pacts-dir=/b"});
  CHECK(c.port == 5000);
  CHECK(c.pactsDir == std::optional<std::string>("/b"));
  auto cl = parseCommandLine({"--print-config", "--version"});
  CHECK(cl.printConfig);
  CHECK(cl.version);
}

TEST_CASE("bad values are errors naming the variable", "[config]") {
  auto failsOn = [](std::map<std::string, std::string> env, const std::string& variable) {
    try {
      load(std::move(env));
    } catch (const ConfigError& e) {
      CHECK(e.variable() == variable);
      return true;
    }
    return false;
  };
  CHECK(failsOn({{"PORT", "70000"}}, "PORT"));
  CHECK(failsOn({{"PORT", "http"}}, "PORT"));
  CHECK(failsOn({{"STARTUP_TIMEOUT_SECONDS", "soon"}}, "STARTUP_TIMEOUT_SECONDS"));
  CHECK(failsOn({{"RELOAD_INTERVAL_SECONDS", "0"}}, "RELOAD_INTERVAL_SECONDS"));
  CHECK(failsOn({{"BROKER_URL", "broker:9292"}}, "BROKER_URL"));
  CHECK(failsOn({{"BROKER_URL", "https://broker"}}, "BROKER_URL"));
  CHECK(failsOn({{"MANAGER_URL", "https://manager:1238"}}, "MANAGER_URL"));
  CHECK(failsOn({{"MANAGER_URL", "http://manager:99999"}}, "MANAGER_URL"));
  CHECK(failsOn({{"BIND_ADDRESS", "nope"}}, "BIND_ADDRESS"));
  CHECK(failsOn({{"LOG_LEVEL", "loud"}}, "LOG_LEVEL"));
  CHECK(failsOn({{"JOURNAL_SIZE", "-1"}}, "JOURNAL_SIZE"));
  CHECK(failsOn({{"BROKER_PASSWORD", "x"}}, "BROKER_USERNAME"));
  CHECK(failsOn({{"NO_MATCH_STATUS", "200"}}, "NO_MATCH_STATUS"));
  CHECK(failsOn({{"NO_MATCH_STATUS", "five hundred"}}, "NO_MATCH_STATUS"));
  CHECK(failsOn({{"AZURE_TENANT_ID", "a/b"}}, "AZURE_TENANT_ID"));
  CHECK(failsOn({{"AZURE_BEARER_CHALLENGE", "maybe"}}, "AZURE_BEARER_CHALLENGE"));
  // TLS: all three or none; the files must be readable (their content is checked at startup).
  CHECK(failsOn({{"TLS_PORT", "8443"}}, "TLS_CERT_FILE"));
  CHECK(failsOn({{"TLS_PORT", "8443"}, {"TLS_CERT_FILE", "/etc/hostname"}}, "TLS_KEY_FILE"));
  CHECK(failsOn({{"TLS_CERT_FILE", "/etc/hostname"}, {"TLS_KEY_FILE", "/etc/hostname"}}, "TLS_PORT"));
  CHECK(failsOn({{"TLS_PORT", "1235"}, {"TLS_CERT_FILE", "/etc/hostname"}, {"TLS_KEY_FILE", "/etc/hostname"}}, "TLS_PORT"));
  CHECK(failsOn({{"TLS_PORT", "8443"}, {"TLS_CERT_FILE", "/nonexistent/tls.crt"}, {"TLS_KEY_FILE", "/etc/hostname"}},
                "TLS_CERT_FILE"));
  CHECK_THROWS_AS(parseCommandLine({"--port", "0"}), ConfigError);
  CHECK_THROWS_AS(parseCommandLine({"--port"}), ConfigError);
  // A flag after a flag that needs a value is a missing value, not the value.
  try {
    parseCommandLine({"--pacts-dir", "--print-config"});
    FAIL("--pacts-dir took --print-config as its directory");
  } catch (const ConfigError& e) {
    CHECK(e.variable() == "--pacts-dir");
  }
  CHECK_THROWS_AS(parseCommandLine({"--port", "--print-config"}), ConfigError);
  CHECK_THROWS_AS(parseCommandLine({"--frobnicate"}), ConfigError);
}

TEST_CASE("--print-config masks secrets and lists the variables", "[config]") {
  auto c = load({{"BROKER_USERNAME", "pact"}, {"BROKER_PASSWORD", "hunter2"}, {"BROKER_TOKEN", "tok"}});
  auto j = c.toJson();
  const std::string text = j.dump();
  CHECK(text.find("hunter2") == std::string::npos);
  CHECK(text.find("\"tok\"") == std::string::npos);
  CHECK(j["broker_password"] == "****");
  CHECK(j["broker_username"] == "pact");
  CHECK(j["provider"] == "GCP-Secret-Manager");
  CHECK(j["port"] == 1235);
  CHECK(j["health_path"] == "/health");
  CHECK(j["mode"] == "broker");
  auto vars = j["env_vars"].get<std::vector<std::string>>();
  for (const char* name : {"PROVIDER_NAME", "PORT", "BROKER_URL", "MANAGER_URL", "PACTS_DIR", "STARTUP_TIMEOUT_SECONDS",
                           "RELOAD_INTERVAL_SECONDS", "CONSUMER_NAME", "BROKER_TOKEN"})
    CHECK(std::find(vars.begin(), vars.end(), name) != vars.end());
  CHECK(load({}).toJson()["broker_password"].is_null());
}

TEST_CASE("--print-config env object and --help agree on every variable and default", "[config]") {
  const auto env = load({}).toJson()["env"];
  const auto vars = load({}).toJson()["env_vars"].get<std::vector<std::string>>();
  CHECK(env.size() == vars.size());
  CHECK(env["PORT"] == 1235);
  CHECK(env["STARTUP_TIMEOUT_SECONDS"] == 90.0);
  CHECK(env["PACTS_DIR"].is_null());
  const std::string help = usageText(gcpProfile());
  for (const auto& name : vars) {
    INFO(name);
    CHECK(env.contains(name));
    CHECK_THAT(help, Catch::Contains("  " + name + " "));
  }
  for (const char* flag : {"--port N", "--pacts-dir DIR", "--print-config", "--version", "--help"})
    CHECK_THAT(help, Catch::Contains(flag));
  CHECK_THAT(help, Catch::Contains("[default: GCP-Secret-Manager]") && Catch::Contains("[default: 90]"));
  CHECK_THAT(help, Catch::Contains("Exit codes"));
}
