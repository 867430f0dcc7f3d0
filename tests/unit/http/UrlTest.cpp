#include <catch2/catch.hpp>

#include "http/HttpClient.h"

using namespace pactmocks::http;

TEST_CASE("Url::parse splits host, port and base path", "[http][url]") {
  auto u = Url::parse("http://broker:9292/base/path/");
  REQUIRE(u);
  CHECK(u->scheme == "http");
  CHECK(u->host == "broker");
  CHECK(u->port == 9292);
  CHECK(u->basePath == "/base/path");
  CHECK(u->origin() == "http://broker:9292");

  auto plain = Url::parse("HTTP://127.0.0.1");
  REQUIRE(plain);
  CHECK(plain->port == 80);
  CHECK(plain->basePath.empty());

  auto v6 = Url::parse("http://[::1]:1234/x?ignored=1");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == 1234);
  CHECK(v6->basePath == "/x");
  CHECK(v6->origin() == "http://[::1]:1234");
}

TEST_CASE("Url::parse refuses https and malformed URLs with a message", "[http][url]") {
  auto https = Url::parse("https://broker:9292");
  REQUIRE_FALSE(https);
  CHECK_THAT(https.error(), Catch::Contains("https is not supported"));

  for (const char* bad : {"broker:9292", "ftp://broker", "http://", "http://:80", "http://host:0", "http://host:70000",
                          "http://host:12ab", "http://user:pw@host"}) {
    CAPTURE(bad);
    auto parsed = Url::parse(bad);
    REQUIRE_FALSE(parsed);
    CHECK_FALSE(parsed.error().empty());
  }
}
