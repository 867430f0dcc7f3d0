#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>

#include "TestRequests.h"
#include "pact/InteractionIndex.h"
#include "pact/RequestMatcher.h"

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
  CHECK(miss.closest[0].pact == hit.pact);
  REQUIRE(miss.closest[0].mismatches.size() == 1);
  CHECK(miss.closest[0].mismatches[0].kind == Mismatch::Kind::Query);
}

TEST_CASE("a near miss names the pact holding its interaction") {
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(json::array({interaction("a", {{"method", "GET"}, {"path", "/a"}})})));
  pacts.push_back(v3Pact(json::array({interaction("same", {{"method", "GET"}, {"path", "/a"}})})));
  pacts[1].consumer = "Second";
  pacts[1].interactions[0].request.query.edit().params = {{"q", {"1"}}};
  pacts[0].interactions[0].request.query.edit().params = {{"q", {"1"}}};
  pacts[0].interactions[0].request.method = "PUT";  // farther from the request than the second pact's
  InteractionIndex index(std::move(pacts));
  auto miss = index.match(request("GET", "/a?q=2"));
  REQUIRE_FALSE(miss.matched);
  REQUIRE(miss.closest.size() == 2);
  for (const auto& near : miss.closest) {
    REQUIRE(near.pact);
    CHECK(&near.pact->interactions[0] == near.interaction);
  }
  CHECK(miss.closest[0].pact->consumer == "Second");
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

TEST_CASE("interactions told apart by different body fields in one group are all found") {
  // Most are keyed by SecretId, a tenth by Name (like CreateSecret): the index splits by SecretId
  // first and must split the Name ones again rather than leave them to a linear scan.
  json list = json::array();
  for (int i = 0; i < 60; ++i) {
    json body = i % 10 == 3 ? json{{"Name", "n-" + std::to_string(i)}} : json{{"SecretId", "s-" + std::to_string(i)}};
    list.push_back(interaction("op " + std::to_string(i),
                               {{"method", "POST"},
                                {"path", "/"},
                                {"headers", {{"Content-Type", "application/x-amz-json-1.1"}}},
                                {"body", body}}));
  }
  list.push_back(interaction("open", {{"method", "POST"}, {"path", "/"}, {"body", {{"Other", true}}}}));
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(list));
  InteractionIndex index(std::move(pacts));
  for (int i = 0; i < 60; ++i) {
    const std::string body = i % 10 == 3 ? R"({"Name":"n-)" + std::to_string(i) + R"("})"
                                         : R"({"SecretId":"s-)" + std::to_string(i) + R"("})";
    auto out = index.match(request("POST", "/", {{"Content-Type", "application/x-amz-json-1.1"}}, body));
    REQUIRE(out.matched);
    CHECK(out.matched->description == "op " + std::to_string(i));
  }
  auto open = index.match(request("POST", "/", {}, R"({"Other":true})"));
  REQUIRE(open.matched);
  CHECK(open.matched->description == "open");
  auto miss = index.match(request("POST", "/", {{"Content-Type", "application/x-amz-json-1.1"}}, R"({"Name":"n-4"})"));
  CHECK_FALSE(miss.matched);
  CHECK_FALSE(miss.closest.empty());
}

TEST_CASE("interactions differing only by a query parameter are told apart") {
  json list = json::array();
  for (int i = 0; i < 40; ++i)
    list.push_back(interaction("create " + std::to_string(i),
                               {{"method", "POST"}, {"path", "/v1/secrets"}, {"query", {{"secretId", {"s" + std::to_string(i)}}}}}));
  // A rule on the parameter keeps this one out of the literal split; it must still be tried.
  list.push_back(interaction("any id",
                             {{"method", "POST"},
                              {"path", "/v1/secrets"},
                              {"query", {{"secretId", {"x"}}}},
                              {"matchingRules", {{"query", {{"secretId", {{"matchers", {{{"match", "regex"}, {"regex", "x.*"}}}}}}}}}}}));
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(list));
  InteractionIndex index(std::move(pacts));
  for (int i = 0; i < 40; ++i) {
    auto out = index.match(request("POST", "/v1/secrets?secretId=s" + std::to_string(i)));
    REQUIRE(out.matched);
    CHECK(out.matched->description == "create " + std::to_string(i));
  }
  auto loose = index.match(request("POST", "/v1/secrets?secretId=xyz"));
  REQUIRE(loose.matched);
  CHECK(loose.matched->description == "any id");
  auto miss = index.match(request("POST", "/v1/secrets?secretId=s1&extra=1"));
  CHECK_FALSE(miss.matched);
  auto none = index.match(request("POST", "/v1/secrets?secretId=nope"));
  CHECK_FALSE(none.matched);
  REQUIRE_FALSE(none.closest.empty());
  CHECK(none.closest[0].mismatches.size() == 1);
}

TEST_CASE("many path-regex interactions: the one whose pattern accepts the path wins, in selection order") {
  json list = json::array();
  for (int i = 0; i < 200; ++i)
    list.push_back(interaction("version of " + std::to_string(i),
                               {{"method", "GET"},
                                {"path", "/secrets/s" + std::to_string(i) + "/v1"},
                                {"matchingRules",
                                 {{"path", {{"matchers", {{{"match", "regex"}, {"regex", "^/secrets/s" + std::to_string(i) + "/v[0-9]+$"}}}}}}}}}));
  // Later in file order and also accepting s7's paths: file order keeps the first one.
  list.push_back(interaction("catch-all", {{"method", "GET"},
                                            {"path", "/secrets/any/v1"},
                                            {"matchingRules", {{"path", {{"matchers", {{{"match", "regex"}, {"regex", "/secrets/[^/]+/v[0-9]+"}}}}}}}}}));
  // Two matchers (OR): not expressible as one pattern, always tried.
  list.push_back(interaction("either", {{"method", "GET"},
                                         {"path", "/other/a"},
                                         {"matchingRules",
                                          {{"path", {{"combine", "OR"},
                                                     {"matchers", {{{"match", "regex"}, {"regex", "/other/a"}},
                                                                   {{"match", "regex"}, {"regex", "/other/b+"}}}}}}}}}));
  list.push_back(interaction("delete", {{"method", "DELETE"},
                                         {"path", "/secrets/s1/v1"},
                                         {"matchingRules", {{"path", {{"matchers", {{{"match", "regex"}, {"regex", "/secrets/s1/v1"}}}}}}}}}));
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(list));
  InteractionIndex index(std::move(pacts));
  for (int i : {0, 7, 42, 199}) {
    auto out = index.match(request("GET", "/secrets/s" + std::to_string(i) + "/v" + std::to_string(i + 3)));
    REQUIRE(out.matched);
    CHECK(out.matched->description == "version of " + std::to_string(i));
  }
  auto other = index.match(request("GET", "/secrets/zzz/v9"));
  REQUIRE(other.matched);
  CHECK(other.matched->description == "catch-all");
  auto either = index.match(request("GET", "/other/bbb"));
  REQUIRE(either.matched);
  CHECK(either.matched->description == "either");
  auto del = index.match(request("delete", "/secrets/s1/v1"));
  REQUIRE(del.matched);
  CHECK(del.matched->description == "delete");
  CHECK_FALSE(index.match(request("GET", "/secrets/s1/vx")).matched);
  CHECK_FALSE(index.match(request("PUT", "/secrets/s1/v1")).matched);
}

TEST_CASE("a reload's index shares the compiled path patterns that did not change, and only those") {
  // No plain segment of these patterns is rare enough to find them by: they are all in the sets.
  auto contract = [](const std::string& label, const std::string& lastPattern) {
    json list = json::array();
    for (int i = 0; i < 30; ++i) {
      const std::string pattern = i == 29 ? lastPattern : "^/secrets/s" + std::to_string(i) + "[a-z]*/v[0-9]+$";
      list.push_back(interaction(label + " " + std::to_string(i),
                                 {{"method", "GET"},
                                  {"path", "/secrets/s" + std::to_string(i) + "/v1"},
                                  {"matchingRules", {{"path", {{"matchers", {{{"match", "regex"}, {"regex", pattern}}}}}}}}}));
    }
    list.push_back(interaction(label + " delete",
                               {{"method", "DELETE"},
                                {"path", "/secrets/s1/v1"},
                                {"matchingRules", {{"path", {{"matchers", {{{"match", "regex"}, {"regex", "^/[a-z]+/s1[a-z]*/v[0-9]$"}}}}}}}}}));
    std::vector<Pact> pacts;
    pacts.push_back(v3Pact(list));
    return pacts;
  };
  auto first = std::make_unique<InteractionIndex>(contract("old", "^/secrets/s29[a-z]*/v[0-9]+$"));
  CHECK(first->sharedPatternSets() == 0);
  CHECK(first->match(request("GET", "/secrets/s3/v12")).matched->description == "old 3");

  // Same patterns, other descriptions: both sets are shared, and serve the new interactions, also
  // once the old index is gone.
  auto second = std::make_unique<InteractionIndex>(contract("new", "^/secrets/s29[a-z]*/v[0-9]+$"), IndexOptions{}, first.get());
  CHECK(second->sharedPatternSets() == 2);
  first.reset();
  CHECK(second->match(request("GET", "/secrets/s3/v12")).matched->description == "new 3");
  CHECK(second->match(request("GET", "/secrets/s29/v7")).matched->description == "new 29");
  CHECK(second->match(request("DELETE", "/secrets/s1/v4")).matched->description == "new delete");
  CHECK_FALSE(second->match(request("GET", "/secrets/s29/vx")).matched);

  // One GET pattern changed: that group's set is compiled again, the DELETE one is still shared.
  InteractionIndex third(contract("third", "^/secrets/s29[a-z]*/x[0-9]+$"), IndexOptions{}, second.get());
  CHECK(third.sharedPatternSets() == 1);
  CHECK(third.match(request("GET", "/secrets/s29/x5")).matched->description == "third 29");
  CHECK_FALSE(third.match(request("GET", "/secrets/s29/v5")).matched);
  CHECK(third.match(request("GET", "/secrets/s28/v5")).matched->description == "third 28");
  CHECK(third.match(request("DELETE", "/secrets/s1/v4")).matched->description == "third delete");
}

TEST_CASE("a path regex the index's set has matched is not compiled on its own to serve; a miss report compiles it") {
  json list = json::array();
  for (int i = 0; i < 50; ++i)
    list.push_back(interaction("item " + std::to_string(i),
                               {{"method", "GET"},
                                {"path", "/items/i" + std::to_string(i)},
                                {"matchingRules",
                                 {{"path", {{"matchers", {{{"match", "regex"}, {"regex", "/items/i" + std::to_string(i) + "-?[a-z]*"}}}}}}}}}));
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(list));
  InteractionIndex index(std::move(pacts));
  const auto& interactions = index.pacts().front()->interactions;
  auto pathRegex = [&](std::size_t i) { return interactions[i].request.rules->path.rules.front().rules.matchers.front().regex; };

  auto out = index.match(request("GET", "/items/i7-abc"));
  REQUIRE(out.matched);
  CHECK(out.matched->description == "item 7");
  for (std::size_t i = 0; i < interactions.size(); ++i) CHECK_FALSE(pathRegex(i)->built());

  // A miss explains itself with the path rules of the nearest interactions: those are compiled then.
  auto miss = index.match(request("GET", "/items/none"));
  REQUIRE_FALSE(miss.matched);
  REQUIRE_FALSE(miss.closest.empty());
  CHECK(pathRegex(0)->built());
  REQUIRE_FALSE(miss.closest.front().mismatches.empty());
  CHECK(miss.closest.front().mismatches.front().kind == Mismatch::Kind::Path);
}

TEST_CASE("a literal path beats a path regex accepting the same path, unless the provider state names the regex one") {
  json list = json::array();
  list.push_back(interaction("by regex", {{"method", "GET"},
                                          {"path", "/items/1"},
                                          {"matchingRules", {{"path", {{"matchers", {{{"match", "regex"}, {"regex", "/items/[0-9]+"}}}}}}}}},
                             {"regex state"}));
  list.push_back(interaction("literal", {{"method", "GET"}, {"path", "/items/1"}}, {"literal state"}));
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(list));
  InteractionIndex index(std::move(pacts));
  auto plain = index.match(request("GET", "/items/1"));
  REQUIRE(plain.matched);
  CHECK(plain.matched->description == "literal");
  auto stated = index.match(request("GET", "/items/1", {{"X-Pact-Provider-State", "regex state"}}));
  REQUIRE(stated.matched);
  CHECK(stated.matched->description == "by regex");
  auto literalStated = index.match(request("GET", "/items/1", {{"X-Pact-Provider-State", "literal state"}}));
  REQUIRE(literalStated.matched);
  CHECK(literalStated.matched->description == "literal");
  auto other = index.match(request("GET", "/items/2"));
  REQUIRE(other.matched);
  CHECK(other.matched->description == "by regex");
}

TEST_CASE("an index of several thousand interactions finds each one by its path or its body field") {
  // Above 1,024 interactions the index prefetches each candidate before matching it, and its nodes
  // are keyed by hashes of paths and values: every interaction must still be the one found.
  constexpr int kEach = 1500;
  json list = json::array();
  for (int i = 0; i < kEach; ++i) {
    list.push_back(awsInteraction(i));
    list.push_back(interaction("path " + std::to_string(i), {{"method", "GET"}, {"path", "/v1/secrets/s-" + std::to_string(i)}}));
  }
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(list));
  InteractionIndex index(std::move(pacts));
  REQUIRE(index.size() == 2 * kEach);
  for (int i = 0; i < kEach; ++i) {
    const std::string target = i % 2 ? "secretsmanager.GetSecretValue" : "secretsmanager.DescribeSecret";
    auto byBody = index.match(request("POST", "/", {{"X-Amz-Target", target}, {"Content-Type", "application/x-amz-json-1.1"}},
                                      R"({"SecretId":"secret-)" + std::to_string(i) + R"("})"));
    REQUIRE(byBody.matched);
    CHECK(byBody.matched->description == "get secret " + std::to_string(i));
    CHECK(byBody.position == static_cast<std::size_t>(2 * i));
    auto byPath = index.match(request("get", "/v1/secrets/s-" + std::to_string(i)));
    REQUIRE(byPath.matched);
    CHECK(byPath.matched->description == "path " + std::to_string(i));
  }
  // Values and paths that are in no interaction find nothing, and say what is closest.
  auto unknownSecret = index.match(request("POST", "/", {{"X-Amz-Target", "secretsmanager.DescribeSecret"},
                                                         {"Content-Type", "application/x-amz-json-1.1"}},
                                           R"({"SecretId":"secret-1"})"));  // 1 is a GetSecretValue one
  CHECK_FALSE(unknownSecret.matched);
  CHECK_FALSE(unknownSecret.closest.empty());
  CHECK_FALSE(index.match(request("GET", "/v1/secrets/s-" + std::to_string(kEach))).matched);
  CHECK_FALSE(index.match(request("POST", "/v1/secrets/s-0")).matched);
}

TEST_CASE("a split's leaves of one and of several interactions each give all their candidates") {
  // Secrets 0-9 have two interactions each (told apart by provider state), 10-19 one: the body-field
  // split has leaves of two and of one, which the index stores differently.
  json list = json::array();
  for (int n = 0; n < 20; ++n) {
    json i = awsInteraction(2 * n);  // all DescribeSecret
    i["description"] = "first " + std::to_string(n);
    i["providerStates"] = json::array({{{"name", "exists"}}});
    list.push_back(i);
    if (n < 10) {
      i["description"] = "second " + std::to_string(n);
      i["providerStates"] = json::array({{{"name", "deleted"}}});
      list.push_back(i);
    }
  }
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(list));
  InteractionIndex index(std::move(pacts));
  auto find = [&](int n, std::optional<std::string> state) {
    std::vector<std::pair<std::string, std::string>> headers = {{"X-Amz-Target", "secretsmanager.DescribeSecret"},
                                                                {"Content-Type", "application/x-amz-json-1.1"}};
    if (state) headers.emplace_back("X-Pact-Provider-State", *state);
    auto out = index.match(request("POST", "/", headers, R"({"SecretId":"secret-)" + std::to_string(2 * n) + R"("})"));
    return out.matched ? out.matched->description : std::string("none");
  };
  for (int n = 0; n < 20; ++n) {
    CHECK(find(n, std::nullopt) == "first " + std::to_string(n));  // file order
    CHECK(find(n, "deleted") == (n < 10 ? "second " : "first ") + std::to_string(n));
  }
  CHECK(find(20, std::nullopt) == "none");
}

TEST_CASE("path regexes found by a literal segment: only the request's run, and the index finds what a scan finds") {
  auto pathRule = [](const std::string& regex) {
    return json{{"path", {{"matchers", {{{"match", "regex"}, {"regex", regex}}}}}}};
  };
  json list = json::array();
  for (int i = 0; i < 60; ++i) {
    const std::string n = std::to_string(i);
    if (i % 10 == 3)  // shares "v1", "projects", "secrets", "versions" with others; found by its name
      list.push_back(interaction("gcp " + n, {{"method", "GET"},
                                              {"path", "/v1/projects/p/secrets/name-" + n + "/versions/1"},
                                              {"matchingRules", pathRule("^/v1/projects/[a-z]+/secrets/name-" + n +
                                                                         "/versions/([0-9]+|latest)$")}}));
    else
      list.push_back(interaction("azure " + n, {{"method", "GET"},
                                                {"path", "/secrets/name-" + n + "/beef"},
                                                {"matchingRules", pathRule("^/secrets/name-" + n + "/[0-9a-f]{4}$")}}));
  }
  // Patterns the segment index cannot take: read as having no segment, or only a widely shared one.
  list.push_back(interaction("any name", {{"method", "GET"},
                                          {"path", "/secrets/x/beef"},
                                          {"matchingRules", pathRule("^/secrets/[a-z0-9-]+/[0-9a-f]{4}$")}}));
  list.push_back(interaction("no case", {{"method", "GET"},
                                         {"path", "/SECRETS/NAME-1/beef"},
                                         {"matchingRules", pathRule("(?i)^/secrets/name-1/beef$")}}));
  list.push_back(interaction("alternatives", {{"method", "GET"},
                                              {"path", "/alt/one"},
                                              {"matchingRules", pathRule("^/alt/one$|^/alt/two$")}}));
  list.push_back(interaction("twice", {{"method", "GET"},
                                       {"path", "/dup/dup/7"},
                                       {"matchingRules", pathRule("^/dup/dup/[0-9]+$")}}));
  list.push_back(interaction("anywhere", {{"method", "GET"},
                                          {"path", "/deep/a/b/tail-9"},
                                          {"matchingRules", pathRule("^/deep/.*/tail-9$")}}));
  std::vector<Pact> pacts;
  pacts.push_back(v3Pact(list));
  InteractionIndex index(std::move(pacts));
  const auto& interactions = index.pacts().front()->interactions;
  auto pathRegex = [&](std::size_t i) { return interactions[i].request.rules->path.rules.front().rules.matchers.front().regex; };

  // Serving a request runs the regex of the interaction its segments find, and no other found by segment.
  auto out = index.match(request("GET", "/secrets/name-7/abcd"));
  REQUIRE(out.matched);
  CHECK(out.matched->description == "azure 7");
  CHECK(pathRegex(7)->built());
  for (std::size_t i = 0; i < 60; ++i)
    if (i != 7) CHECK_FALSE(pathRegex(i)->built());

  // What the index answers is what trying every interaction in file order answers.
  const std::vector<std::string> paths = {
      "/secrets/name-0/beef", "/secrets/name-13/0000", "/secrets/name-59/ffff", "/secrets/name-60/beef",
      "/secrets/name-1/BEEF", "/SECRETS/NAME-1/BEEF", "/secrets/name-1/beef/", "/secrets//name-1/beef",
      "/v1/projects/p/secrets/name-13/versions/latest", "/v1/projects/p/secrets/name-13/versions/x",
      "/v1/projects/p/secrets/name-14/versions/2", "/v1/projects/P/secrets/name-23/versions/2",
      "/alt/two", "/alt/three", "/dup/dup/12", "/dup/12", "/deep/tail-9", "/deep/x/tail-9", "/deep/x/y/z/tail-9",
      "/name-7/secrets/beef", "secrets/name-7/beef", "/", ""};
  for (const auto& path : paths) {
    const auto req = request("GET", path);
    const Interaction* scanned = nullptr;
    for (const auto& i : interactions)
      if (matchRequest(i.request, RequestView::from(req), MatchOptions{}, nullptr)) {
        scanned = &i;
        break;
      }
    INFO(path);
    CHECK(index.match(req).matched == scanned);
  }
}
