#include <catch2/catch.hpp>

#include <sys/resource.h>

#include "core/OpenFileLimit.h"

using pactmocks::raiseOpenFileLimit;

namespace {

rlimit current() {
  rlimit limit{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
  return limit;
}

// Sets the soft limit for one test and restores it after (any process may lower its soft limit and
// raise it back up to the hard limit).
struct SoftLimit {
  explicit SoftLimit(rlim_t soft) : saved(current()) {
    rlimit lowered = saved;
    lowered.rlim_cur = soft;
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &lowered) == 0);
  }
  ~SoftLimit() { ::setrlimit(RLIMIT_NOFILE, &saved); }
  SoftLimit(const SoftLimit&) = delete;
  SoftLimit& operator=(const SoftLimit&) = delete;
  rlimit saved;
};

}  // namespace

TEST_CASE("the soft open-file limit is raised to the hard limit", "[core][limits]") {
  const rlim_t hard = current().rlim_max;
  REQUIRE(hard > 64);  // any real system; the test lowers the soft limit below it
  SoftLimit lowered(64);
  const auto limit = raiseOpenFileLimit();
  CHECK(limit.soft == hard);
  CHECK(limit.hard == hard);
  CHECK(current().rlim_cur == hard);
}

TEST_CASE("the soft open-file limit is raised to what is wanted, never lowered", "[core][limits]") {
  const rlim_t hard = current().rlim_max;
  REQUIRE(hard >= 100);
  SoftLimit lowered(64);
  CHECK(raiseOpenFileLimit(100).soft == 100);
  CHECK(current().rlim_cur == 100);
  CHECK(raiseOpenFileLimit(80).soft == 100);  // already above: left as it is
  CHECK(current().rlim_cur == 100);
}
