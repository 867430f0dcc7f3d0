#include <catch2/catch.hpp>

#include "core/EnvConfig.h"

using pactmocks::ConfigError;
using pactmocks::EnvConfig;

namespace {
EnvConfig makeEnv(std::map<std::string, std::string> vars) { return EnvConfig(std::move(vars)); }
// The message and the variable of the ConfigError `fn` throws; fails the test when none is thrown.
template <class Fn>
ConfigError configErrorOf(Fn&& fn) {
  try {
    fn();
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("expected a ConfigError");
  throw std::logic_error("unreachable");
}
}  // namespace

TEST_CASE("unset and empty variables give the defaults", "[core][env]") {
  auto env = makeEnv({{"EMPTY", ""}, {"BLANK", "   "}});
  CHECK(env.string("MISSING", "fallback") == "fallback");
  CHECK(env.string("EMPTY", "fallback") == "fallback");
  CHECK(env.string("BLANK", "fallback") == "fallback");
  CHECK_FALSE(env.optionalString("EMPTY").has_value());
  CHECK(env.integer("MISSING", 42, 0, 100) == 42);
  CHECK(env.port("MISSING", 1234) == 1234);
  CHECK(env.boolean("MISSING", true));
  CHECK(env.seconds("MISSING", 1.5, 0, 10) == std::chrono::milliseconds(1500));
  CHECK(env.url("MISSING", "http://localhost:9292/") == "http://localhost:9292");
  CHECK(env.choice("MISSING", "info", {"debug", "info"}) == "info");
}

TEST_CASE("values are trimmed", "[core][env]") {
  auto env = makeEnv({{"NAME", "  value \n"}, {"PORT", " 8080 "}});
  CHECK(env.string("NAME", "") == "value");
  CHECK(env.port("PORT", 1) == 8080);
}

TEST_CASE("required strings", "[core][env]") {
  auto env = makeEnv({{"SET", "x"}});
  CHECK(env.requiredString("SET") == "x");
  auto e = configErrorOf([&] { env.requiredString("PROVIDER_NAME"); });
  CHECK(e.variable() == "PROVIDER_NAME");
  CHECK_THAT(e.what(), Catch::Contains("PROVIDER_NAME") && Catch::Contains("required"));
}

TEST_CASE("a non-numeric port names the variable and the value", "[core][env]") {
  auto env = makeEnv({{"PORT", "abc"}});
  auto e = configErrorOf([&] { env.port("PORT", 1234); });
  CHECK(e.variable() == "PORT");
  CHECK_THAT(e.what(), Catch::Contains("PORT") && Catch::Contains("\"abc\"") && Catch::Contains("not an integer"));
}

TEST_CASE("ports outside 1..65535 are rejected", "[core][env]") {
  for (const char* bad : {"0", "65536", "-1", "99999999999999999999", "12x", "1.5"}) {
    CAPTURE(bad);
    auto env = makeEnv({{"PORT", bad}});
    CHECK_THROWS_AS(env.port("PORT", 1234), ConfigError);
  }
  CHECK(makeEnv({{"PORT", "65535"}}).port("PORT", 1) == 65535);
  CHECK(makeEnv({{"PORT", "+1"}}).port("PORT", 2) == 1);
}

TEST_CASE("integer ranges are enforced with the range in the message", "[core][env]") {
  auto env = makeEnv({{"N", "11"}});
  auto e = configErrorOf([&] { env.integer("N", 5, 1, 10); });
  CHECK_THAT(e.what(), Catch::Contains("out of range") && Catch::Contains("1..10"));
  CHECK(makeEnv({{"N", "10"}}).integer("N", 5, 1, 10) == 10);
  CHECK(makeEnv({{"N", "-3"}}).integer("N", 5, -5, 10) == -3);
}

TEST_CASE("negative seconds are rejected naming the variable", "[core][env]") {
  auto env = makeEnv({{"STARTUP_TIMEOUT_SECONDS", "-3"}});
  auto e = configErrorOf([&] { env.seconds("STARTUP_TIMEOUT_SECONDS", 90, 0, 3600); });
  CHECK(e.variable() == "STARTUP_TIMEOUT_SECONDS");
  CHECK_THAT(e.what(), Catch::Contains("STARTUP_TIMEOUT_SECONDS") && Catch::Contains("\"-3\"") &&
                           Catch::Contains("out of range"));
}

TEST_CASE("seconds accept fractions and reject garbage", "[core][env]") {
  CHECK(makeEnv({{"S", "0.25"}}).seconds("S", 1, 0, 10) == std::chrono::milliseconds(250));
  CHECK(makeEnv({{"S", "7"}}).seconds("S", 1, 0, 10) == std::chrono::milliseconds(7000));
  CHECK_THROWS_AS(makeEnv({{"S", "5s"}}).seconds("S", 1, 0, 10), ConfigError);
  CHECK_THROWS_AS(makeEnv({{"S", "nan"}}).seconds("S", 1, 0, 10), ConfigError);
  CHECK_THROWS_AS(makeEnv({{"S", "inf"}}).seconds("S", 1, 0, 10), ConfigError);
  CHECK_THROWS_AS(makeEnv({{"S", "11"}}).seconds("S", 1, 0, 10), ConfigError);
}

TEST_CASE("booleans", "[core][env]") {
  for (const char* yes : {"true", "TRUE", "1", "yes", "On"}) {
    CAPTURE(yes);
    CHECK(makeEnv({{"B", yes}}).boolean("B", false));
  }
  for (const char* no : {"false", "False", "0", "no", "OFF"}) {
    CAPTURE(no);
    CHECK_FALSE(makeEnv({{"B", no}}).boolean("B", true));
  }
  auto e = configErrorOf([] { makeEnv({{"DEBUG", "maybe"}}).boolean("DEBUG", false); });
  CHECK(e.variable() == "DEBUG");
  CHECK_THAT(e.what(), Catch::Contains("maybe"));
}

TEST_CASE("urls must be http with a host; trailing slashes go", "[core][env]") {
  CHECK(makeEnv({{"U", "http://broker:9292///"}}).url("U", "") == "http://broker:9292");
  CHECK(makeEnv({{"U", "HTTP://broker/base/"}}).url("U", "") == "HTTP://broker/base");
  // The client speaks plain http only: https is refused at start, not at every call.
  auto e = configErrorOf([] { makeEnv({{"BROKER_URL", "HTTPS://broker/base/"}}).url("BROKER_URL", ""); });
  CHECK(e.variable() == "BROKER_URL");
  CHECK_THAT(e.what(), Catch::Contains("https") && Catch::Contains("not supported"));
  CHECK_THROWS_AS(makeEnv({{"U", "broker:9292"}}).url("U", ""), ConfigError);
  CHECK_THROWS_AS(makeEnv({{"U", "ftp://broker"}}).url("U", ""), ConfigError);
  CHECK_THROWS_AS(makeEnv({{"U", "http:///"}}).url("U", ""), ConfigError);
}

TEST_CASE("listen addresses must be numeric IPv4 or IPv6", "[core][env]") {
  CHECK(makeEnv({}).ipAddress("BIND_ADDRESS", "0.0.0.0") == "0.0.0.0");
  CHECK(makeEnv({{"BIND_ADDRESS", "127.0.0.1"}}).ipAddress("BIND_ADDRESS", "0.0.0.0") == "127.0.0.1");
  CHECK(makeEnv({{"BIND_ADDRESS", "::"}}).ipAddress("BIND_ADDRESS", "0.0.0.0") == "::");
  CHECK(makeEnv({{"BIND_ADDRESS", "fe80::1%lo"}}).ipAddress("BIND_ADDRESS", "0.0.0.0") == "fe80::1%lo");
  CHECK_THROWS_AS(makeEnv({{"BIND_ADDRESS", std::string("127.0.0.1\0x", 11)}}).ipAddress("BIND_ADDRESS", "0.0.0.0"),
                  ConfigError);
  for (const char* bad : {"nope", "localhost", "256.1.1.1", "1.2.3", "::g"}) {
    auto e = configErrorOf([bad] { makeEnv({{"HEALTH_ADDRESS", bad}}).ipAddress("HEALTH_ADDRESS", "0.0.0.0"); });
    CHECK(e.variable() == "HEALTH_ADDRESS");
    CHECK_THAT(e.what(), Catch::Contains(bad));
  }
}

TEST_CASE("choices are case-insensitive and list the allowed values", "[core][env]") {
  const std::vector<std::string> formats{"text", "json"};
  CHECK(makeEnv({{"LOG_FORMAT", "JSON"}}).choice("LOG_FORMAT", "text", formats) == "json");
  auto e = configErrorOf([&] { makeEnv({{"LOG_FORMAT", "xml"}}).choice("LOG_FORMAT", "text", formats); });
  CHECK(e.variable() == "LOG_FORMAT");
  CHECK_THAT(e.what(), Catch::Contains("text|json"));
}

TEST_CASE("fromProcess reads the real environment", "[core][env]") {
  ::setenv("PACTMOCKS_ENVCONFIG_TEST", "from-process", 1);
  CHECK(EnvConfig::fromProcess().string("PACTMOCKS_ENVCONFIG_TEST", "") == "from-process");
  ::unsetenv("PACTMOCKS_ENVCONFIG_TEST");
}
