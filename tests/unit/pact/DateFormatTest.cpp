#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "pact/DateFormat.h"

using namespace pactmocks::pact;

namespace {
bool accepts(const std::string& format, DateKind kind, const std::string& value) {
  re2::RE2 re(dateFormatToRegex(format, kind));
  REQUIRE(re.ok());
  return re2::RE2::FullMatch(value, re);
}
}  // namespace

TEST_CASE("date formats become validators") {
  CHECK(accepts("yyyy-MM-dd", DateKind::Date, "2026-11-25"));
  CHECK_FALSE(accepts("yyyy-MM-dd", DateKind::Date, "2026-1-25"));
  CHECK(accepts("EEE, dd MMM yyyy HH:mm:ss z", DateKind::Timestamp, "Wed, 25 Nov 2026 21:47:48 GMT"));
  CHECK(accepts("h:mm a", DateKind::Time, "9:05 PM"));
  CHECK(accepts("yyyyMMdd'T'HHmmss'Z'", DateKind::Timestamp, "20261125T214748Z"));
  CHECK(accepts("", DateKind::Date, "2026-11-25"));
  CHECK(accepts("", DateKind::Time, "21:47:48"));
  CHECK(accepts("", DateKind::Timestamp, "2026-11-25T21:47:48.5Z"));
  CHECK_THROWS_AS(dateFormatToRegex("yyyy-'x", DateKind::Date), std::invalid_argument);
  CHECK_THROWS_AS(dateFormatToRegex("yyyy-qq", DateKind::Date), std::invalid_argument);
}

TEST_CASE("formatting produces what the validator accepts") {
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1764107268)) + std::chrono::milliseconds(123);
  CHECK(formatDate("yyyy-MM-dd", DateKind::Date, t) == "2025-11-25");
  CHECK(formatDate("HH:mm:ss.SSS", DateKind::Time, t) == "21:47:48.123");
  CHECK(formatDate("", DateKind::Timestamp, t) == "2025-11-25T21:47:48.123Z");
  CHECK(formatDate("EEE, dd MMM yyyy", DateKind::Date, t) == "Tue, 25 Nov 2025");
  for (const std::string f : {"yyyy-MM-dd'T'HH:mm:ssXXX", "dd/MM/yy hh:mm a", "yyyy-DDD"})
    CHECK(accepts(f, DateKind::Timestamp, formatDate(f, DateKind::Timestamp, t)));
}

TEST_CASE("the calendar fields are gmtime's, across leap years, year ends and before 1970") {
  // formatDate computes the UTC calendar by arithmetic; gmtime_r is the reference.
  using namespace std::chrono;
  std::vector<long long> seconds = {0, -1, 86399, 86400, 951782399, 951782400, 951868800, 978307199, 978307200,
                                    4107542399LL, 4107542400LL, -2208988800LL, 1709164800, 1735689599};
  for (long long s = -4000000000LL; s < 4000000000LL; s += 7777777) seconds.push_back(s);
  for (long long s : seconds) {
    const std::time_t tt = static_cast<std::time_t>(s);
    std::tm tm{};
    REQUIRE(gmtime_r(&tt, &tm));
    char expected[64];
    std::strftime(expected, sizeof expected, "%Y-%m-%d %H:%M:%S %j %A %B", &tm);
    INFO("seconds " << s);
    const auto t = system_clock::time_point{std::chrono::seconds(s)};
    CHECK(formatDate("yyyy-MM-dd HH:mm:ss DDD EEEE MMMM", DateKind::Timestamp, t) == expected);
    CHECK(formatDate("w", DateKind::Date, t) == std::to_string(tm.tm_yday / 7 + 1));
  }
}
