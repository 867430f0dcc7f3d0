#include <catch2/catch.hpp>

#include "CoverageApi.h"

using namespace pactmocks;
using namespace pactmocks::manager;
using nlohmann::json;

namespace {

MockAnswer answer(const std::string& name, Result<std::string> body, std::string source = "") {
  return {.coverage = {.mock = {name, "http://" + name + ":1234"}, .body = std::move(body)}, .source = std::move(source)};
}

std::string coverageDocument(const std::string& provider, std::uint64_t hits) {
  return json{{"since", "2026-12-02T00:00:00.000Z"},
              {"interactions",
               {{{"consumer", "Secret-Manager-Controller"}, {"provider", provider}, {"description", "read"},
                 {"provider_states", json::array()}, {"hits", hits}}}},
              {"unmatched", json::array()},
              {"totals", {{"interactions", 1}, {"exercised", hits > 0 ? 1 : 0}, {"unexercised", hits > 0 ? 0 : 1},
                          {"unmatched_requests", 0}}}}
      .dump();
}

}  // namespace

TEST_CASE("the status page's input: providers from the manager's status, mocks and their sources from the round") {
  StatusSnapshot status;
  status.brokerHealthy = true;
  status.published = {{.provider = "AWS-Secrets-Manager", .consumer = "Secret-Manager-Controller", .version = "main-abc",
                       .sha256 = "0123", .publishedAt = "2026-12-02T00:00:00.000Z", .file = "aws.json", .generation = 1}};
  const std::vector<MockAnswer> round = {answer("aws", coverageDocument("AWS-Secrets-Manager", 2), "broker"),
                                         answer("gcp", fail("connection refused"))};
  const auto in = statusPageInput(status, "http://broker:9292", round, "2026-12-02T00:00:01.000Z");
  CHECK(in.brokerHealthy);
  CHECK(in.brokerUrl == "http://broker:9292");
  REQUIRE(in.providers.size() == 1);
  CHECK(in.providers[0].name == "AWS-Secrets-Manager");
  CHECK(in.providers[0].consumers == std::vector<std::string>{"Secret-Manager-Controller"});
  CHECK(in.providers[0].version == "main-abc");
  CHECK(in.providers[0].sha256 == "0123");
  REQUIRE(in.mocks.size() == 2);
  CHECK(in.mocks[0].source == "broker");
  CHECK(in.mocks[0].exercised == 1);
  CHECK_FALSE(in.mocks[1].reachable);
  CHECK(in.mocks[1].error == "connection refused");
  CHECK(in.unexercised.empty());
}

TEST_CASE("the pod's coverage of a round: each mock's document merged, the unanswered ones unreachable") {
  const auto merged = podCoverage({answer("aws", coverageDocument("AWS-Secrets-Manager", 0)), answer("azure", fail("timeout"))});
  CHECK(merged["totals"]["mocks"] == 2);
  CHECK(merged["totals"]["unreachable_mocks"] == 1);
  CHECK(merged["totals"]["unexercised"] == 1);
  CHECK(merged["interactions"][0]["mock"] == "aws");
  CHECK(merged["mocks"][1]["error"] == "timeout");
}
