#include "core/Result.h"

#include <memory>
#include <string>

#include <catch2/catch.hpp>

using pactmocks::BadResultAccess;
using pactmocks::fail;
using pactmocks::Result;

namespace {

Result<int> parsePort(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    return fail("not a port: '" + text + "'");
  }
  return std::stoi(text);
}

Result<void> check(bool good) {
  if (!good) return fail("not good");
  return pactmocks::ok();
}

enum class Kind { Transport, Rejected };
struct KindedError {
  Kind kind;
  std::string message;
};

Result<std::string, KindedError> fetch(bool reachable) {
  if (!reachable) return fail(KindedError{Kind::Transport, "connection refused"});
  return std::string("body");
}

}  // namespace

TEST_CASE("Result holds a value or an error message", "[result]") {
  auto good = parsePort("8080");
  REQUIRE(good);
  CHECK(good.ok());
  CHECK(*good == 8080);
  CHECK(good.value_or(1) == 8080);
  CHECK_THROWS_AS(good.error(), BadResultAccess);

  auto bad = parsePort("80a");
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == "not a port: '80a'");
  CHECK(bad.value_or(1) == 1);
  CHECK_THROWS_AS(bad.value(), BadResultAccess);
}

TEST_CASE("Result<void> is a success or an error", "[result]") {
  CHECK(check(true).ok());
  auto failed = check(false);
  REQUIRE_FALSE(failed);
  CHECK(failed.error() == "not good");
  CHECK_THROWS_AS(failed.value(), BadResultAccess);
  CHECK_NOTHROW(check(true).value());
}

TEST_CASE("Result carries a caller-defined error type", "[result]") {
  auto down = fetch(false);
  REQUIRE_FALSE(down);
  CHECK(down.error().kind == Kind::Transport);
  CHECK(down.error().message == "connection refused");
  CHECK(*fetch(true) == "body");
}

TEST_CASE("Result moves move-only values out", "[result]") {
  Result<std::unique_ptr<int>> owned = std::make_unique<int>(7);
  REQUIRE(owned);
  std::unique_ptr<int> taken = *std::move(owned);
  CHECK(*taken == 7);
}
