#include <catch2/catch.hpp>

#include <regex>

#include "core/Time.h"

using namespace std::chrono;
using pactmocks::rfc3339;

TEST_CASE("rfc3339 formats UTC with milliseconds", "[core][time]") {
  CHECK(rfc3339(system_clock::time_point{}) == "1970-01-01T00:00:00.000Z");
  // 2026-11-25T21:47:48.123Z
  CHECK(rfc3339(system_clock::time_point{milliseconds(1795643268123LL)}) == "2026-11-25T21:47:48.123Z");
  // Leap day.
  CHECK(rfc3339(system_clock::time_point{seconds(951782400)} + milliseconds(7)) == "2000-02-29T00:00:00.007Z");
}

TEST_CASE("nowRfc3339 has the expected shape", "[core][time]") {
  const std::regex shape(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  CHECK(std::regex_match(pactmocks::nowRfc3339(), shape));
}
