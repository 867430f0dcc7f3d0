#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/Logging.h"

using pactmocks::EnvConfig;
using pactmocks::jsonEscape;
using pactmocks::LogSettings;

namespace {
EnvConfig makeEnv(std::map<std::string, std::string> vars) { return EnvConfig(std::move(vars)); }
}  // namespace

TEST_CASE("jsonEscape produces strings that parse back to the original", "[core][logging]") {
  const std::string tricky = std::string("quote \" backslash \\ newline \n tab \t cr \r bell \a nul ") + '\0' + " end";
  const std::string escaped = jsonEscape(tricky);
  CHECK(escaped.find('\n') == std::string::npos);
  CHECK(escaped.find('\0') == std::string::npos);
  CHECK(nlohmann::json::parse("\"" + escaped + "\"").get<std::string>() == tricky);
}

TEST_CASE("jsonEscape leaves plain and UTF-8 text alone", "[core][logging]") {
  CHECK(jsonEscape("hello world") == "hello world");
  CHECK(jsonEscape("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(jsonEscape("\x01") == "\\u0001");
}

TEST_CASE("log settings come from LOG_LEVEL and LOG_FORMAT", "[core][logging]") {
  auto defaults = LogSettings::fromEnv(makeEnv({}), "manager");
  CHECK(defaults.level == "info");
  CHECK(defaults.format == "text");
  CHECK(defaults.component == "manager");

  auto custom = LogSettings::fromEnv(makeEnv({{"LOG_LEVEL", "WARNING"}, {"LOG_FORMAT", "json"}}), "x");
  CHECK(custom.level == "warn");
  CHECK(custom.format == "json");

  CHECK_THROWS_AS(LogSettings::fromEnv(makeEnv({{"LOG_LEVEL", "loud"}}), "x"), pactmocks::ConfigError);
}
