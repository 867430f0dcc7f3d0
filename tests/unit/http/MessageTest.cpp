#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http/Message.h"

using namespace pactmocks::http;

TEST_CASE("iequals compares ASCII case-insensitively", "[http][message]") {
  CHECK(iequals("Content-Type", "content-type"));
  CHECK(iequals("", ""));
  CHECK_FALSE(iequals("Content-Type", "Content-Typo"));
  CHECK_FALSE(iequals("abc", "abcd"));
}

TEST_CASE("header names are case-insensitive and repeated fields are kept in order", "[http][headers]") {
  Headers h;
  h.add("Content-Type", "application/json");
  h.add("X-Trace", "1");
  h.add("x-trace", "2");
  CHECK(h.get("content-type") == std::optional<std::string_view>("application/json"));
  CHECK(h.contains("CONTENT-TYPE"));
  CHECK_FALSE(h.contains("Accept"));
  CHECK(h.get("X-TRACE") == std::optional<std::string_view>("1"));
  CHECK(h.getAll("X-Trace") == std::vector<std::string_view>{"1", "2"});
  CHECK(h.fields().size() == 3);
}

TEST_CASE("set replaces every field of the name, remove drops them", "[http][headers]") {
  Headers h;
  h.add("Accept", "a");
  h.add("ACCEPT", "b");
  h.add("Host", "x");
  h.set("accept", "c");
  CHECK(h.getAll("Accept") == std::vector<std::string_view>{"c"});
  h.remove("HOST");
  CHECK_FALSE(h.contains("Host"));
  CHECK(h.fields().size() == 1);
  h.clear();
  CHECK(h.empty());
}

TEST_CASE("assign replaces every field, reusing the strings it holds", "[http][headers]") {
  Headers h;
  const std::string longValue(100, 'v');
  h.add("Authorization", longValue);
  h.add("Host", "x");
  h.add("Accept", "a");
  const char* storage = h.fields()[0].second.data();
  const std::vector<std::pair<std::string_view, std::string_view>> next = {{"Content-Type", "application/json"},
                                                                          {"Host", "y"}};
  h.assign(next);
  REQUIRE(h.fields().size() == 2);
  CHECK(h.fields()[0] == Headers::Field{"Content-Type", "application/json"});
  CHECK(h.fields()[1] == Headers::Field{"Host", "y"});
  CHECK_FALSE(h.contains("Accept"));
  CHECK(h.fields()[0].second.data() == storage);  // the long value's buffer held the new value
  const std::vector<std::pair<std::string_view, std::string_view>> more = {{"A", "1"}, {"B", "2"}, {"C", "3"}};
  h.assign(more);
  CHECK(h.getAll("c") == std::vector<std::string_view>{"3"});
  CHECK(h.fields().size() == 3);
  h.assign({});
  CHECK(h.empty());
}

TEST_CASE("Request::param returns the capture or empty", "[http][message]") {
  Request r;
  r.params["provider"] = "AWS Secrets";
  CHECK(r.param("provider") == "AWS Secrets");
  CHECK(r.param("missing").empty());
}

TEST_CASE("Response helpers set content type and body", "[http][message]") {
  auto j = Response::json(201, {{"ok", true}});
  CHECK(j.status == 201);
  CHECK(j.headers.get("Content-Type") == std::optional<std::string_view>("application/json"));
  CHECK(nlohmann::json::parse(j.body) == nlohmann::json{{"ok", true}});

  auto t = Response::text(503, "down");
  CHECK(t.status == 503);
  CHECK(t.body == "down");
  CHECK(t.headers.get("content-type") == std::optional<std::string_view>("text/plain; charset=utf-8"));
  CHECK(t.fault == Response::Fault::None);
  CHECK(t.delay.count() == 0);
}

TEST_CASE("percentDecode", "[http][percent]") {
  CHECK(percentDecode("a%20b") == "a b");
  CHECK(percentDecode("%2Fpath%2f") == "/path/");
  CHECK(percentDecode("caf%C3%A9") == "caf\xc3\xa9");
  CHECK(percentDecode("a+b") == "a+b");
  CHECK(percentDecode("a+b", true) == "a b");
  // Invalid or truncated escapes stay as they are.
  CHECK(percentDecode("100%") == "100%");
  CHECK(percentDecode("%zz%4") == "%zz%4");
  CHECK(percentDecode("%00") == std::string("\0", 1));
}

TEST_CASE("percentEncodeSegment keeps unreserved characters only", "[http][percent]") {
  CHECK(percentEncodeSegment("AWS-Secrets_Manager.v1~") == "AWS-Secrets_Manager.v1~");
  CHECK(percentEncodeSegment("a b/c?d") == "a%20b%2Fc%3Fd");
  CHECK(percentEncodeSegment("caf\xc3\xa9") == "caf%C3%A9");
  CHECK(percentEncodeSegment("") == "");
}

TEST_CASE("percent encoding round-trips arbitrary bytes", "[http][percent]") {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  CHECK(percentDecode(percentEncodeSegment(all)) == all);
}
