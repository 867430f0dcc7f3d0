// End to end: the local pod (scripts/run-local.sh), a controller in PACT_MODE running only part
// of the example flows (the secret-sync flow against AWS and GCP, nothing against Azure), then
// the pod's coverage on the manager must name exactly the interactions the run skipped, and
// pact-mocks-report must say so and gate on it. The report's text is saved next to the test
// output (coverage-report.txt, and the JUnit file beside it).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "JsonHttp.h"
#include "LocalPod.h"
#include "PodProcesses.h"
#include "TestProcess.h"

using namespace std::chrono_literals;
namespace ts = pactmocks::testsupport;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

using ts::loopbackUrl;

using Interaction = std::pair<std::string, std::string>;  // mock name, description

struct Mock {
  std::string name;
  std::uint16_t port;
};

// The interactions a run skipped, worked out without the coverage code: every interaction the mock
// serves (GET /__admin/interactions) minus those its journal shows a request matched.
std::set<Interaction> skippedByJournal(const std::vector<Mock>& mocks) {
  std::set<Interaction> skipped;
  for (const auto& m : mocks) {
    std::set<std::string> matched;
    const json journal = ts::getJson(m.port, "/__admin/requests");
    const json served = ts::getJson(m.port, "/__admin/interactions");
    for (const auto& r : journal["requests"])
      if (r.value("outcome", "") == "matched") matched.insert(r.value("interaction", ""));
    for (const auto& i : served["interactions"])
      if (const auto description = i["description"].get<std::string>(); !matched.contains(description))
        skipped.insert(Interaction(m.name, description));
  }
  return skipped;
}

std::set<Interaction> unexercisedByCoverage(const json& merged) {
  std::set<Interaction> out;
  for (const auto& i : merged["interactions"])
    if (i["hits"] == 0) out.insert(Interaction(i["mock"].get<std::string>(), i["description"].get<std::string>()));
  return out;
}

std::string describe(const std::set<Interaction>& set) {
  std::string out;
  for (const auto& [mock, description] : set) out += "  " + mock + ": " + description + "\n";
  return out;
}

struct Run {
  int exitCode = -1;
  std::string output;
};

Run run(ts::ProcessOptions o, std::chrono::milliseconds timeout) {
  auto p = ts::TestProcess::start(std::move(o));
  const auto rc = p.waitForExit(timeout);
  return {rc.value_or(-1), p.output()};
}

}  // namespace

TEST_CASE("coverage names exactly the interactions a partial controller run skipped; the report gates on it", "[e2e]") {
  ts::TempDir runDir("pactmocks-e2e-coverage");
  const ts::PodPorts ports = ts::PodPorts::pickFree();
  ts::LocalPod pod(ts::sourceDir(), ts::binaryDir(), runDir.path(), ports);
  const bool ready = pod.waitReady(120s);
  INFO("run-local.sh output:\n" << pod.output() << "\n" << pod.logTails());
  REQUIRE(ready);
  const std::vector<Mock> mocks = {{"aws", ports.aws}, {"gcp", ports.gcp}, {"azure", ports.azure}};

  // A new phase: whatever reached the mocks while the pod came up is forgotten.
  for (const auto& m : mocks) REQUIRE(ts::httpRequest(m.port, "POST", "/__admin/reset").status == 200);

  // --- Part of the example flows: the sync flow against AWS and GCP only.
  {
    ts::ProcessOptions o;
    o.executable = ts::builtExecutable("pact-mode-controller");
    o.args = {"--providers", "aws,gcp"};
    o.env = {{"PACT_MODE", "true"},
             {"AWS_SECRETS_MANAGER_ENDPOINT", loopbackUrl(ports.aws)},
             {"GCP_SECRET_MANAGER_ENDPOINT", loopbackUrl(ports.gcp)},
             {"AZURE_KEY_VAULT_ENDPOINT", loopbackUrl(ports.azure)}};
    const auto controller = run(o, 60s);
    INFO("pact-mode-controller output:\n" << controller.output);
    REQUIRE(controller.exitCode == 0);
    CHECK(controller.output.find("SUMMARY passed=14 failed=0") != std::string::npos);
  }

  // --- The manager's merged coverage names exactly what the run skipped.
  const auto expected = skippedByJournal(mocks);
  const auto reply = ts::getJsonReply(ports.manager, "/coverage", 10s);
  REQUIRE(reply.status == 200);
  const json& merged = reply.body;
  const auto unexercised = unexercisedByCoverage(merged);
  INFO("skipped (by the journals):\n" << describe(expected) << "unexercised (by coverage):\n" << describe(unexercised));
  CHECK(unexercised == expected);
  // What that is for the example pacts: all of Azure (not run), and the one GCP interaction the
  // sync flow does not use; every AWS interaction was exercised.
  std::size_t azureSkipped = 0;
  for (const auto& [mock, description] : expected) azureSkipped += mock == "azure";
  CHECK(azureSkipped == 7);
  CHECK(expected.size() == 8);
  CHECK(expected.contains(Interaction("gcp", "a request to access version 1 of secret test-secret")));
  CHECK(merged["totals"]["unreachable_mocks"] == 0);
  CHECK(merged["totals"]["unmatched_requests"] == 0);
  CHECK(ts::getJsonReply(ports.aws, "/__admin/verify").status == 200);
  CHECK(ts::getJsonReply(ports.gcp, "/__admin/verify").status == 409);

  // --- pact-mocks-report: the text summary (kept next to the test output), JUnit, the gate.
  const fs::path outDir = fs::absolute(fs::current_path());
  ts::ProcessOptions report;
  report.executable = ts::builtExecutable("pact-mocks-report");
  report.args = {"--manager", loopbackUrl(ports.manager), "--junit", (outDir / "coverage-report.xml").string()};
  const auto summary = run(report, 30s);
  std::ofstream(outDir / "coverage-report.txt", std::ios::trunc) << summary.output;
  std::cout << "[e2e] pact-mocks-report (saved to " << (outDir / "coverage-report.txt").string() << "):\n"
            << summary.output << std::endl;
  INFO("pact-mocks-report output:\n" << summary.output);
  CHECK(summary.exitCode == 0);  // nothing unmatched, every mock reachable
  CHECK(summary.output.find("AWS-Secrets-Manager: 7/7 interactions exercised, 0 unmatched request(s)") != std::string::npos);
  CHECK(summary.output.find("GCP-Secret-Manager: 7/8 interactions exercised, 0 unmatched request(s)") != std::string::npos);
  CHECK(summary.output.find("Azure-Key-Vault: 0/7 interactions exercised, 0 unmatched request(s)") != std::string::npos);
  for (const auto& [mock, description] : expected) CHECK(summary.output.find(description) != std::string::npos);
  const std::string junit = ts::readFile((outDir / "coverage-report.xml").string());
  CHECK(junit.find("<testsuite name=\"Azure-Key-Vault\" tests=\"7\" failures=\"7\"") != std::string::npos);

  report.args = {"--manager", loopbackUrl(ports.manager), "--require-all"};
  const auto strict = run(report, 30s);
  INFO("pact-mocks-report --require-all output:\n" << strict.output);
  CHECK(strict.exitCode == 1);

  CHECK(pod.stop(20s) == 0);
}
