#include <catch2/catch.hpp>

#include "PactValidation.h"
#include "core/Sha256.h"

using pactmocks::manager::validatePactFile;

TEST_CASE("A valid pact yields its names and content hash", "[manager][validation]") {
  std::string text =
      R"({"consumer":{"name":"C"},"provider":{"name":"P"},"interactions":[{"description":"d","request":{"method":"GET","path":"/"},"response":{"status":200}}],"metadata":{"pactSpecification":{"version":"3.0.0"}}})";
  auto r = validatePactFile("c-p.json", text);
  REQUIRE(r);
  CHECK(r->consumer == "C");
  CHECK(r->provider == "P");
  CHECK(r->file == "c-p.json");
  CHECK(r->content == text);
  CHECK(r->sha256 == pactmocks::sha256Hex(text));
}

TEST_CASE("Message pacts count as interactions", "[manager][validation]") {
  auto r = validatePactFile("m.json", R"({"consumer":{"name":"C"},"provider":{"name":"P"},"messages":[{"description":"m"}]})");
  CHECK(r);
}

TEST_CASE("Invalid pacts are reported with a reason", "[manager][validation]") {
  auto reason = [](const std::string& text) {
    auto r = validatePactFile("x.json", text);
    CHECK_FALSE(r);
    return r.error();
  };
  CHECK_THAT(reason("{not json"), Catch::Contains("invalid JSON"));
  CHECK_THAT(reason("[1,2]"), Catch::Contains("not a JSON object"));
  CHECK_THAT(reason(R"({"provider":{"name":"P"},"interactions":[{}]})"), Catch::Contains("consumer"));
  CHECK_THAT(reason(R"({"consumer":{"name":""},"provider":{"name":"P"},"interactions":[{}]})"),
             Catch::Contains("consumer.name"));
  CHECK_THAT(reason(R"({"consumer":{"name":"C"},"interactions":[{}]})"), Catch::Contains("provider"));
  CHECK_THAT(reason(R"({"consumer":{"name":"C"},"provider":{"name":"P"},"interactions":[]})"),
             Catch::Contains("no interactions"));
  CHECK_THAT(reason(R"({"consumer":{"name":"C"},"provider":{"name":"P"}})"), Catch::Contains("no interactions"));
  CHECK_THAT(reason(R"({"consumer":{"name":"C"},"provider":{"name":"P"},"interactions":{}})"),
             Catch::Contains("not an array"));
}

TEST_CASE("Pacts the mock servers could not load are rejected with the parser's reason", "[manager][validation]") {
  auto r = validatePactFile(
      "bad-regex.json",
      R"({"consumer":{"name":"C"},"provider":{"name":"P"},"interactions":[{"description":"d","request":{"method":"GET","path":"/a","matchingRules":{"path":{"matchers":[{"match":"regex","regex":"(unclosed"}]}}},"response":{"status":200}}],"metadata":{"pactSpecification":{"version":"3.0.0"}}})");
  CHECK_FALSE(r);
  CHECK_THAT(r.error(), Catch::Contains("invalid pact"));
}
