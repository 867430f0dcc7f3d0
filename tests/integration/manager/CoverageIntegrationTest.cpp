// The pod's coverage on the manager, with real processes on loopback: GET /coverage merges the
// mocks of MOCK_URLS (one serving, one down, one that never answers), GET / renders the status
// page from live data, neither holds up the event loop, and pact-mocks-report reads the live
// manager (text, --junit, --require-all exit codes).
#include <catch2/catch.hpp>

#include <filesystem>
#include <future>

#include <nlohmann/json.hpp>

#include "HungPeer.h"
#include "JsonHttp.h"
#include "KubeletVolume.h"
#include "PodProcesses.h"
#include "TestPacts.h"

using namespace pactmocks;
using namespace std::chrono_literals;
using nlohmann::json;
namespace ts = pactmocks::testsupport;
using pactmocks::mockserver::testing::hostilePact;
using pactmocks::mockserver::testing::smallPact;

namespace {

const std::string kTarget = "/secrets/test-secret?api-version=7.4";

struct Pod {
  ts::TempDir dir;
  ts::ServerProcess broker;
  ts::ServerProcess azure;  // local mode, with a hostile description (Key Vault's challenge: send a token)
  ts::HungPeer hung;
  std::uint16_t down = ts::freePort();

  Pod() {
    broker = ts::startBrokerProcess({});
    std::filesystem::create_directories(dir / "mock-pacts");
    ts::writeFile(dir / "mock-pacts/azure.json", hostilePact("Azure-Key-Vault"));
    azure = ts::startServingMock("azure-mock-server", {}, {"--pacts-dir", dir / "mock-pacts"});
  }

  // A manager publishing one pact, asking the mocks named in `mockUrls`.
  ts::ServerProcess manager(const std::string& name, const std::string& mockUrls) {
    ts::KubeletVolume volume(dir / name);
    volume.update({{"azure.json", smallPact("Azure-Key-Vault")}});
    ts::ManagerProcessOptions o;
    o.brokerUrl = broker.url();
    o.configMapPath = volume.mountDir();
    o.env = {{"MOCK_URLS", mockUrls}, {"MOCK_TIMEOUT_SECONDS", "0.5"}};
    auto m = ts::startManagerProcess(o);
    REQUIRE(ts::waitForHttpStatus(m.port, "/ready", 200, 20s));
    return m;
  }
  std::string allMocks() const {
    return "azure=" + azure.url() + ",down=http://127.0.0.1:" + std::to_string(down) +
           ",hung=http://127.0.0.1:" + std::to_string(hung.port());
  }
  void hit(const std::string& state) const {
    REQUIRE(ts::httpRequest(azure.port, "GET", kTarget, {}, {{"X-Pact-Provider-State", state}}).status < 500);
  }
};

struct ReportRun {
  int exitCode = -1;
  std::string output;
};

ReportRun runReport(std::uint16_t managerPort, std::vector<std::string> extra = {}) {
  ts::ProcessOptions o;
  o.executable = ts::builtExecutable("pact-mocks-report");
  o.args = {"--manager", "http://127.0.0.1:" + std::to_string(managerPort)};
  o.args.insert(o.args.end(), extra.begin(), extra.end());
  auto p = ts::TestProcess::start(o);
  const auto rc = p.waitForExit(30s);
  return {rc.value_or(-1), p.output()};
}

}  // namespace

TEST_CASE("GET /coverage merges every mock; a mock that is down or hung is unreachable, not an error", "[coverage]") {
  Pod pod;
  auto manager = pod.manager("cm", pod.allMocks());
  pod.hit("secret deleted");  // the hostile interaction stays unexercised: the page lists it

  const auto started = std::chrono::steady_clock::now();
  // Meanwhile the loop answers at once: the mocks are asked on the fetcher's worker.
  auto coverage = std::async(std::launch::async, [&] { return ts::getJsonReply(manager.port, "/coverage", 10s); });
  const auto liveness = ts::httpGet(manager.port, "/liveness", 1s);
  const auto reply = coverage.get();
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(liveness.status == 200);
  REQUIRE(reply.status == 200);
  CHECK(took < 4s);  // two calls of at most 0.5 s per mock, all mocks at once

  const json& doc = reply.body;
  INFO(doc.dump(2).substr(0, 4000));
  REQUIRE(doc["mocks"].size() == 3);
  CHECK(doc["mocks"][0]["name"] == "azure");
  CHECK(doc["mocks"][0]["reachable"] == true);
  CHECK(doc["mocks"][0]["provider"] == "Azure-Key-Vault");
  CHECK(doc["mocks"][1]["reachable"] == false);
  CHECK_FALSE(doc["mocks"][1]["error"].get<std::string>().empty());
  CHECK(doc["mocks"][2]["reachable"] == false);
  CHECK(doc["totals"]["mocks"] == 3);
  CHECK(doc["totals"]["unreachable_mocks"] == 2);
  CHECK(doc["totals"]["interactions"] == 3);
  CHECK(doc["totals"]["exercised"] == 1);
  CHECK(doc["interactions"][0]["mock"] == "azure");
  CHECK(doc["interactions"][0]["description"].get<std::string>().starts_with(mockserver::testing::kHostileStart));

  SECTION("GET / shows broker, providers, mocks with source and coverage, unexercised interactions, mismatches") {
    REQUIRE(ts::httpRequest(pod.azure.port, "GET", "/secrets/\xff<img/src=x>?api-version=7.4", {},
                            {{"Authorization", "Bearer t"}}).status == 500);
    const auto page = ts::httpGet(manager.port, "/", 10s);
    REQUIRE(page.status == 200);
    CHECK(page.header("content-type").starts_with("text/html"));
    const std::string& html = page.body;
    INFO("page (start):\n" << html.substr(0, html.find("<h2>Not exercised")));
    CHECK(html.find("<meta http-equiv=\"refresh\"") != std::string::npos);
    CHECK(html.find("<span class=\"ok\">healthy</span>") != std::string::npos);
    CHECK(html.find("<td>Azure-Key-Vault</td><td>Secret-Manager-Controller</td>") != std::string::npos);
    CHECK(html.find("<td>dir</td><td>3</td>") != std::string::npos);
    CHECK(html.find("1/3 exercised") != std::string::npos);
    CHECK(html.find("Not exercised (2)") != std::string::npos);
    CHECK(html.find("Recent mismatches (1)") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;amp;") != std::string::npos);
    CHECK(html.find("/secrets/\xEF\xBF\xBD&lt;img/src=x&gt;") != std::string::npos);  // the path, replaced and escaped
    CHECK(html.find('\xff') == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("unreachable</span>") != std::string::npos);
  }
}

TEST_CASE("pact-mocks-report against the live manager: summary, JUnit, exit codes", "[coverage][report]") {
  Pod pod;
  auto manager = pod.manager("cm-report", "azure=" + pod.azure.url());
  ts::TempDir out;
  const std::string junit = out / "coverage.xml";

  pod.hit("secret exists");
  auto partial = runReport(manager.port, {"--junit", junit});
  INFO(partial.output);
  CHECK(partial.exitCode == 0);  // nothing unmatched, every mock reachable
  CHECK(partial.output.find("Azure-Key-Vault: 1/3 interactions exercised, 0 unmatched request(s)") != std::string::npos);
  CHECK(partial.output.find("get secret test-secret when it is gone") != std::string::npos);
  const std::string xml = ts::readFile(junit);
  CHECK(xml.starts_with("<?xml"));
  CHECK(xml.find("<testsuite name=\"Azure-Key-Vault\" tests=\"3\" failures=\"2\"") != std::string::npos);
  CHECK(xml.find("<script") == std::string::npos);

  auto strict = runReport(manager.port, {"--require-all"});
  INFO(strict.output);
  CHECK(strict.exitCode == 1);

  pod.hit("secret deleted");
  REQUIRE(ts::httpRequest(pod.azure.port, "PUT", kTarget, R"({"value":"new"})", {{"Content-Type", "application/json"}})
              .status == 200);
  auto complete = runReport(manager.port, {"--require-all"});
  INFO(complete.output);
  CHECK(complete.exitCode == 0);
  CHECK(complete.output.find("Azure-Key-Vault: 3/3 interactions exercised, 0 unmatched request(s)") != std::string::npos);

  REQUIRE(ts::httpRequest(pod.azure.port, "DELETE", "/nowhere", {}, {{"Authorization", "Bearer t"}}).status == 500);
  auto unmatched = runReport(manager.port);
  INFO(unmatched.output);
  CHECK(unmatched.exitCode == 1);

  // A mock that is down fails the report even without --require-all: its coverage is unknown.
  auto withDown = pod.manager("cm-down", "azure=" + pod.azure.url() + ",down=http://127.0.0.1:" + std::to_string(pod.down));
  REQUIRE(ts::httpRequest(pod.azure.port, "POST", "/__admin/reset").status == 200);
  CHECK(runReport(withDown.port).exitCode == 1);
  CHECK(runReport(ts::freePort()).exitCode == 2);  // no manager there
}
