#include <catch2/catch.hpp>

#include "StatusPage.h"

using namespace pactmocks::manager;
using nlohmann::json;

namespace {

const std::string kHostile = std::string("<script>alert(1)</script>\"'&\xff\xc3") + std::string(10000, 'x');

StatusPageInput input() {
  StatusPageInput in;
  in.generatedAt = "2026-12-02T00:00:00Z";
  in.refreshSeconds = 7;
  in.brokerHealthy = true;
  in.brokerUrl = "http://pact-broker:9292";
  in.providers.push_back({"AWS-Secrets-Manager", {"Secret-Manager-Controller"}, "main-abc123-1a2b3c",
                          "0123456789abcdef0123", "2026-12-01T23:59:00Z"});
  in.mocks.push_back({"aws", "http://localhost:1234", true, "", "broker", 4, 3, 2});
  in.mocks.push_back({"gcp", "http://localhost:1235", false, "connection refused", "", 0, 0, 0});
  in.unexercised.push_back({"aws", "Secret-Manager-Controller", kHostile, {"a <state>"}});
  in.mismatches.push_back({"aws", "GET", "/x?<b>", kHostile, 5, {"header '" + kHostile + "'"}});
  return in;
}

}  // namespace

TEST_CASE("the status page is one self-refreshing document with inline CSS and no external assets") {
  const auto html = renderStatusPage(input());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<meta http-equiv=\"refresh\" content=\"7\">") != std::string::npos);
  CHECK(html.find("<style>") != std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("http-equiv=\"refresh\" content=\"1\"") == std::string::npos);
}

TEST_CASE("the status page shows broker, providers, mocks with a coverage bar and mismatches") {
  const auto html = renderStatusPage(input());
  CHECK(html.find("<span class=\"ok\">healthy</span>") != std::string::npos);
  CHECK(html.find("<td>AWS-Secrets-Manager</td><td>Secret-Manager-Controller</td><td><code>main-abc123-1a2b3c</code>"
                  "</td><td><code>0123456789ab</code></td><td>2026-12-01T23:59:00Z</td>") != std::string::npos);
  CHECK(html.find("style=\"display:block;width:75%\"") != std::string::npos);
  CHECK(html.find("3/4 exercised") != std::string::npos);
  CHECK(html.find("<td>broker</td>") != std::string::npos);
  CHECK(html.find("<span class=\"bad\">unreachable</span>: connection refused") != std::string::npos);
  CHECK(html.find("Not exercised (1)") != std::string::npos);
  CHECK(html.find("Recent mismatches (1)") != std::string::npos);
  auto unhealthy = input();
  unhealthy.brokerHealthy = false;
  CHECK(renderStatusPage(unhealthy).find("<span class=\"bad\">unreachable</span></p>") != std::string::npos);
}

TEST_CASE("every contract-supplied string is escaped on the status page") {
  const auto html = renderStatusPage(input());
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("<state>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;\xEF\xBF\xBD\xEF\xBF\xBD") != std::string::npos);
  CHECK(html.find("/x?&lt;b&gt;") != std::string::npos);
  CHECK(html.find('\xff') == std::string::npos);
}

TEST_CASE("long lists are cut so the page stays small") {
  auto in = input();
  in.unexercised.assign(kStatusPageMaxRows + 5, {"aws", "c", "d", {}});
  const auto html = renderStatusPage(in);
  CHECK(html.find("… and 5 more") != std::string::npos);
}

TEST_CASE("the status page's coverage part comes from the merged coverage document") {
  const auto merged = json::parse(R"({
    "mocks": [
      {"name": "aws", "url": "http://a:1", "reachable": true,
       "totals": {"interactions": 2, "exercised": 1, "unmatched_requests": 4}},
      {"name": "gcp", "url": "http://g:1", "reachable": false, "error": "timeout"}],
    "interactions": [
      {"mock": "aws", "consumer": "C", "description": "hit", "hits": 1},
      {"mock": "aws", "consumer": "C", "description": "missed", "provider_states": ["s"], "hits": 0}],
    "unmatched": [
      {"mock": "aws", "count": 4, "nearest": {"description": "hit"},
       "example": {"method": "PUT", "path": "/p"}, "mismatches": ["method: expected GET"]}]})");
  StatusPageInput in;
  addCoverage(in, merged);
  REQUIRE(in.mocks.size() == 2);
  CHECK(in.mocks[0].interactions == 2);
  CHECK(in.mocks[0].exercised == 1);
  CHECK(in.mocks[0].unmatchedRequests == 4);
  CHECK_FALSE(in.mocks[1].reachable);
  CHECK(in.mocks[1].error == "timeout");
  REQUIRE(in.unexercised.size() == 1);
  CHECK(in.unexercised[0].description == "missed");
  CHECK(in.unexercised[0].providerStates == std::vector<std::string>{"s"});
  REQUIRE(in.mismatches.size() == 1);
  CHECK(in.mismatches[0].method == "PUT");
  CHECK(in.mismatches[0].nearest == "hit");
  CHECK(in.mismatches[0].reasons == std::vector<std::string>{"method: expected GET"});
  StatusPageInput untouched;
  addCoverage(untouched, json::array());
  CHECK(untouched.mocks.empty());
}

TEST_CASE("long contract text is cut in its cell and kept whole in the tooltip") {
  const auto html = renderStatusPage(input());
  const auto cut = std::string("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;\xEF\xBF\xBD\xEF\xBF\xBD") +
                   std::string(300 - 30, 'x') + "…</span>";
  CHECK(html.find(cut) != std::string::npos);
  CHECK(html.find("<span title=\"&lt;script&gt;") != std::string::npos);
  CHECK(html.find(std::string(10000, 'x') + "\">") != std::string::npos);
}
