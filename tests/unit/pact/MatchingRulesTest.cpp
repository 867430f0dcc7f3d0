#include <catch2/catch.hpp>

#include <variant>

#include "pact/BodyMatcher.h"
#include "pact/MatchingRules.h"

using namespace pactmocks::pact;
using nlohmann::json;

namespace {
bool passes(const json& matcher, const json& expected, const json& actual) {
  std::string reason;
  return applyMatcher(parseMatcher(matcher), expected, actual, reason);
}
std::vector<BodySegment> at(std::initializer_list<std::variant<const char*, int>> parts) {
  std::vector<BodySegment> out;
  for (const auto& p : parts) {
    if (std::holds_alternative<int>(p)) out.push_back({true, {}, static_cast<std::size_t>(std::get<int>(p)), false});
    else out.push_back({false, std::get<const char*>(p), 0, false});
  }
  return out;
}
}  // namespace

TEST_CASE("rule paths parse dotted, bracketed, indexed and wildcard forms") {
  auto p = parseRulePath("$.a['x-y'][*].b[2].*");
  REQUIRE(p.size() == 7);
  CHECK(p[0].kind == PathToken::Kind::Root);
  CHECK(p[2].kind == PathToken::Kind::Field);
  CHECK(p[2].name == "x-y");
  CHECK(p[3].kind == PathToken::Kind::AnyIndex);
  CHECK(p[5].kind == PathToken::Kind::Index);
  CHECK(p[5].index == 2);
  CHECK(p[6].kind == PathToken::Kind::AnyField);
  CHECK(parseRulePath("$").size() == 1);
  CHECK_THROWS_AS(parseRulePath("$.a["), std::invalid_argument);
  CHECK_THROWS_AS(parseRulePath("$.a['x"), std::invalid_argument);
}

TEST_CASE("path weights: exact names beat wildcards, prefixes only with cascade") {
  auto actual = at({"animals", 0, "name"});
  const auto exact = pathWeight(parseRulePath("$.animals[0].name"), actual);
  const auto star = pathWeight(parseRulePath("$.animals[*].name"), actual);
  const auto any = pathWeight(parseRulePath("$.animals[*].*"), actual);
  CHECK(exact > star);
  CHECK(star > any);
  CHECK(any > 0);
  CHECK(pathWeight(parseRulePath("$.animals[1].name"), actual) == 0);
  CHECK(pathWeight(parseRulePath("$.animals"), actual) == 0);
  CHECK(pathWeight(parseRulePath("$.animals"), actual, true) > 0);
  CHECK(pathWeight(parseRulePath("$['animals'][0]['name']"), actual) == exact);
}

TEST_CASE("type matchers read JSON values by their JSON type, text by its content") {
  std::string reason;
  auto typed = [&](const char* type, const json& actual) {
    return applyMatcher(parseMatcher({{"match", type}}), nullptr, actual, reason, ValueKind::Json);
  };
  auto textual = [&](const char* type, const json& actual) {
    return applyMatcher(parseMatcher({{"match", type}}), nullptr, actual, reason, ValueKind::Text);
  };
  CHECK(typed("integer", 7));
  CHECK_FALSE(typed("integer", "7"));
  CHECK(reason.find("integer") != std::string::npos);
  CHECK_FALSE(typed("decimal", "7.5"));
  CHECK(typed("decimal", 7.5));
  CHECK_FALSE(typed("number", "7"));
  CHECK(typed("number", 7));
  CHECK_FALSE(typed("boolean", "true"));
  CHECK(typed("boolean", false));
  CHECK(textual("integer", "7"));
  CHECK_FALSE(textual("integer", "7.5"));
  CHECK(textual("decimal", "7.5"));
  CHECK(textual("number", "-3"));
  CHECK(textual("boolean", "true"));
  CHECK_FALSE(textual("boolean", "yes"));
}

TEST_CASE("matchers") {
  SECTION("equality") {
    CHECK(passes({{"match", "equality"}}, "a", "a"));
    CHECK_FALSE(passes({{"match", "equality"}}, "a", "b"));
  }
  SECTION("regex is a full match and applies to numbers as text") {
    CHECK(passes({{"match", "regex"}, {"regex", "\\d+"}}, "1", "123"));
    CHECK_FALSE(passes({{"match", "regex"}, {"regex", "\\d+"}}, "1", "12a"));
    CHECK(passes({{"match", "regex"}, {"regex", "[0-9]"}}, 4, 7));
    CHECK_FALSE(passes({{"match", "regex"}, {"regex", ".*"}}, "x", nullptr));
  }
  SECTION("type, min, max") {
    CHECK(passes({{"match", "type"}}, "a", "zz"));
    CHECK(passes({{"match", "type"}}, 1, 2.5));
    CHECK_FALSE(passes({{"match", "type"}}, 1, "1"));
    CHECK_FALSE(passes({{"match", "type"}}, nullptr, "x"));
    CHECK(passes({{"min", 2}}, json::array({1}), json::array({1, 2})));
    CHECK_FALSE(passes({{"match", "type"}, {"min", 2}}, json::array({1}), json::array({1})));
    CHECK_FALSE(passes({{"match", "type"}, {"max", 1}}, json::array({1}), json::array({1, 2})));
    CHECK(passes({{"match", "type"}, {"min", 1}, {"max", 2}}, json::array({1}), json::array({1, 2})));
  }
  SECTION("include") {
    CHECK(passes({{"match", "include"}, {"value", "ell"}}, "hello", "yellow"));
    CHECK_FALSE(passes({{"match", "include"}, {"value", "ell"}}, "hello", "hallo"));
  }
  SECTION("integer, decimal, number, boolean, null") {
    CHECK(passes({{"match", "integer"}}, 1, 42));
    CHECK(passes({{"match", "integer"}}, "1", "42"));
    CHECK_FALSE(passes({{"match", "integer"}}, 1, 4.2));
    CHECK(passes({{"match", "decimal"}}, 1.5, 4.25));
    CHECK_FALSE(passes({{"match", "decimal"}}, 1.5, 4));
    CHECK(passes({{"match", "number"}}, 1, 4.5));
    CHECK_FALSE(passes({{"match", "number"}}, 1, "x"));
    CHECK(passes({{"match", "boolean"}}, true, false));
    CHECK_FALSE(passes({{"match", "boolean"}}, true, 0));
    CHECK(passes({{"match", "boolean"}}, true, "false"));  // text (headers, query, path) by default
    CHECK(passes({{"match", "null"}}, nullptr, nullptr));
    CHECK_FALSE(passes({{"match", "null"}}, nullptr, 0));
  }
  SECTION("date, time, timestamp with formats") {
    CHECK(passes({{"match", "date"}, {"format", "yyyy-MM-dd"}}, "", "2024-02-29"));
    CHECK_FALSE(passes({{"match", "date"}, {"format", "yyyy-MM-dd"}}, "", "2024-13-01"));
    CHECK(passes({{"match", "date"}, {"date", "dd/MM/yyyy"}}, "", "06/10/2015"));
    CHECK(passes({{"match", "time"}, {"format", "HH:mm"}}, "", "23:59"));
    CHECK_FALSE(passes({{"match", "time"}, {"format", "HH:mm"}}, "", "24:00"));
    CHECK(passes({{"match", "timestamp"}, {"format", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"}}, "", "2026-11-25T21:47:48.123Z"));
    CHECK(passes({{"match", "timestamp"}}, "", "2026-11-25T21:47:48+01:00"));
    CHECK_FALSE(passes({{"match", "timestamp"}}, "", "yesterday"));
    CHECK_THROWS_AS(parseMatcher({{"match", "date"}, {"format", "yyyy-'MM"}}), std::invalid_argument);
  }
  SECTION("notEmpty, semver") {
    CHECK(passes({{"match", "notEmpty"}}, "a", "b"));
    CHECK_FALSE(passes({{"match", "notEmpty"}}, "a", ""));
    CHECK_FALSE(passes({{"match", "notEmpty"}}, json::array({1}), json::array()));
    CHECK(passes({{"match", "semver"}}, "1.0.0", "10.2.3-rc.1"));
    CHECK_FALSE(passes({{"match", "semver"}}, "1.0.0", "1.0"));
  }
  SECTION("statusCode") {
    CHECK(passes({{"match", "statusCode"}, {"status", "success"}}, 200, 204));
    CHECK_FALSE(passes({{"match", "statusCode"}, {"status", "success"}}, 200, 404));
    CHECK(passes({{"match", "statusCode"}, {"status", "clientError"}}, 400, 404));
    CHECK(passes({{"match", "statusCode"}, {"status", json::array({200, 201})}}, 200, 201));
    CHECK_FALSE(passes({{"match", "statusCode"}, {"status", json::array({200, 201})}}, 200, 202));
  }
  SECTION("combine AND / OR") {
    RuleList andRules = parseRuleList({{"matchers", {{{"match", "type"}}, {{"match", "regex"}, {"regex", "a+"}}}}});
    RuleList orRules = parseRuleList(
        {{"combine", "OR"}, {"matchers", {{{"match", "null"}}, {{"match", "regex"}, {"regex", "a+"}}}}});
    std::string reason;
    CHECK(applyRules(andRules, "a", "aaa", reason));
    CHECK_FALSE(applyRules(andRules, "a", "b", reason));
    CHECK(applyRules(orRules, "a", nullptr, reason));
    CHECK(applyRules(orRules, "a", "aa", reason));
    CHECK_FALSE(applyRules(orRules, "a", "b", reason));
    CHECK(reason.find(" or ") != std::string::npos);
  }
  SECTION("invalid definitions") {
    CHECK_THROWS_AS(parseMatcher({{"match", "regex"}, {"regex", "("}}), std::invalid_argument);
    CHECK_THROWS_AS(parseMatcher({{"match", "include"}}), std::invalid_argument);
    CHECK_THROWS_AS(parseMatcher({{"nothing", 1}}), std::invalid_argument);
  }
}

TEST_CASE("JSON bodies under structural rules") {
  auto mismatches = [](const json& expected, const json& actual, const json& rules) {
    RuleCategory cat = parseBodyCategory(rules);
    std::vector<Mismatch> out;
    MismatchSink sink{&out, false, false};
    compareJsonBodies(expected, actual, cat, sink);
    return out;
  };
  SECTION("unexpected keys are mismatches without rules") {
    CHECK(mismatches({{"a", 1}}, {{"a", 1}, {"b", 2}}, json::object()).size() == 1);
  }
  SECTION("type matchers cascade to children") {
    json rules = {{"$.items", {{"matchers", {{{"match", "type"}, {"min", 1}}}}}}};
    CHECK(mismatches({{"items", {{{"id", 1}}}}}, {{"items", {{{"id", 5}}, {{"id", 6}}}}}, rules).empty());
    auto bad = mismatches({{"items", {{{"id", 1}}}}}, {{"items", {{{"id", "5"}}}}}, rules);
    REQUIRE(bad.size() == 1);
    CHECK(bad[0].location == "$.body.items[0].id");
  }
  SECTION("values ignores keys") {
    json rules = {{"$.m", {{"matchers", {{{"match", "values"}}}}}}};
    CHECK(mismatches({{"m", {{"a", 1}}}}, {{"m", {{"x", 1}, {"y", 1}}}}, rules).empty());
    CHECK_FALSE(mismatches({{"m", {{"a", 1}}}}, {{"m", {{"x", 2}}}}, rules).empty());
  }
  SECTION("eachKey and eachValue") {
    json rules = {{"$.m", {{"matchers",
                            {{{"match", "eachKey"}, {"rules", {{{"match", "regex"}, {"regex", "[a-z]+"}}}}},
                             {{"match", "eachValue"}, {"rules", {{{"match", "type"}}}}}}}}}};
    CHECK(mismatches({{"m", {{"a", "x"}}}}, {{"m", {{"b", "y"}, {"c", "z"}}}}, rules).empty());
    CHECK_FALSE(mismatches({{"m", {{"a", "x"}}}}, {{"m", {{"B1", "y"}}}}, rules).empty());
    CHECK_FALSE(mismatches({{"m", {{"a", "x"}}}}, {{"m", {{"b", 1}}}}, rules).empty());
  }
  SECTION("arrayContains") {
    json rules = {{"$.list",
                   {{"matchers",
                     {{{"match", "arrayContains"},
                       {"variants", {{{"index", 0}, {"rules", {{"$.id", {{"matchers", {{{"match", "integer"}}}}}}}}}}}}}}}}};
    json expected = {{"list", {{{"id", 1}}}}};
    CHECK(mismatches(expected, {{"list", {{{"id", "x"}}, {{"id", 7}}}}}, rules).empty());
    CHECK_FALSE(mismatches(expected, {{"list", {{{"id", "x"}}}}}, rules).empty());
  }
  SECTION("most specific rule wins") {
    json rules = {{"$.a[*].b", {{"matchers", {{{"match", "type"}}}}}},
                  {"$.a[1].b", {{"matchers", {{{"match", "regex"}, {"regex", "x+"}}}}}},
                  {"$.a", {{"matchers", {{{"match", "type"}}}}}}};
    json expected = {{"a", {{{"b", "q"}}, {{"b", "q"}}}}};
    CHECK(mismatches(expected, {{"a", {{{"b", "anything"}}, {{"b", "xx"}}}}}, rules).empty());
    CHECK_FALSE(mismatches(expected, {{"a", {{{"b", "anything"}}, {{"b", "yy"}}}}}, rules).empty());
  }
}
