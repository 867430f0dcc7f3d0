#include <catch2/catch.hpp>

#include "http/Retry.h"

using namespace std::chrono;
using pactmocks::http::Backoff;

TEST_CASE("backoff grows by the factor and stays within its jitter band", "[http][backoff]") {
  Backoff b(milliseconds(100), milliseconds(10'000), 2.0);
  long long ceiling = 100;
  for (int i = 0; i < 6; ++i) {
    const auto d = b.next().count();
    CAPTURE(i, d, ceiling);
    CHECK(d >= ceiling / 2);
    CHECK(d <= ceiling);
    ceiling *= 2;
  }
  CHECK(b.attempts() == 6);
}

TEST_CASE("backoff is capped at max", "[http][backoff]") {
  Backoff b(milliseconds(500), milliseconds(2000), 3.0);
  for (int i = 0; i < 50; ++i) b.next();
  for (int i = 0; i < 20; ++i) {
    const auto d = b.next();
    CHECK(d <= milliseconds(2000));
    CHECK(d >= milliseconds(1000));
  }
}

TEST_CASE("reset starts over", "[http][backoff]") {
  Backoff b(milliseconds(100), milliseconds(100'000));
  for (int i = 0; i < 10; ++i) b.next();
  b.reset();
  CHECK(b.attempts() == 0);
  CHECK(b.next() <= milliseconds(100));
}

TEST_CASE("retryWithBackoff retries until success and sleeps the backoff in between", "[http][backoff]") {
  Backoff b(milliseconds(10), milliseconds(1000));
  int calls = 0;
  static int sleeps;
  sleeps = 0;
  const bool ok = pactmocks::http::retryWithBackoff(
      b, [&] { return ++calls == 3; }, [] { return false; }, [](milliseconds) { ++sleeps; });
  CHECK(ok);
  CHECK(calls == 3);
  CHECK(sleeps == 2);
  CHECK(b.attempts() == 0);  // reset after success

  const bool stopped = pactmocks::http::retryWithBackoff(
      b, [] { return false; }, [] { return true; }, [](milliseconds) {});
  CHECK_FALSE(stopped);
}
