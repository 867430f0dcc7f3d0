// Contract coverage on a real mock process (local mode): GET /__admin/coverage (JSON and JUnit),
// GET /__admin/verify with its filters, POST /__admin/reset, the coverage series of /metrics,
// counts across a reload, and hostile interaction descriptions.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "Eventually.h"
#include "JsonHttp.h"
#include "PodProcesses.h"
#include "TestPacts.h"

using namespace pactmocks;
using namespace pactmocks::mockserver::testing;
using namespace std::chrono_literals;
using nlohmann::json;
using testsupport::httpRequest;

namespace {

const std::string kTarget = "/secrets/test-secret?api-version=7.4";

struct AzureMock {
  testsupport::TempDir dir;
  testsupport::ServerProcess mock;
  explicit AzureMock(const std::string& pact = smallPact("Azure-Key-Vault")) {
    testsupport::writeFile(dir / "azure.json", pact);
    mock = testsupport::startMockProcess("azure-mock-server", {{"RELOAD_INTERVAL_SECONDS", "0.2"}},
                                         {"--pacts-dir", dir.path()});
    REQUIRE(testsupport::waitForHttpStatus(mock.port, "/health", 200, 10s));
  }
  std::uint16_t port() const { return mock.port; }

  testsupport::HttpReply get(const std::string& state, std::map<std::string, std::string> headers = {}) const {
    headers.emplace("X-Pact-Provider-State", state);
    headers.emplace("Authorization", "Bearer t");
    return httpRequest(port(), "GET", kTarget, {}, headers);
  }
  testsupport::HttpReply put(const std::string& body) const {
    return httpRequest(port(), "PUT", kTarget, body, {{"Content-Type", "application/json"}, {"Authorization", "Bearer t"}});
  }
  json coverage() const { return testsupport::getJson(port(), "/__admin/coverage"); }
};

const json& interaction(const json& coverage, const std::string& description) {
  for (const auto& i : coverage["interactions"])
    if (i["description"] == description) return i;
  FAIL("no interaction '" << description << "' in " << coverage.dump());
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("coverage counts hits, faults and unmatched requests; verify, JUnit and metrics report them", "[coverage]") {
  AzureMock azure;
  auto fresh = azure.coverage();
  CHECK(fresh["totals"] == json{{"interactions", 3}, {"exercised", 0}, {"unexercised", 3}, {"unmatched_requests", 0}});
  auto verify = testsupport::getJsonReply(azure.port(), "/__admin/verify");
  CHECK(verify.status == 409);
  CHECK(verify.body["ok"] == false);
  CHECK(verify.body["unexercised"].size() == 3);

  REQUIRE(azure.get("secret exists").status == 200);
  REQUIRE(azure.get("secret exists", {{"X-Rate-Limit", "true"}}).status == 429);
  REQUIRE(azure.put(R"({"value":"other"})").status == 500);  // no interaction has this body

  const auto doc = azure.coverage();
  INFO(doc.dump(2));
  const auto& read = interaction(doc, "get secret test-secret");
  CHECK(read["hits"] == 2);
  CHECK(read["faults"] == json{{"rate-limit", 1}});
  CHECK(read["consumer"] == "Secret-Manager-Controller");
  CHECK(read["provider_states"] == json{"secret exists"});
  CHECK(read["first_hit"].is_string());
  CHECK(interaction(doc, "set secret test-secret")["hits"] == 0);
  CHECK(doc["totals"] == json{{"interactions", 3}, {"exercised", 1}, {"unexercised", 2}, {"unmatched_requests", 1}});
  REQUIRE(doc["unmatched"].size() == 1);
  CHECK(doc["unmatched"][0]["nearest"]["description"] == "set secret test-secret");
  CHECK(doc["unmatched"][0]["example"] == json{{"method", "PUT"}, {"path", "/secrets/test-secret"}});
  CHECK_FALSE(doc["unmatched"][0]["mismatches"].empty());

  SECTION("verify filters by consumer and provider state") {
    CHECK(testsupport::getJsonReply(azure.port(), "/__admin/verify?consumer=Secret-Manager-Controller").status == 409);
    auto none = testsupport::getJsonReply(azure.port(), "/__admin/verify?consumer=Nobody");
    CHECK(none.status == 200);
    CHECK(none.body["interactions"] == 0);
    auto deleted = testsupport::getJsonReply(azure.port(), "/__admin/verify?state=secret%20deleted");
    CHECK(deleted.status == 409);
    CHECK(deleted.body["interactions"] == 1);
    CHECK(deleted.body["unexercised"][0]["description"] == "get secret test-secret when it is gone");
    CHECK(deleted.body["unmatched"].empty());  // the unmatched PUT was near "set secret", state "secret exists"
  }
  SECTION("JUnit XML: a case per interaction, a failed case per unmatched group") {
    auto xml = testsupport::httpGet(azure.port(), "/__admin/coverage?format=junit");
    CHECK(xml.status == 200);
    CHECK(xml.header("content-type").starts_with("application/xml"));
    CHECK(xml.body.starts_with("<?xml"));
    CHECK(xml.body.find("<testsuites tests=\"4\" failures=\"3\">") != std::string::npos);
    CHECK(xml.body.find("name=\"get secret test-secret\"/>") != std::string::npos);
    CHECK(xml.body.find("requests near: set secret test-secret") != std::string::npos);
    CHECK(testsupport::httpGet(azure.port(), "/__admin/coverage?format=yaml").status == 400);
  }
  SECTION("metrics: requests per interaction and unmatched requests") {
    auto metrics = testsupport::httpGet(azure.port(), "/metrics");
    CHECK(metrics.body.find("pactmocks_interaction_requests_total{consumer=\"Secret-Manager-Controller\","
                            "interaction=\"get secret test-secret\"} 2\n") != std::string::npos);
    CHECK(metrics.body.find("pactmocks_unmatched_requests_total 1\n") != std::string::npos);
    CHECK(metrics.body.find("pactmocks_requests_total{") != std::string::npos);  // the existing series stay
  }
  SECTION("the coverage endpoints are never faulted") {
    CHECK(httpRequest(azure.port(), "GET", "/__admin/coverage", {}, {{"X-Service-Unavailable", "true"}}).status == 200);
    CHECK(httpRequest(azure.port(), "POST", "/__admin/reset", {}, {{"X-Fault", "reset"}}).status == 200);
  }
  SECTION("reset clears coverage and the journal; then a complete run verifies") {
    auto reset = httpRequest(azure.port(), "POST", "/__admin/reset");
    CHECK(reset.status == 200);
    auto cleared = azure.coverage();
    CHECK(cleared["totals"] == json{{"interactions", 3}, {"exercised", 0}, {"unexercised", 3}, {"unmatched_requests", 0}});
    CHECK(cleared["unmatched"].empty());
    CHECK(testsupport::getJson(azure.port(), "/__admin/requests")["requests"].empty());

    REQUIRE(azure.get("secret exists").status == 200);
    REQUIRE(azure.get("secret deleted").status == 404);
    REQUIRE(azure.put(R"({"value":"new"})").status == 200);
    auto ok = testsupport::getJsonReply(azure.port(), "/__admin/verify");
    INFO(ok.body.dump());
    CHECK(ok.status == 200);
    CHECK(ok.body["ok"] == true);
    CHECK(ok.body["interactions"] == 3);
  }
}

TEST_CASE("a reload keeps the counts of unchanged interactions; an edited one starts at zero", "[coverage]") {
  AzureMock azure;
  REQUIRE(azure.get("secret exists").status == 200);
  REQUIRE(azure.get("secret deleted").status == 404);
  REQUIRE(azure.put(R"({"value":"new"})").status == 200);

  // The same pact with the PUT interaction's response edited, and a second consumer's pact.
  auto edited = json::parse(smallPact("Azure-Key-Vault"));
  edited["interactions"][2]["response"]["body"]["value"] = "newer";
  testsupport::writeFile(azure.dir / "azure.json", edited.dump());
  testsupport::writeFile(azure.dir / "other.json", smallPact("Azure-Key-Vault", "Other-Consumer", "other read"));
  REQUIRE(testsupport::eventually([&] { return azure.coverage()["totals"]["interactions"] == 6; }, 10s,
                                  "the reload serves both pacts"));
  const auto doc = azure.coverage();
  INFO(doc.dump(2));
  CHECK(interaction(doc, "get secret test-secret")["hits"] == 1);
  CHECK(interaction(doc, "get secret test-secret when it is gone")["hits"] == 1);
  CHECK(interaction(doc, "other read")["hits"] == 0);
  for (const auto& i : doc["interactions"])
    if (i["description"] == "set secret test-secret" && i["consumer"] == "Secret-Manager-Controller") CHECK(i["hits"] == 0);
  CHECK(testsupport::getJson(azure.port(), "/health")["reloads"].get<int>() >= 1);
}

TEST_CASE("hostile text (a contract's description, a request's path) keeps JSON, JUnit XML and metrics valid", "[coverage]") {
  AzureMock azure(hostilePact("Azure-Key-Vault"));
  REQUIRE(azure.get("secret exists").status == 200);
  // A path that is not UTF-8 (raw bytes on the wire): an unmatched request like any other, answered in JSON.
  const auto odd = httpRequest(azure.port(), "GET", "/secrets/\xff\xfe<b>?api-version=7.4", {},
                               {{"Authorization", "Bearer t"}});
  CHECK(odd.status == 500);
  CHECK(odd.header("x-pact") == "Request-Mismatch");
  REQUIRE_NOTHROW(json::parse(odd.body));

  const auto raw = testsupport::httpGet(azure.port(), "/__admin/coverage");
  json doc;
  REQUIRE_NOTHROW(doc = json::parse(raw.body));
  const auto description = doc["interactions"][0]["description"].get<std::string>();
  CHECK(description.starts_with(std::string(kHostileStart) + "\x01xxx"));
  CHECK(description.ends_with("END-OF-HOSTILE"));
  CHECK(description.size() > 10000);
  CHECK(doc["interactions"][0]["hits"] == 1);
  REQUIRE(doc["unmatched"].size() == 1);
  CHECK(doc["unmatched"][0]["example"]["path"] == "/secrets/\xEF\xBF\xBD\xEF\xBF\xBD<b>");

  const auto xml = testsupport::httpGet(azure.port(), "/__admin/coverage?format=junit").body;
  CHECK(xml.find("<script>") == std::string::npos);
  CHECK(xml.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;amp;xxx") != std::string::npos);
  CHECK(xml.find('\x01') == std::string::npos);
  CHECK(xml.find('\xff') == std::string::npos);
  CHECK(xml.find("/secrets/\xEF\xBF\xBD\xEF\xBF\xBD&lt;b&gt;") != std::string::npos);

  const auto metrics = testsupport::httpGet(azure.port(), "/metrics").body;
  CHECK(metrics.find("interaction=\"<script>alert(1)</script>\\\"'&amp;") != std::string::npos);
  CHECK(metrics.find("pactmocks_unmatched_requests_total 1\n") != std::string::npos);
  REQUIRE_NOTHROW(json::parse(testsupport::httpGet(azure.port(), "/__admin/verify").body));
}
