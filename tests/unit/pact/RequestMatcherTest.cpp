#include <catch2/catch.hpp>

#include "TestRequests.h"
#include "pact/RequestMatcher.h"

using namespace pactmocks::pact;
using namespace pactmocks::pact::test;
using nlohmann::json;

namespace {
std::vector<Mismatch> check(const json& expected, const pactmocks::http::Request& r,
                            SpecVersion v = SpecVersion::V3, std::vector<std::string> ignored = {}) {
  RequestSpec spec = parseRequestSpec(expected, v, "unit");
  RequestView view = RequestView::from(r);
  return mismatchesOf(spec, view, ignored);
}
}  // namespace

TEST_CASE("method is case-insensitive, path exact and percent-decoded") {
  CHECK(check({{"method", "GET"}, {"path", "/a b"}}, request("get", "/a%20b")).empty());
  auto m = check({{"method", "GET"}, {"path", "/a"}}, request("POST", "/b"));
  REQUIRE(m.size() == 2);
  CHECK(m[0].kind == Mismatch::Kind::Method);
  CHECK(m[1].kind == Mismatch::Kind::Path);
  CHECK(m[1].location == "path");
}

TEST_CASE("path rule") {
  json e = {{"method", "GET"},
            {"path", "/items/1"},
            {"matchingRules", {{"path", {{"matchers", {{{"match", "regex"}, {"regex", "/items/\\d+"}}}}}}}}};
  CHECK(check(e, request("GET", "/items/987")).empty());
  CHECK_FALSE(check(e, request("GET", "/items/x")).empty());
}

TEST_CASE("query: parsed, unexpected and missing params, rules") {
  json e = {{"path", "/"}, {"query", {{"a", {"1"}}, {"b", {"x", "y"}}}}};
  CHECK(check(e, request("GET", "/?b=x&a=1&b=y")).empty());
  CHECK_FALSE(check(e, request("GET", "/?a=1&b=y&b=x")).empty());
  CHECK_FALSE(check(e, request("GET", "/?a=1&b=x&b=y&c=2")).empty());
  auto missing = check(e, request("GET", "/?a=1"));
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].location == "query.b");
  json r = {{"path", "/"}, {"query", {{"id", {"1"}}}}, {"matchingRules", {{"query", {{"id", {{"matchers", {{{"match", "integer"}}}}}}}}}}};
  CHECK(check(r, request("GET", "/?id=42")).empty());
  CHECK_FALSE(check(r, request("GET", "/?id=x")).empty());
}

TEST_CASE("headers: case-insensitive names, item-wise values, media-type parameters, ignored names") {
  json e = {{"path", "/"}, {"headers", {{"X-Multi", "a, b"}, {"Content-Type", "application/json"}}}};
  CHECK(check(e, request("GET", "/", {{"x-multi", "a,b"}, {"content-type", "application/json; charset=utf-8"}})).empty());
  CHECK_FALSE(check(e, request("GET", "/", {{"x-multi", "b, a"}, {"content-type", "application/json"}})).empty());
  auto missing = check(e, request("GET", "/", {{"Content-Type", "application/json"}}));
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].kind == Mismatch::Kind::Header);
  json signedReq = {{"path", "/"}, {"headers", {{"Authorization", "AWS4-HMAC-SHA256 Credential=contract"}}}};
  CHECK(check(signedReq, request("GET", "/", {{"authorization", "AWS4-HMAC-SHA256 Credential=real"}}), SpecVersion::V3,
              {"authorization"})
            .empty());
  CHECK_FALSE(check(signedReq, request("GET", "/", {{"authorization", "other"}})).empty());
  json rule = {{"path", "/"},
               {"headers", {{"X-Id", "1"}}},
               {"matchingRules", {{"header", {{"x-id", {{"matchers", {{{"match", "regex"}, {"regex", "\\d+"}}}}}}}}}}};
  CHECK(check(rule, request("GET", "/", {{"X-ID", "77"}})).empty());
}

TEST_CASE("JSON bodies: AWS JSON content types, unexpected keys, type rules") {
  json e = {{"method", "POST"},
            {"path", "/"},
            {"headers", {{"Content-Type", "application/x-amz-json-1.1"}}},
            {"body", {{"SecretId", "db"}, {"VersionStage", "AWSCURRENT"}}}};
  CHECK(check(e, request("POST", "/", {{"Content-Type", "application/x-amz-json-1.1"}},
                         R"({"VersionStage":"AWSCURRENT","SecretId":"db"})"))
            .empty());
  auto extra = check(e, request("POST", "/", {{"Content-Type", "application/x-amz-json-1.1"}},
                                R"({"VersionStage":"AWSCURRENT","SecretId":"db","X":1})"));
  REQUIRE(extra.size() == 1);
  CHECK(extra[0].location == "$.body.X");
  auto notJson = check(e, request("POST", "/", {{"Content-Type", "application/x-amz-json-1.1"}}, "nope"));
  REQUIRE(notJson.size() == 1);
  CHECK(notJson[0].kind == Mismatch::Kind::BodyType);
}

TEST_CASE("text, form and XML bodies") {
  json text = {{"method", "POST"}, {"path", "/"}, {"headers", {{"Content-Type", "text/plain"}}}, {"body", "hello"}};
  CHECK(check(text, request("POST", "/", {{"Content-Type", "text/plain"}}, "hello")).empty());
  CHECK_FALSE(check(text, request("POST", "/", {{"Content-Type", "text/plain"}}, "bye")).empty());

  json form = {{"method", "POST"},
               {"path", "/"},
               {"headers", {{"Content-Type", "application/x-www-form-urlencoded"}}},
               {"body", "a=1&b=two+words"},
               {"matchingRules", {{"body", {{"$.a", {{"matchers", {{{"match", "integer"}}}}}}}}}}};
  CHECK(check(form, request("POST", "/", {{"Content-Type", "application/x-www-form-urlencoded"}}, "b=two%20words&a=99"))
            .empty());
  CHECK_FALSE(check(form, request("POST", "/", {{"Content-Type", "application/x-www-form-urlencoded"}}, "a=x&b=two+words"))
                  .empty());

  json xml = {{"method", "POST"},
              {"path", "/"},
              {"headers", {{"Content-Type", "application/xml"}}},
              {"body", "<a id=\"1\"><b>x</b></a>"},
              {"matchingRules", {{"body", {{"$.a['@id']", {{"matchers", {{{"match", "integer"}}}}}}}}}}};
  CHECK(check(xml, request("POST", "/", {{"Content-Type", "application/xml"}}, "<a id=\"22\"><b>x</b></a>")).empty());
  CHECK_FALSE(check(xml, request("POST", "/", {{"Content-Type", "application/xml"}}, "<a id=\"22\"><b>y</b></a>")).empty());
  CHECK_FALSE(check(xml, request("POST", "/", {{"Content-Type", "application/xml"}}, "<a id=\"22\"><b>x</b><c/></a>")).empty());
}

TEST_CASE("empty and absent bodies") {
  json none = {{"method", "POST"}, {"path", "/"}};
  CHECK(check(none, request("POST", "/", {}, "{\"anything\":1}")).empty());
  json empty = {{"method", "POST"}, {"path", "/"}, {"body", nullptr}};
  CHECK(check(empty, request("POST", "/")).empty());
  CHECK_FALSE(check(empty, request("POST", "/", {}, "{\"a\":1}")).empty());
}

TEST_CASE("V1 compares the query as a string") {
  json e = {{"path", "/"}, {"query", "a=1&b=2"}};
  CHECK(check(e, request("GET", "/?a=1&b=2"), SpecVersion::V1).empty());
  CHECK_FALSE(check(e, request("GET", "/?b=2&a=1"), SpecVersion::V1).empty());
  CHECK(check(e, request("GET", "/?b=2&a=1"), SpecVersion::V1_1).empty());
}

TEST_CASE("contentType matcher on the whole body checks only the kind of content") {
  json e = {{"method", "POST"},
            {"path", "/"},
            {"body", "AAEC"},
            {"matchingRules", {{"body", {{"$", {{"matchers", {{{"match", "contentType"}, {"value", "image/png"}}}}}}}}}}};
  CHECK(check(e, request("POST", "/", {{"Content-Type", "image/png"}}, "\x89PNG...")).empty());
  auto m = check(e, request("POST", "/", {{"Content-Type", "text/plain"}}, "hello"));
  REQUIRE(m.size() == 1);
  CHECK(m[0].kind == Mismatch::Kind::BodyType);
}

TEST_CASE("SDK-noise headers: only the example value is waived; presence and rules still apply") {
  const std::vector<std::string> noise = {"authorization", "user-agent"};
  json bearer = {{"method", "GET"},
                 {"path", "/"},
                 {"headers", {{"Authorization", "Bearer contract-token"}}},
                 {"matchingRules", {{"header", {{"Authorization", {{"matchers", {{{"match", "regex"}, {"regex", "^Bearer .+$"}}}}}}}}}}};
  SECTION("a rule on a noise header is applied") {
    CHECK(check(bearer, request("GET", "/", {{"authorization", "Bearer real-token"}}), SpecVersion::V3, noise).empty());
    auto basic = check(bearer, request("GET", "/", {{"Authorization", "Basic dXNlcjpwYXNz"}}), SpecVersion::V3, noise);
    REQUIRE(basic.size() == 1);
    CHECK(basic[0].kind == Mismatch::Kind::Header);
    CHECK(basic[0].location == "header.Authorization");
  }
  SECTION("a noise header the contract lists must be present") {
    auto missing = check(bearer, request("GET", "/"), SpecVersion::V3, noise);
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].reason.find("missing") != std::string::npos);
    json plain = {{"method", "GET"}, {"path", "/"}, {"headers", {{"User-Agent", "aws-sdk-js/3.0.0"}}}};
    CHECK_FALSE(check(plain, request("GET", "/"), SpecVersion::V3, noise).empty());
  }
  SECTION("without a rule, any value of a noise header passes; other headers still compare") {
    json plain = {{"method", "GET"}, {"path", "/"}, {"headers", {{"User-Agent", "aws-sdk-js/3.0.0"}, {"X-Other", "a"}}}};
    CHECK(check(plain, request("GET", "/", {{"user-agent", "boto3/1.26"}, {"X-Other", "a"}}), SpecVersion::V3, noise).empty());
    CHECK_FALSE(check(plain, request("GET", "/", {{"user-agent", "boto3/1.26"}, {"X-Other", "b"}}), SpecVersion::V3, noise).empty());
  }
  SECTION("a header the contract does not list is never required") {
    json none = {{"method", "GET"}, {"path", "/"}};
    CHECK(check(none, request("GET", "/", {{"Authorization", "anything"}}), SpecVersion::V3, noise).empty());
  }
}

TEST_CASE("type matchers are typed in JSON bodies and textual in headers, query and path") {
  auto rule = [](const char* type) { return json{{"matchers", {{{"match", type}}}}}; };
  json e = {{"method", "POST"},
            {"path", "/items/1"},
            {"query", {{"limit", {"10"}}}},
            {"headers", {{"Content-Type", "application/json"}, {"X-Count", "3"}}},
            {"body", {{"count", 7}, {"ratio", 0.5}, {"size", 1}, {"enabled", true}}},
            {"matchingRules",
             {{"path", {{"matchers", {{{"match", "regex"}, {"regex", "^/items/[0-9]+$"}}}}}},
              {"query", {{"limit", rule("integer")}}},
              {"header", {{"X-Count", rule("integer")}}},
              {"body",
               {{"$.count", rule("integer")}, {"$.ratio", rule("decimal")}, {"$.size", rule("number")}, {"$.enabled", rule("boolean")}}}}}};
  auto post = [](const std::string& body, const char* count = "4", const char* limit = "25") {
    return request("POST", std::string("/items/9?limit=") + limit, {{"Content-Type", "application/json"}, {"X-Count", count}}, body);
  };
  CHECK(check(e, post(R"({"count":8,"ratio":2.25,"size":3.5,"enabled":false})")).empty());
  // JSON strings are not numbers or booleans, even when their text would be.
  for (const char* body : {R"({"count":"7","ratio":2.25,"size":3,"enabled":true})",
                           R"({"count":7,"ratio":"0.5","size":3,"enabled":true})",
                           R"({"count":7,"ratio":0.5,"size":"3","enabled":true})",
                           R"({"count":7,"ratio":0.5,"size":3,"enabled":"true"})"}) {
    INFO(body);
    auto m = check(e, post(body));
    REQUIRE(m.size() == 1);
    CHECK(m[0].kind == Mismatch::Kind::Body);
  }
  CHECK(check(e, post(R"({"count":7.5,"ratio":0.5,"size":3,"enabled":true})")).size() == 1);  // a decimal is no integer
  // Headers and query carry text: "4" is an integer there, "four" is not.
  const std::string good = R"({"count":8,"ratio":2.25,"size":3.5,"enabled":false})";
  CHECK(check(e, post(good, "four")).size() == 1);
  CHECK(check(e, post(good, "4", "ten")).size() == 1);
}
