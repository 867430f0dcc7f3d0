#include <catch2/catch.hpp>

#include <re2/re2.h>

#include "TestRequests.h"
#include "pact/GeneratorValue.h"
#include "pact/RegexGenerator.h"
#include "pact/ResponseBuilder.h"

using namespace pactmocks::pact;
using namespace pactmocks::pact::test;
using nlohmann::json;

namespace {
json generate(const json& g, const json& example = nullptr, const json* params = nullptr, std::string url = {}) {
  std::mt19937_64 rng(7);
  GenerationInputs in{rng, std::chrono::system_clock::now(), std::move(url), params};
  auto v = generateValue(parseGenerator(g), example, in);
  return v ? *v : json("<kept>");
}
bool full(const std::string& re, const std::string& s) { return re2::RE2::FullMatch(s, re2::RE2(re)); }
}  // namespace

TEST_CASE("random generators respect their parameters") {
  for (int i = 0; i < 20; ++i) {
    json v = generate({{"type", "RandomInt"}, {"min", 5}, {"max", 9}});
    REQUIRE(v.is_number_integer());
    CHECK(v.get<int>() >= 5);
    CHECK(v.get<int>() <= 9);
  }
  CHECK(generate({{"type", "RandomDecimal"}, {"digits", 5}}).is_number_float());
  CHECK(full("[0-9a-f]{12}", generate({{"type", "RandomHexadecimal"}, {"digits", 12}}).get<std::string>()));
  CHECK(generate({{"type", "RandomString"}, {"size", 7}}).get<std::string>().size() == 7);
  CHECK(generate({{"type", "RandomBoolean"}}).is_boolean());
}

TEST_CASE("uuid formats") {
  CHECK(full("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", generate({{"type", "Uuid"}}).get<std::string>()));
  CHECK(full("[0-9a-f]{32}", generate({{"type", "Uuid"}, {"format", "simple"}}).get<std::string>()));
  CHECK(full("[0-9A-F-]{36}", generate({{"type", "Uuid"}, {"format", "upper-case-hyphenated"}}).get<std::string>()));
  CHECK(full("urn:uuid:[0-9a-f-]{36}", generate({{"type", "Uuid"}, {"format", "URN"}}).get<std::string>()));
}

TEST_CASE("dates and times") {
  CHECK(full("\\d{4}-\\d{2}-\\d{2}", generate({{"type", "Date"}}).get<std::string>()));
  CHECK(full("\\d{2}/\\d{2}/\\d{4}", generate({{"type", "Date"}, {"format", "dd/MM/yyyy"}}).get<std::string>()));
  CHECK(full("\\d{2}:\\d{2}:\\d{2}", generate({{"type", "Time"}}).get<std::string>()));
  CHECK(full("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z", generate({{"type", "DateTime"}}).get<std::string>()));
}

TEST_CASE("regex generator produces matching strings or gives up") {
  std::mt19937_64 rng(1);
  for (const std::string re : {"\\d{4}-[A-Z]{2}", "(foo|bar)+_[a-c]?x*", "[^a-z]{3}", "\\w+@example\\.com", "^ab{2,3}$"}) {
    auto s = generateFromRegex(re, rng);
    REQUIRE(s.has_value());
    CHECK(full(re, *s));
  }
  CHECK_FALSE(generateFromRegex("(?i)abc", rng).has_value());
  CHECK(generate({{"type", "Regex"}, {"regex", "(?i)abc"}}, "ex") == "<kept>");
  CHECK_THROWS_AS(parseGenerator({{"type", "Regex"}, {"regex", "(?=x)"}}), std::invalid_argument);
}

TEST_CASE("provider state and mock server URL generators") {
  json params = {{"id", 42}, {"name", "db"}};
  CHECK(generate({{"type", "ProviderState"}, {"expression", "${id}"}}, 1, &params) == 42);
  CHECK(generate({{"type", "ProviderState"}, {"expression", "/secrets/${name}/v/${id}"}}, "", &params) == "/secrets/db/v/42");
  CHECK(generate({{"type", "ProviderState"}, {"expression", "${missing}"}}, "", &params) == "<kept>");
  CHECK(generate({{"type", "ProviderState"}, {"expression", "${name}"}, {"dataType", "STRING"}}, "", &params) == "db");
  CHECK(generate({{"type", "MockServerURL"}, {"regex", ".*(/orders/\\d+)$"}, {"example", "http://x:8080/orders/1"}}, "", nullptr,
                 "http://localhost:1234") == "http://localhost:1234/orders/1");
  // No capturing group, or a regex RE2 rejects: nothing generated, the example is served.
  CHECK(generate({{"type", "MockServerURL"}, {"regex", ".*/orders/\\d+$"}, {"example", "http://x/orders/1"}}, "", nullptr,
                 "http://localhost:1234") == "<kept>");
  CHECK(generate({{"type", "MockServerURL"}, {"regex", "(?=x)(/o)"}, {"example", "http://x/o"}}, "", nullptr,
                 "http://localhost:1234") == "<kept>");
}

TEST_CASE("a generator's regex is compiled once, when a response first needs it") {
  for (const char* type : {"Regex", "MockServerURL"}) {
    INFO(type);
    const Generator g = parseGenerator({{"type", type}, {"regex", "http://[a-z]+(/orders/[0-9]{3})"}, {"example", "http://x/orders/123"}});
    REQUIRE(g.regex);
    CHECK_FALSE(g.regex->built());
    std::mt19937_64 rng(3);
    GenerationInputs in{rng, std::chrono::system_clock::now(), "http://mock:1", nullptr};
    const auto v = generateValue(g, "http://x/orders/123", in);
    REQUIRE(v);
    CHECK(g.regex->built());
    CHECK(full("http://[a-z]+(/orders/[0-9]{3})", std::string(type) == "Regex" ? v->get<std::string>() : "http://x/orders/123"));
    if (std::string(type) == "MockServerURL") CHECK(*v == "http://mock:1/orders/123");
  }
}

TEST_CASE("buildResponse applies generators and sets the content type") {
  Pact p = v3Pact(json::array(
      {{{"description", "d"},
        {"providerStates", {{{"name", "s"}, {"params", {{"secret", "abc"}}}}}},
        {"request", {{"method", "GET"}, {"path", "/"}}},
        {"response",
         {{"status", 200},
          {"headers", {{"X-Request-Id", "fixed"}}},
          {"body", {{"id", "example"}, {"value", "x"}, {"items", {{{"n", 0}}, {{"n", 0}}}}}},
          {"generators",
           {{"body",
             {{"$.id", {{"type", "Uuid"}}},
              {"$.value", {{"type", "ProviderState"}, {"expression", "${secret}"}}},
              {"$.items[*].n", {{"type", "RandomInt"}, {"min", 3}, {"max", 3}}}}},
            {"header", {{"X-Request-Id", {{"type", "RandomHexadecimal"}, {"digits", 4}}}}},
            {"status", {{"type", "RandomInt"}, {"min", 201}, {"max", 201}}}}}}}}}));
  auto r = buildResponse(p.interactions[0], {nullptr, 1234});
  CHECK(r.status == 201);
  CHECK(r.headers.get("Content-Type") == "application/json");
  CHECK(r.headers.get("X-Request-Id")->size() == 4);
  json body = json::parse(r.body);
  CHECK(body["id"] != "example");
  CHECK(body["value"] == "abc");
  CHECK(body["items"][1]["n"] == 3);

  Pact text = v3Pact(json::array({{{"description", "t"},
                                   {"request", {{"method", "GET"}, {"path", "/"}}},
                                   {"response", {{"status", 404}, {"headers", {{"Content-Type", "text/html"}}}, {"body", "<p>no</p>"}}}}}));
  auto t = buildResponse(text.interactions[0], {});
  CHECK(t.status == 404);
  CHECK(t.body == "<p>no</p>");
  CHECK(t.headers.get("Content-Type") == "text/html");
}

TEST_CASE("a static JSON response body is serialized once at load time and served as written") {
  Pact p = v3Pact(json::array(
      {{{"description", "static"},
        {"request", {{"method", "GET"}, {"path", "/"}}},
        {"response",
         {{"status", 200},
          {"headers", {{"Content-Type", "application/x-amz-json-1.1"}}},
          {"body", {{"Name", "s"}, {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}, {"Count", 2}}}}}},
       {{"description", "null body"},
        {"request", {{"method", "GET"}, {"path", "/n"}}},
        {"response", {{"status", 204}, {"body", nullptr}}}},
       {{"description", "plain json, no content type"},
        {"request", {{"method", "GET"}, {"path", "/p"}}},
        {"response", {{"status", 200}, {"body", json::array({1, 2})}}}}}));
  const ResponseSpec& spec = p.interactions[0].response;
  REQUIRE(spec.serializedJsonBody);
  CHECK(json::parse(*spec.serializedJsonBody) == json({{"Name", "s"}, {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}, {"Count", 2}}));
  auto r = buildResponse(p.interactions[0], {});
  CHECK(json::parse(r.body) == json::parse(*spec.serializedJsonBody));
  CHECK(r.headers.get("Content-Type") == "application/x-amz-json-1.1");

  CHECK_FALSE(p.interactions[1].response.serializedJsonBody);
  auto n = buildResponse(p.interactions[1], {});
  CHECK(n.status == 204);
  CHECK(n.body.empty());

  auto a = buildResponse(p.interactions[2], {});
  CHECK(a.body == "[1,2]");
  CHECK(a.headers.get("Content-Type") == "application/json");
}

TEST_CASE("a JSON body with generators is serialized once with slots, and served as the tree would be") {
  auto pactWith = [](const json& body, const json& generators) {
    return v3Pact(json::array({{{"description", "d"},
                                {"providerStates", {{{"name", "s"}, {"params", {{"secret", "abc"}}}}}},
                                {"request", {{"method", "GET"}, {"path", "/"}}},
                                {"response", {{"status", 200}, {"body", body}, {"generators", {{"body", generators}}}}}}}));
  };
  const json body = {{"name", "projects/p/secrets/s"},
                     {"createTime", "2026-07-05T20:23:04Z"},
                     {"versions", {{{"n", 1}, {"state", "ENABLED"}}, {{"n", 2}, {"state", "ENABLED"}}}},
                     {"value", "example"},
                     {"missing", "kept"}};
  Pact p = pactWith(body, {{"$.createTime", {{"type", "DateTime"}, {"format", "yyyy-MM-dd'T'HH:mm:ss'Z'"}}},
                           {"$.versions[*].n", {{"type", "RandomInt"}, {"min", 7}, {"max", 7}}},
                           {"$.value", {{"type", "ProviderState"}, {"expression", "${secret}"}}},
                           {"$.missing", {{"type", "ProviderState"}, {"expression", "${nothing}"}}}});
  const ResponseSpec& spec = p.interactions[0].response;
  REQUIRE(spec.serializedJsonBody);
  CHECK(spec.body.value.is_null());  // the tree is released
  const auto& slots = *spec.generatedSlots;
  REQUIRE(slots.size() == 5);
  for (std::size_t k = 1; k < slots.size(); ++k) CHECK(slots[k - 1].offset <= slots[k].offset);

  auto r = buildResponse(p.interactions[0], {});
  json served = json::parse(r.body);
  CHECK(served.dump() == r.body);  // compact, keys in order: the tree's own serialization
  CHECK(full("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z", served["createTime"].get<std::string>()));
  CHECK(served["createTime"] != "2026-07-05T20:23:04Z");
  json expected = body;
  expected["createTime"] = served["createTime"];
  expected["versions"][0]["n"] = 7;
  expected["versions"][1]["n"] = 7;
  expected["value"] = "abc";  // from the provider state
  // "missing": the generator cannot resolve ${nothing}, so the contract's example stays.
  CHECK(served == expected);
  CHECK(r.headers.get("Content-Type") == "application/json");
}

TEST_CASE("a body whose generators overlap, or that holds the slot marker, is generated from its tree") {
  // $.a and then $.a.b: the second rewrites inside the first one's value.
  const json nested = {{"a", {{"b", 1}}}};
  const std::vector<GeneratorEntry> overlapping = {
      {"$.a", parseRulePath("$.a"), parseGenerator({{"type", "RandomInt"}, {"min", 1}, {"max", 1}})},
      {"$.a.b", parseRulePath("$.a.b"), parseGenerator({{"type", "RandomInt"}, {"min", 2}, {"max", 2}})}};
  CHECK_FALSE(serializeWithSlots(nested, overlapping));
  const std::vector<GeneratorEntry> same = {
      {"$.a", parseRulePath("$.a"), parseGenerator({{"type", "RandomInt"}, {"min", 1}, {"max", 1}})},
      {"$.a", parseRulePath("$.a"), parseGenerator({{"type", "RandomInt"}, {"min", 2}, {"max", 2}})}};
  CHECK_FALSE(serializeWithSlots(nested, same));

  const json hostile = {{"a", 1}, {"b", "\x01pact-mocks generated slot 0"}};
  const std::vector<GeneratorEntry> one = {
      {"$.a", parseRulePath("$.a"), parseGenerator({{"type", "RandomInt"}, {"min", 5}, {"max", 5}})}};
  CHECK_FALSE(serializeWithSlots(hostile, one));
  auto fine = serializeWithSlots(json{{"a", 1}, {"b", "x"}}, one);
  REQUIRE(fine);
  CHECK(fine->text == R"({"a":,"b":"x"})");
  REQUIRE(fine->slots.size() == 1);
  CHECK(fine->slots[0].offset == 5);

  // Served from the tree: both generators apply in order, as written.
  Pact p = v3Pact(json::array({{{"description", "d"},
                                {"request", {{"method", "GET"}, {"path", "/"}}},
                                {"response",
                                 {{"status", 200},
                                  {"body", hostile},
                                  {"generators", {{"body", {{"$.a", {{"type", "RandomInt"}, {"min", 5}, {"max", 5}}}}}}}}}}}));
  const ResponseSpec& spec = p.interactions[0].response;
  CHECK_FALSE(spec.serializedJsonBody);
  CHECK(json::parse(buildResponse(p.interactions[0], {}).body) == json({{"a", 5}, {"b", "\x01pact-mocks generated slot 0"}}));
}
