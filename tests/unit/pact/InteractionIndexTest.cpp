#include <catch2/catch.hpp>

#include "TestRequests.h"
#include "pact/InteractionIndex.h"

using namespace pactmocks::pact;
using namespace pactmocks::pact::test;
using nlohmann::json;

namespace {
json interaction(std::string description, json request, std::vector<std::string> states = {}) {
  json i = {{"description", std::move(description)}, {"request", std::move(request)}, {"response", {{"status", 200}}}};
  if (!states.empty()) {
    json s = json::array();
    for (auto& n : states) s.push_back({{"name", n}});
    i["providerStates"] = s;
  }
  return i;
}

json awsInteraction(int n) {
  return interaction("get secret " + std::to_string(n),
                     {{"method", "POST"},
                      {"path", "/"},
                      {"headers", {{"X-Amz-Target", n % 2 ? "secretsmanager.GetSecretValue" : "secretsmanager.DescribeSecret"},
                                   {"Content-Type", "application/x-amz-json-1.1"}}},
                      {"body", {{"SecretId", "secret-" + std::to_string(n)}}}});
}
}  // namespace

TEST_CASE("literal paths are found; nothing matched reports the closest interactions") {
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(json::array({interaction("a", {{"method", "GET"}, {"path", "/a"}}),
                                      interaction("b", {{"method", "GET"}, {"path", "/b"}, {"query", {{"x", {"1"}}}}})})));
  InteractionIndex index(std::move(pacts));
  CHECK(index.size() == 2);
  auto hit = index.match(request("get", "/a"));
  REQUIRE(hit.matched);
  CHECK(hit.matched->description == "a");
  CHECK(hit.pact->provider == "P");

  auto miss = index.match(request("GET", "/b?x=2"));
  CHECK_FALSE(miss.matched);
  REQUIRE_FALSE(miss.closest.empty());
  CHECK(miss.closest[0].interaction->description == "b");
  REQUIRE(miss.closest[0].mismatches.size() == 1);
  CHECK(miss.closest[0].mismatches[0].kind == Mismatch::Kind::Query);
}

TEST_CASE("selection: provider state header, then specificity, then file order") {
  json typed = {{"method", "GET"},
                {"path", "/s"},
                {"headers", {{"X-Id", "1"}}},
                {"matchingRules", {{"header", {{"X-Id", {{"matchers", {{{"match", "type"}}}}}}}}}}};
  json literal = {{"method", "GET"}, {"path", "/s"}, {"headers", {{"X-Id", "1"}}}};
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(json::array({interaction("loose first", typed, {"missing"}),
                                      interaction("literal", literal, {"exists"}),
                                      interaction("literal later", literal, {"exists"})})));
  InteractionIndex index(std::move(pacts));
  CHECK(index.match(request("GET", "/s", {{"X-Id", "1"}})).matched->description == "literal");
  CHECK(index.match(request("GET", "/s", {{"X-Id", "1"}, {"X-Pact-Provider-State", "missing"}})).matched->description ==
        "loose first");
  CHECK(index.match(request("GET", "/s", {{"X-Id", "2"}})).matched->description == "loose first");
}

TEST_CASE("interactions with path rules are scanned after the literal map") {
  json pattern = {{"method", "GET"},
                  {"path", "/items/1"},
                  {"matchingRules", {{"path", {{"matchers", {{{"match", "regex"}, {"regex", "/items/\\d+"}}}}}}}}};
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(json::array({interaction("pattern", pattern), interaction("exact", {{"method", "GET"}, {"path", "/items/7"}})})));
  InteractionIndex index(std::move(pacts));
  CHECK(index.match(request("GET", "/items/7")).matched->description == "exact");
  CHECK(index.match(request("GET", "/items/99")).matched->description == "pattern");
  CHECK_FALSE(index.match(request("POST", "/items/99")).matched);
}

TEST_CASE("AWS-style POST / contracts are told apart by X-Amz-Target and body") {
  json list = json::array();
  for (int n = 0; n < 2000; ++n) list.push_back(awsInteraction(n));
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(list));
  InteractionIndex index(std::move(pacts));
  for (int n : {0, 1, 777, 1998, 1999}) {
    auto r = request("POST", "/",
                     {{"X-Amz-Target", n % 2 ? "secretsmanager.GetSecretValue" : "secretsmanager.DescribeSecret"},
                      {"Content-Type", "application/x-amz-json-1.1"},
                      {"Authorization", "AWS4-HMAC-SHA256 ..."}},
                     R"({"SecretId":"secret-)" + std::to_string(n) + R"("})");
    auto out = index.match(r);
    REQUIRE(out.matched);
    CHECK(out.matched->description == "get secret " + std::to_string(n));
  }
  // Right target, unknown secret: a miss that names same-target interactions first.
  auto miss = index.match(request("POST", "/",
                                  {{"X-Amz-Target", "secretsmanager.GetSecretValue"}, {"Content-Type", "application/x-amz-json-1.1"}},
                                  R"({"SecretId":"nope"})"));
  CHECK_FALSE(miss.matched);
  REQUIRE(miss.closest.size() == 3);
  for (const auto& c : miss.closest) {
    REQUIRE(c.mismatches.size() == 1);
    CHECK(c.mismatches[0].location == "$.body.SecretId");
  }
}

TEST_CASE("interactions with a rule on the discriminating header still match") {
  json list = json::array();
  for (int n = 0; n < 20; ++n) list.push_back(awsInteraction(n));
  list.push_back(interaction("any target",
                             {{"method", "POST"},
                              {"path", "/"},
                              {"headers", {{"X-Amz-Target", "x"}}},
                              {"matchingRules", {{"header", {{"X-Amz-Target", {{"matchers", {{{"match", "regex"}, {"regex", "custom\\..*"}}}}}}}}}}}));
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(list));
  InteractionIndex index(std::move(pacts));
  auto out = index.match(request("POST", "/", {{"X-Amz-Target", "custom.Op"}}));
  REQUIRE(out.matched);
  CHECK(out.matched->description == "any target");
}
