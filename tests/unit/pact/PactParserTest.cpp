#include <catch2/catch.hpp>

#include "pact/PactParser.h"
#include "pact/Xml.h"

using namespace pactmocks::pact;
using nlohmann::json;

namespace {
json minimal(json interactions) {
  return {{"consumer", {{"name", "C"}}}, {"provider", {{"name", "P"}}}, {"interactions", std::move(interactions)}};
}

PactParseError parseError(const std::string& text) {
  try {
    parsePact(text, "contracts/p.json");
  } catch (const PactParseError& e) {
    return e;
  }
  FAIL("expected a PactParseError");
  return PactParseError("", "", "");
}
}  // namespace

TEST_CASE("V2 pact with providerState, string query and flat matching rules") {
  json doc = minimal(json::array({{{"description", "get alligator"},
                                   {"providerState", "an alligator exists"},
                                   {"request",
                                    {{"method", "get"},
                                     {"path", "/alligators/Mary"},
                                     {"query", "a=1&b=2&a=3"},
                                     {"headers", {{"Accept", "application/json"}}},
                                     {"matchingRules",
                                      {{"$.path", {{"match", "regex"}, {"regex", "/alligators/\\w+"}}},
                                       {"$.query.a", {{"match", "regex"}, {"regex", "\\d+"}}},
                                       {"$.headers.Accept", {{"match", "type"}}},
                                       {"$.body.name", {{"match", "type"}}}}}}},
                                   {"response", {{"status", 200}, {"body", {{"name", "Mary"}}}}}}}));
  doc["metadata"] = {{"pactSpecification", {{"version", "2.0.0"}}}};
  Pact p = parsePact(doc, "v2.json");
  CHECK(p.specVersion == SpecVersion::V2);
  REQUIRE(p.interactions.size() == 1);
  const Interaction& i = p.interactions[0];
  CHECK(i.providerStates.at(0).name == "an alligator exists");
  CHECK(i.request.method == "GET");
  REQUIRE(i.request.query->find("a"));
  CHECK(*i.request.query->find("a") == std::vector<std::string>{"1", "3"});
  REQUIRE(i.request.query->find("b"));
  CHECK(*i.request.query->find("b") == std::vector<std::string>{"2"});
  CHECK_FALSE(i.request.query->find("c"));
  CHECK_FALSE(i.request.query->find(""));
  CHECK_FALSE(i.request.query->raw.has_value());
  CHECK(i.request.rules->path.rules.size() == 1);
  CHECK(i.request.rules->query.forName("a", false) != nullptr);
  CHECK(i.request.rules->header.forName("accept", true) != nullptr);
  REQUIRE(i.request.rules->body.rules.size() == 1);
  CHECK(i.request.rules->body.rules[0].expression == "$.name");
  CHECK(i.response.body.isJson);
}

TEST_CASE("V1 keeps the raw query string for plain comparison") {
  json doc = minimal(json::array({{{"description", "d"},
                                   {"request", {{"method", "GET"}, {"path", "/"}, {"query", "b=2&a=1"}}},
                                   {"response", {{"status", 200}}}}}));
  doc["metadata"] = {{"pactSpecificationVersion", "1.0.0"}};
  Pact p = parsePact(doc, "v1.json");
  CHECK(p.specVersion == SpecVersion::V1);
  CHECK(p.interactions[0].request.query->raw == "b=2&a=1");
}

TEST_CASE("V3 provider states with params, categories, generators") {
  json doc = minimal(json::array(
      {{{"description", "d"},
        {"providerStates", {{{"name", "secret exists"}, {"params", {{"id", 42}}}}}},
        {"request",
         {{"method", "POST"},
          {"path", "/x"},
          {"query", {{"page", {"1"}}}},
          {"matchingRules",
           {{"body", {{"$.id", {{"matchers", {{{"match", "integer"}}, {{"match", "number"}}}}, {"combine", "OR"}}}}},
            {"header", {{"X-Id", {{"matchers", {{{"match", "regex"}, {"regex", "\\d+"}}}}}}}}}}}},
        {"response",
         {{"status", 200},
          {"generators", {{"body", {{"$.id", {{"type", "Uuid"}}}}}, {"status", {{"type", "RandomInt"}, {"min", 200}, {"max", 200}}}}}}}}}));
  doc["metadata"] = {{"pact-specification", {{"version", "3.0.0"}}}};
  Pact p = parsePact(doc, "v3.json");
  CHECK(p.specVersion == SpecVersion::V3);
  const Interaction& i = p.interactions[0];
  CHECK(i.providerStates[0].params["id"] == 42);
  REQUIRE(i.request.query->find("page"));
  CHECK(*i.request.query->find("page") == std::vector<std::string>{"1"});
  REQUIRE(i.request.rules->body.rules.size() == 1);
  CHECK(i.request.rules->body.rules[0].rules.combine == Combine::Or);
  CHECK(i.request.rules->body.rules[0].rules.matchers.size() == 2);
  CHECK(i.response.generators->body.size() == 1);
  CHECK(i.response.generators->status.size() == 1);
}

TEST_CASE("V4: HTTP interactions parsed, other kinds skipped with a note, body wrapper decoded") {
  json doc = minimal(json::array(
      {{{"type", "Synchronous/HTTP"},
        {"description", "http"},
        {"request",
         {{"method", "POST"},
          {"path", "/"},
          {"body", {{"content", {{"a", 1}}}, {"contentType", "application/json"}, {"encoded", false}}}}},
        {"response", {{"status", 201}, {"body", {{"content", "aGVsbG8="}, {"contentType", "text/plain"}, {"encoded", "base64"}}}}}},
       {{"type", "Asynchronous/Messages"}, {"description", "msg"}, {"contents", {{"a", 1}}}}}));
  doc["metadata"] = {{"pactSpecification", {{"version", "4.0"}}}};
  doc["_links"] = {{"self", {{"href", "http://broker"}}}};
  doc["createdAt"] = "2026-01-01";
  doc["_id"] = "x";
  Pact p = parsePact(doc, "v4.json");
  CHECK(p.specVersion == SpecVersion::V4);
  REQUIRE(p.interactions.size() == 1);
  CHECK(p.interactions[0].request.body.isJson);
  CHECK(p.interactions[0].request.body.value == json{{"a", 1}});
  CHECK(p.interactions[0].response.body.value == "hello");
  CHECK(p.interactions[0].response.body.contentType() == "text/plain");
  REQUIRE(p.notes.size() == 1);
  CHECK(p.notes[0].find("Asynchronous/Messages") != std::string::npos);
}

TEST_CASE("a body's content type is its V4 contentType when that says more than its Content-Type header") {
  json doc = minimal(json::array(
      {{{"type", "Synchronous/HTTP"},
        {"description", "typed"},
        {"request",
         {{"method", "POST"},
          {"path", "/"},
          {"headers", {{"content-type", "application/x-amz-json-1.1"}}},
          {"body", {{"content", {{"a", 1}}}, {"contentType", "application/x-amz-json-1.1"}, {"encoded", false}}}}},
        {"response",
         {{"status", 200},
          {"headers", {{"Content-Type", "application/json"}}},
          {"body", {{"content", "<a/>"}, {"contentType", "application/xml"}, {"encoded", false}}}}}},
       {{"type", "Synchronous/HTTP"},
        {"description", "header only"},
        {"request", {{"method", "POST"}, {"path", "/"}, {"headers", {{"Content-Type", "text/plain"}}}, {"body", "x"}}},
        {"response", {{"status", 200}}}}}));
  doc["metadata"] = {{"pactSpecification", {{"version", "4.0"}}}};
  Pact p = parsePact(doc, "types.json");
  REQUIRE(p.interactions.size() == 2);
  const auto& typed = p.interactions[0];
  CHECK(typed.request.body.contentType().empty());  // the same as the header: not copied
  CHECK(contentTypeOf(typed.request.body, typed.request.headers) == "application/x-amz-json-1.1");
  CHECK(typed.response.body.contentType() == "application/xml");  // says more than the header
  CHECK(contentTypeOf(typed.response.body, typed.response.headers) == "application/xml");
  CHECK(typed.response.body.xml() != nullptr);
  const auto& plain = p.interactions[1];
  CHECK(plain.request.body.contentType().empty());
  CHECK(contentTypeOf(plain.request.body, plain.request.headers) == "text/plain");
  CHECK(contentTypeOf(plain.response.body, plain.response.headers).empty());
}

TEST_CASE("XML bodies are parsed once at load time") {
  json doc = minimal(json::array({{{"description", "x"},
                                   {"request",
                                    {{"method", "POST"},
                                     {"path", "/"},
                                     {"headers", {{"Content-Type", "application/xml"}}},
                                     {"body", "<a x=\"1\"><b>t</b></a>"}}},
                                   {"response", {{"status", 200}}}}}));
  Pact p = parsePact(doc, "x.json");
  REQUIRE(p.interactions[0].request.body.xml());
  CHECK(p.interactions[0].request.body.xml()->name == "a");
  CHECK(p.interactions[0].request.body.xml()->children.at(0).text == "t");
}

TEST_CASE("parse errors name the source, the JSON pointer and the problem") {
  SECTION("not JSON") {
    auto e = parseError("{not json");
    CHECK(e.source() == "contracts/p.json");
    CHECK(e.reason().find("not valid JSON") != std::string::npos);
  }
  SECTION("missing consumer name") {
    auto e = parseError(R"({"consumer":{},"provider":{"name":"P"},"interactions":[]})");
    CHECK(e.pointer() == "/consumer/name");
    CHECK(std::string(e.what()).find("contracts/p.json") != std::string::npos);
  }
  SECTION("missing provider name") {
    auto e = parseError(R"({"consumer":{"name":"C"},"provider":{"name":""},"interactions":[]})");
    CHECK(e.pointer() == "/provider/name");
  }
  SECTION("no interactions") {
    auto e = parseError(R"({"consumer":{"name":"C"},"provider":{"name":"P"}})");
    CHECK(e.pointer() == "/interactions");
    CHECK(e.reason() == "no interactions array");
  }
  SECTION("bad method type") {
    auto e = parseError(R"({"consumer":{"name":"C"},"provider":{"name":"P"},"interactions":[
      {"description":"a","request":{"method":"GET","path":"/"},"response":{"status":200}},
      {"description":"b","request":{"method":7,"path":"/"},"response":{"status":200}}]})");
    CHECK(e.pointer() == "/interactions/1/request/method");
    CHECK(e.reason().find("expected a string") != std::string::npos);
  }
  SECTION("invalid regex in a matching rule") {
    auto e = parseError(R"({"consumer":{"name":"C"},"provider":{"name":"P"},"interactions":[
      {"description":"a","request":{"method":"GET","path":"/","matchingRules":{"body":{"$.a":{"matchers":[{"match":"regex","regex":"(unclosed"}]}}}},
       "response":{"status":200}}]})");
    CHECK(e.pointer() == "/interactions/0/request/matchingRules/body/$.a");
    CHECK(e.reason().find("invalid regex '(unclosed'") != std::string::npos);
  }
  SECTION("status out of range") {
    auto e = parseError(R"({"consumer":{"name":"C"},"provider":{"name":"P"},"interactions":[
      {"description":"a","request":{"method":"GET","path":"/"},"response":{"status":42}}]})");
    CHECK(e.pointer() == "/interactions/0/response/status");
  }
  SECTION("unknown matcher") {
    auto e = parseError(R"({"consumer":{"name":"C"},"provider":{"name":"P"},"interactions":[
      {"description":"a","request":{"method":"GET","path":"/","matchingRules":{"header":{"X":{"matchers":[{"match":"bogus"}]}}}},
       "response":{"status":200}}]})");
    CHECK(e.pointer() == "/interactions/0/request/matchingRules/header/X");
    CHECK(e.reason().find("bogus") != std::string::npos);
  }
}

TEST_CASE("spec version is read from each metadata spelling") {
  auto version = [](json meta) {
    json doc = minimal(json::array());
    doc["metadata"] = std::move(meta);
    return parsePact(doc, "m.json").specVersion;
  };
  CHECK(version({{"pactSpecification", {{"version", "1.1.0"}}}}) == SpecVersion::V1_1);
  CHECK(version({{"pact-specification", {{"version", "2.0.0"}}}}) == SpecVersion::V2);
  CHECK(version({{"pactSpecificationVersion", "3.0.0"}}) == SpecVersion::V3);
  CHECK(version({{"pactSpecification", {{"version", "4.0"}}}}) == SpecVersion::V4);
}

TEST_CASE("XML reader") {
  auto x = parseXml(R"(<?xml version="1.0"?><!-- c --><r a="1 &amp; 2"><c>x</c><c><![CDATA[<y>]]></c><e/></r>)");
  CHECK(x.name == "r");
  CHECK(*x.attribute("a") == "1 & 2");
  REQUIRE(x.children.size() == 3);
  CHECK(x.children[1].text == "<y>");
  CHECK_THROWS_AS(parseXml("<a><b></a>"), XmlParseError);
}

TEST_CASE("identical matching rules and generators of one pact are held once") {
  auto interaction = [](const std::string& description, const std::string& regex, const std::string& generator) {
    return json{{"description", description},
                {"request",
                 {{"method", "POST"},
                  {"path", "/x"},
                  {"body", {{"token", "0"}}},
                  {"matchingRules", {{"body", {{"$.token", {{"matchers", {{{"match", "regex"}, {"regex", regex}}}}}}}}}}}},
                {"response", {{"status", 200}, {"body", {{"id", "1"}}}, {"generators", {{"body", {{"$.id", {{"type", generator}}}}}}}}}};
  };
  json doc = minimal(json::array({interaction("a", "\\d+", "Uuid"), interaction("b", "\\d+", "Uuid"),
                                  interaction("c", "[a-z]+", "RandomString")}));
  doc["metadata"] = {{"pact-specification", {{"version", "3.0.0"}}}};
  const Pact p = parsePact(doc.dump(), "shared.json");
  REQUIRE(p.interactions.size() == 3);
  const auto& a = p.interactions[0];
  const auto& b = p.interactions[1];
  const auto& c = p.interactions[2];
  CHECK(a.request.rules.sameAs(b.request.rules));
  CHECK(a.response.generators.sameAs(b.response.generators));
  CHECK_FALSE(a.request.rules.sameAs(c.request.rules));
  CHECK_FALSE(a.response.generators.sameAs(c.response.generators));
  REQUIRE(c.request.rules->body.rules.size() == 1);
  CHECK(c.request.rules->body.rules[0].rules.matchers.at(0).text == "[a-z]+");
  REQUIRE(c.response.generators->body.size() == 1);
  CHECK(c.response.generators->body[0].generator.type == "RandomString");
  CHECK(b.response.generators->body.at(0).generator.type == "Uuid");
}
