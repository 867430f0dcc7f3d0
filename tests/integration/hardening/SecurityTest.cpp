// Credentials never appear in logs, /ready, /health, the admin endpoints or --print-config:
// neither the broker credentials of our own processes nor the ones a controller sends to a mock.
#include <catch2/catch.hpp>

#include <string>

#include "PodStack.h"
#include "core/Base64.h"
#include "TestProcess.h"

using namespace pactmocks::hardening;
using namespace pactmocks::testsupport;
using namespace std::chrono_literals;

namespace {

// user:password in base64 as it would appear in an Authorization header.
std::string base64(const std::string& in) { return pactmocks::base64Encode(in); }

void requireNoSecret(const std::string& where, const std::string& text, const std::string& secret) {
  INFO(where << ":\n" << text.substr(0, 4000));
  CHECK(text.find(secret) == std::string::npos);
}

}  // namespace

TEST_CASE("broker credentials stay out of the manager's logs, /ready and --print-config", "[hardening][security]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  volume.update(examplePayload());
  const auto brokerPort = freePort();
  auto broker = startBroker({brokerPort, "", true});
  auto manager = startManager({brokerPort, volume.mountDir(), kBrokerPassword, {{"LOG_LEVEL", "trace"}}});
  REQUIRE(eventually([&] { return getReady(manager.port).ready(); }, 20s));

  const std::string basic = base64(std::string(kBrokerUser) + ":" + kBrokerPassword);
  for (const char* path : {"/ready", "/readiness", "/health", "/providers", "/providers/AWS-Secrets-Manager/ready"}) {
    auto reply = httpGet(manager.port, path);
    requireNoSecret(path, reply.body, kBrokerPassword);
    requireNoSecret(path, reply.body, basic);
  }
  manager.process.stop();
  requireNoSecret("manager log", manager.process.output(), kBrokerPassword);
  requireNoSecret("manager log", manager.process.output(), basic);

  ProcessOptions p;
  p.executable = builtExecutable("manager");
  p.args = {"--print-config"};
  p.env = {{"BROKER_USERNAME", kBrokerUser}, {"BROKER_PASSWORD", kBrokerPassword}};
  auto printed = TestProcess::start(std::move(p));
  REQUIRE(printed.waitForExit(10s) == 0);
  requireNoSecret("manager --print-config", printed.output(), kBrokerPassword);
}

// Runs the broker-mode AWS mock, sends it one signed request carrying `clientSecret`, and checks
// the admin endpoints and the log for the broker credentials and, if `checkClient`, the client's.
static void checkMockCredentialHygiene(bool checkClient) {
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  volume.update(examplePayload());
  const auto brokerPort = freePort();
  auto broker = startBroker({brokerPort, "", true});
  auto manager = startManager({brokerPort, volume.mountDir(), kBrokerPassword, {}});
  REQUIRE(eventually([&] { return getReady(manager.port).ready(); }, 20s));

  const auto port = freePort();
  ProcessOptions p;
  p.executable = builtExecutable("aws-mock-server");
  p.env = {{"PORT", std::to_string(port)},
           {"BIND_ADDRESS", "127.0.0.1"},
           {"BROKER_URL", "http://127.0.0.1:" + std::to_string(brokerPort)},
           {"BROKER_USERNAME", kBrokerUser},
           {"BROKER_PASSWORD", kBrokerPassword},
           {"MANAGER_URL", "http://127.0.0.1:" + std::to_string(manager.port)},
           {"STARTUP_POLL_INTERVAL_SECONDS", "0.2"},
           {"LOG_LEVEL", "trace"}};
  p.unsetEnv = {"PACTS_DIR", "BROKER_TOKEN"};
  auto mock = TestProcess::start(std::move(p));
  REQUIRE(eventually([&] { return httpGet(port, "/health").body.find("\"broker\"") != std::string::npos; }, 30s));

  // What a controller's SDK sends: signed AWS requests carry a session token and a signature.
  const std::string clientSecret = "client-session-token-Zq9";
  httpRequest(port, "POST", "/", R"({"SecretId":"x"})",
              {{"Content-Type", "application/x-amz-json-1.1"},
               {"X-Amz-Target", "secretsmanager.GetSecretValue"},
               {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=" + clientSecret},
               {"X-Amz-Security-Token", clientSecret}});

  const std::string basic = base64(std::string(kBrokerUser) + ":" + kBrokerPassword);
  for (const char* path : {"/health", "/__admin/interactions", "/__admin/requests", "/metrics"}) {
    auto reply = httpGet(port, path);
    requireNoSecret(path, reply.body, kBrokerPassword);
    requireNoSecret(path, reply.body, basic);
    if (checkClient) requireNoSecret(path, reply.body, clientSecret);
  }
  mock.stop();
  requireNoSecret("mock log", mock.output(), kBrokerPassword);
  requireNoSecret("mock log", mock.output(), basic);
  if (checkClient) requireNoSecret("mock log", mock.output(), clientSecret);

  ProcessOptions printOptions;
  printOptions.executable = builtExecutable("aws-mock-server");
  printOptions.args = {"--print-config"};
  printOptions.env = {{"BROKER_USERNAME", kBrokerUser}, {"BROKER_PASSWORD", kBrokerPassword}};
  auto printed = TestProcess::start(std::move(printOptions));
  REQUIRE(printed.waitForExit(10s) == 0);
  requireNoSecret("mock --print-config", printed.output(), kBrokerPassword);
}

TEST_CASE("mock servers keep broker credentials out of logs, admin endpoints and --print-config",
          "[hardening][security]") {
  checkMockCredentialHygiene(false);
}

// The mismatch report kept in the /__admin/requests journal redacts credential headers
// (Authorization, X-Amz-Security-Token, ...): the scheme stays visible, the secret does not.
TEST_CASE("mock servers keep a client's credential headers out of the request journal",
          "[hardening][security]") {
  checkMockCredentialHygiene(true);
}
