// End to end, with real processes on loopback: the local pod (scripts/run-local.sh: broker
// stand-in, manager on a kubelet-style ConfigMap, the three mocks, the webhook) and a controller
// in PACT_MODE (pact-mode-controller) running its secret-sync flow and the fault headers against
// each mock; then a ConfigMap update adding an interaction while known-good traffic keeps flowing;
// then the manager's /ready; then a clean stop.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "FlowRunner.h"
#include "LocalPod.h"
#include "PodProcesses.h"
#include "SecretSyncFlow.h"
#include "JsonHttp.h"
#include "TestProcess.h"

using namespace pactmocks;
using namespace pactmocks::e2e;
using namespace std::chrono_literals;
namespace ts = pactmocks::testsupport;
using ts::LocalPod;
using ts::PodPorts;
using json = nlohmann::json;

namespace {

using ts::loopbackUrl;

std::uint16_t portOf(const PodPorts& ports, Provider p) {
  switch (p) {
    case Provider::Aws: return ports.aws;
    case Provider::Gcp: return ports.gcp;
    case Provider::Azure: return ports.azure;
  }
  return 0;
}

// Runs a shell command line to completion; its combined output.
std::pair<int, std::string> runShell(const std::string& command, std::chrono::milliseconds timeout = 20s) {
  auto p = ts::TestProcess::start({"bash", {"-c", command}, {}, true, {}, {}});
  auto rc = p.waitForExit(timeout);
  return {rc.value_or(-1), p.output()};
}

// The interaction the ConfigMap update adds to the AWS pact: a second secret the controller reads.
constexpr const char* kAddedSecretId = "e2e-added-secret";
constexpr const char* kAddedSecretValue = "added-by-configmap-update";

json addedInteraction() {
  return json::parse(R"({
    "description": "a request to get the value of secret e2e-added-secret",
    "providerStates": [{"name": "secret e2e-added-secret exists"}],
    "request": {
      "method": "POST", "path": "/",
      "headers": {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "secretsmanager.GetSecretValue"},
      "body": {"SecretId": "e2e-added-secret"}
    },
    "response": {
      "status": 200,
      "headers": {"Content-Type": "application/x-amz-json-1.1"},
      "body": {
        "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:e2e-added-secret-XyZ123",
        "Name": "e2e-added-secret",
        "VersionId": "9f1c1f4e-0000-4000-8000-000000000001",
        "SecretString": "added-by-configmap-update",
        "VersionStages": ["AWSCURRENT"],
        "CreatedDate": 1717171717.123
      }
    }
  })");
}

FlowStep addedSecretRead(SdkContext& sdk) {
  FlowStep s;
  s.name = "read-added-secret";
  s.call = awsCall(sdk, "GetSecretValue", std::string(R"({"SecretId":")") + kAddedSecretId + "\"}");
  s.expect.status = 200;
  s.expect.fields = {FieldRule::equals("/SecretString", kAddedSecretValue), FieldRule::equals("/Name", kAddedSecretId)};
  return s;
}

// Known-good read-backs against one mock until told to stop, counting what did not conform.
struct TrafficLoop {
  std::atomic<bool> stop{false};
  std::atomic<int> sent{0}, failed{0};
  std::mutex mutex;
  std::vector<std::string> firstFailures;
  std::vector<std::thread> threads;

  void start(const PodPorts& ports) {
    for (Provider p : allProviders()) {
      threads.emplace_back([this, p, base = loopbackUrl(portOf(ports, p))] {
        SdkContext sdk(static_cast<std::uint64_t>(p) + 100);
        FlowRunner runner(base, 5s);
        while (!stop) {
          StepResult r = runner.run(readBackStep(p, sdk));
          ++sent;
          if (!r.passed()) {
            ++failed;
            std::lock_guard lock(mutex);
            if (firstFailures.size() < 5) firstFailures.push_back(formatResult(providerKey(p), r));
          }
          std::this_thread::sleep_for(5ms);  // pacing: steady traffic, not a flood (no synchronisation)
        }
      });
    }
  }
  void join() {
    stop = true;
    for (auto& t : threads) t.join();
    threads.clear();
  }
  ~TrafficLoop() {
    if (!threads.empty()) join();
  }
};

}  // namespace

TEST_CASE("a controller in PACT_MODE against the local pod, with a ConfigMap update", "[e2e]") {
  const std::string sourceDir = ts::sourceDir();
  const std::string buildDir = ts::binaryDir();
  for (const char* binary : {"pact-broker-standin", "manager", "aws-mock-server", "gcp-mock-server", "azure-mock-server",
                             "mock-webhook", "pact-mode-controller"}) {
    INFO("binary " << binary << " must be built in " << buildDir);
    REQUIRE_NOTHROW(ts::builtExecutable(binary));
  }

  ts::TempDir runDir("pactmocks-e2e");
  const PodPorts ports = PodPorts::pickFree();
  LocalPod pod(sourceDir, buildDir, runDir.path(), ports);

  // --- 1. The pod comes up as a newcomer's first command brings it up.
  const auto startedAt = std::chrono::steady_clock::now();
  const bool ready = pod.waitReady(120s);
  INFO("run-local.sh output:\n" << pod.output() << "\n" << pod.logTails());
  REQUIRE(ready);
  const auto podReadyMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - startedAt).count();
  std::cout << "[e2e] pod ready after " << podReadyMs << " ms" << std::endl;

  // --- 2. The curl calls the script prints work as printed.
  {
    auto calls = pod.printedCurlCalls();
    CHECK(calls.size() >= 5);
    for (const auto& call : calls) {
      auto [rc, out] = runShell(call + " -w '\\n__status=%{http_code}'");
      INFO("command: " << call << "\noutput: " << out);
      CHECK(rc == 0);
      std::smatch m;
      REQUIRE(std::regex_search(out, m, std::regex("__status=([0-9]{3})")));
      const int status = std::stoi(m[1]);
      const bool fault = call.find("X-Rate-Limit") != std::string::npos;
      CHECK(status == (fault ? 429 : 200));
      CHECK(out.find("No matching interaction") == std::string::npos);
    }
  }

  // --- 3. The controller's secret-sync flow and the fault headers against every mock.
  {
    ts::ProcessOptions o;
    o.executable = ts::builtExecutable("pact-mode-controller");
    o.args = {"--faults"};
    o.env = {{"PACT_MODE", "true"},
             {"AWS_SECRETS_MANAGER_ENDPOINT", loopbackUrl(ports.aws)},
             {"GCP_SECRET_MANAGER_ENDPOINT", loopbackUrl(ports.gcp)},
             {"AZURE_KEY_VAULT_ENDPOINT", loopbackUrl(ports.azure)}};
    o.outputFile = runDir / "controller.out";
    auto controller = ts::TestProcess::start(o);
    auto rc = controller.waitForExit(90s);
    const std::string out = controller.output();
    INFO("pact-mode-controller output:\n" << out);
    std::cout << out;
    CHECK(rc == 0);
    // Every provider ran its whole flow: 7 sync steps and 14 fault steps each.
    for (Provider p : allProviders()) {
      const std::string key = providerKey(p);
      for (const char* step : {"create-secret", "add-version", "read-back", "list-secrets", "delete-secret", "read-missing",
                               "fault-rate-limit", "fault-reset", "fault-malformed", "read-back-after-faults"})
        CHECK(out.find("PASS " + key + " " + step + " ") != std::string::npos);
    }
    CHECK(out.find("FAIL ") == std::string::npos);
    CHECK(out.find("SUMMARY passed=63 failed=0") != std::string::npos);
  }

  // --- 4. A kubelet-style ConfigMap update adding an interaction, under known-good traffic.
  const auto readyReplyBefore = ts::getJsonReply(ports.manager, "/ready");
  const int awsStatusBefore = readyReplyBefore.status;
  const json& readyBefore = readyReplyBefore.body;
  const std::string awsProvider = providerName(Provider::Aws);
  const std::string awsShaBefore = readyBefore.value("/providers/AWS-Secrets-Manager/sha256"_json_pointer, std::string());
  {
    SdkContext sdk(1);
    FlowRunner probe(loopbackUrl(ports.aws), 5s);
    StepResult before = probe.run(addedSecretRead(sdk));
    INFO(formatResult("aws", before));
    CHECK(before.observed.status == 500);  // not in the contract yet: no matching interaction
    CHECK(before.observed.body.find("No matching interaction found") != std::string::npos);
  }

  const std::string srcDir = runDir / "configmap-src";
  const std::string pactFile = srcDir + "/Secret-Manager-Controller-AWS-Secrets-Manager.json";
  json pact = json::parse(ts::readFile(pactFile));
  pact["interactions"].push_back(addedInteraction());

  TrafficLoop traffic;
  traffic.start(ports);
  // Traffic is flowing before the swap.
  REQUIRE(ts::eventually([&] { return traffic.sent >= 30; }, 20s, "30 known-good requests before the swap"));

  ts::writeFile(pactFile, pact.dump(2));
  auto [layoutRc, layoutOut] =
      runShell("bash '" + sourceDir + "/examples/make-configmap-layout.sh' '" + srcDir + "' '" + (runDir / "configmap") + "'");
  INFO("make-configmap-layout.sh: " << layoutOut);
  REQUIRE(layoutRc == 0);
  const auto swappedAt = std::chrono::steady_clock::now();

  bool served = false;
  long servedAfterMs = -1;
  {
    SdkContext sdk(2);
    FlowRunner probe(loopbackUrl(ports.aws), 5s);
    served = ts::eventually(
        [&] { return probe.run(addedSecretRead(sdk)).passed(); }, 30s);
    servedAfterMs = static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - swappedAt).count());
  }
  // And a little traffic after the reload.
  const int sentAtReload = traffic.sent;
  CHECK(ts::eventually([&] { return traffic.sent >= sentAtReload + 30; }, 20s, "30 known-good requests after the reload"));
  traffic.join();

  std::cout << "[e2e] new interaction served " << servedAfterMs << " ms after the ConfigMap swap; " << traffic.sent
            << " known-good requests during the update, " << traffic.failed << " failed" << std::endl;
  {
    INFO("manager log and mocks:\n" << pod.logTails(30));
    CHECK(served);
    CHECK(servedAfterMs < 15000);
  }
  {
    std::ostringstream failures;
    for (const auto& f : traffic.firstFailures) failures << f << "\n";
    INFO("first failures:\n" << failures.str());
    CHECK(traffic.sent > 50);
    CHECK(traffic.failed == 0);
  }

  // --- 5. The manager's /ready shows it all: every provider published, broker healthy, no errors.
  {
    const auto readyReply = ts::getJsonReply(ports.manager, "/ready");
    const int status = readyReply.status;
    const json& readyAfter = readyReply.body;
    INFO("/ready: " << readyAfter.dump(2));
    CHECK(awsStatusBefore == 200);
    CHECK(status == 200);
    REQUIRE(readyAfter.is_object());
    CHECK(readyAfter.value("status", "") == "ready");
    CHECK(readyAfter.value("broker_healthy", false));
    CHECK(readyAfter.value("pacts_published", false));
    CHECK(readyAfter.value("errors", json::array()).empty());
    for (Provider p : allProviders()) {
      const std::string name = providerName(p);
      CHECK(readyAfter.contains("published_providers"));
      if (readyAfter.contains("published_providers")) {
        const auto& list = readyAfter["published_providers"];
        CHECK(std::find(list.begin(), list.end(), name) != list.end());
      }
      const json entry = readyAfter.value("providers", json::object()).value(name, json::object());
      INFO("provider " << name);
      CHECK_FALSE(entry.value("version", "").empty());
      CHECK_FALSE(entry.value("sha256", "").empty());
      CHECK_FALSE(entry.value("published_at", "").empty());
      auto providerReady = ts::httpGet(ports.manager, "/providers/" + name + "/ready");
      CHECK(providerReady.status == 200);
    }
    // The update was published as a new version of the AWS pact.
    CHECK_FALSE(awsShaBefore.empty());
    CHECK(readyAfter.value("/providers/AWS-Secrets-Manager/sha256"_json_pointer, std::string()) != awsShaBefore);
    CHECK(readyBefore.value("/providers/AWS-Secrets-Manager/version"_json_pointer, std::string()) !=
          readyAfter.value("/providers/AWS-Secrets-Manager/version"_json_pointer, std::string()));

    // The mocks serve the broker's contracts (not the built-in defaults).
    for (Provider p : allProviders()) {
      const auto healthReply = ts::getJsonReply(portOf(ports, p), "/health");
      const int healthStatus = healthReply.status;
      const json& health = healthReply.body;
      INFO(providerKey(p) << " /health: " << health.dump());
      CHECK(healthStatus == 200);
      CHECK(health.value("source", "") == "broker");
    }
    // The webhook recorded the delivery the printed curl call made.
    auto webhook = ts::httpGet(ports.webhook, "/__admin/requests");
    CHECK(webhook.status == 200);
    CHECK(webhook.body.find("synced") != std::string::npos);
  }

  // --- 6. SIGTERM (the Ctrl-C path) stops every component cleanly.
  {
    auto rc = pod.stop(20s);
    const std::string out = pod.output();
    INFO("run-local.sh output:\n" << out);
    CHECK(rc == 0);
    for (const char* component :
         {"pact-broker", "manager", "aws-mock-server", "gcp-mock-server", "azure-mock-server", "mock-webhook"})
      CHECK(out.find(std::string(component) + " exited (0)") != std::string::npos);
    CHECK(ts::eventually([&] { return !pod.anyProcessAlive(); }, 5s));
  }
}
