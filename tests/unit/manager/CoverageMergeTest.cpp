#include <catch2/catch.hpp>

#include "CoverageMerge.h"

using namespace pactmocks;
using namespace pactmocks::manager;
using nlohmann::json;

namespace {

std::string mockDocument(const std::string& provider, int hits, int unmatched) {
  json doc = {{"since", "2026-01-01T00:00:00.000Z"},
              {"interactions",
               {{{"consumer", "Secret-Manager-Controller"}, {"provider", provider}, {"description", "get"},
                 {"provider_states", json::array()}, {"hits", hits}},
                {{"consumer", "Secret-Manager-Controller"}, {"provider", provider}, {"description", "put"},
                 {"provider_states", json::array()}, {"hits", 0}}}},
              {"unmatched", json::array()},
              {"totals", {{"interactions", 2}, {"exercised", hits > 0 ? 1 : 0}, {"unexercised", hits > 0 ? 1 : 2},
                          {"unmatched_requests", unmatched}}}};
  if (unmatched > 0)
    doc["unmatched"].push_back({{"nearest", {{"consumer", "Secret-Manager-Controller"}, {"description", "get"}}},
                                {"count", unmatched}, {"example", {{"method", "GET"}, {"path", "/x"}}},
                                {"mismatches", {"path: expected /get"}}});
  return doc.dump();
}

}  // namespace

TEST_CASE("MOCK_URLS lists name=url or bare URLs; the default is the pod-local ports") {
  auto mocks = parseMockUrls(kDefaultMockUrls);
  REQUIRE(mocks);
  REQUIRE(mocks->size() == 3);
  CHECK((*mocks)[0].name == "aws");
  CHECK((*mocks)[0].url == "http://localhost:1234");
  CHECK((*mocks)[2].url == "http://localhost:1236");

  mocks = parseMockUrls(" gcp = http://gcp-mock-server:1234/ , http://other:1 ,");
  REQUIRE(mocks);
  REQUIRE(mocks->size() == 2);
  CHECK((*mocks)[0].name == "gcp");
  CHECK((*mocks)[0].url == "http://gcp-mock-server:1234");
  CHECK((*mocks)[1].name == "http://other:1");

  CHECK_FALSE(parseMockUrls(""));
  CHECK_FALSE(parseMockUrls("aws=localhost:1234"));
  CHECK(parseMockUrls("=http://x").error().find("MOCK_URLS") != std::string::npos);
}

TEST_CASE("merging tags every entry with its mock and sums the totals") {
  const std::vector<MockCoverage> mocks = {
      {{"aws", "http://localhost:1234"}, mockDocument("AWS-Secrets-Manager", 3, 0)},
      {{"gcp", "http://localhost:1235"}, mockDocument("GCP-Secret-Manager", 0, 2)},
  };
  const auto merged = mergeCoverage(mocks);
  CHECK(merged["totals"] == json{{"mocks", 2}, {"unreachable_mocks", 0}, {"interactions", 4}, {"exercised", 1},
                                 {"unexercised", 3}, {"unmatched_requests", 2}});
  REQUIRE(merged["interactions"].size() == 4);
  CHECK(merged["interactions"][0]["mock"] == "aws");
  CHECK(merged["interactions"][3]["mock"] == "gcp");
  REQUIRE(merged["unmatched"].size() == 1);
  CHECK(merged["unmatched"][0]["mock"] == "gcp");
  CHECK(merged["mocks"][0]["reachable"] == true);
  CHECK(merged["mocks"][0]["provider"] == "AWS-Secrets-Manager");
  CHECK(merged["mocks"][1]["totals"]["unmatched_requests"] == 2);
}

TEST_CASE("an unreachable mock or a body that is not coverage is reported, not dropped") {
  const std::vector<MockCoverage> mocks = {
      {{"aws", "http://localhost:1234"}, fail("connection refused")},
      {{"gcp", "http://localhost:1235"}, std::string("<html>not json</html>")},
      {{"azure", "http://localhost:1236"}, std::string(R"({"interactions":[]})")},
      {{"ok", "http://localhost:1"}, mockDocument("Azure-Key-Vault", 1, 0)},
  };
  const auto merged = mergeCoverage(mocks);
  REQUIRE(merged["mocks"].size() == 4);
  CHECK(merged["mocks"][0] == json{{"name", "aws"}, {"url", "http://localhost:1234"}, {"reachable", false},
                                   {"error", "connection refused"}});
  CHECK(merged["mocks"][1]["reachable"] == false);
  CHECK(merged["mocks"][1]["error"].get<std::string>().find("not a coverage document") == 0);
  CHECK(merged["mocks"][2]["reachable"] == false);
  CHECK(merged["mocks"][3]["reachable"] == true);
  CHECK(merged["totals"]["unreachable_mocks"] == 3);
  CHECK(merged["totals"]["interactions"] == 2);
}
