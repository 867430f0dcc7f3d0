#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pact/LazyRegex.h"

using pactmocks::pact::LazyRegex;

TEST_CASE("a lazy regex is validated when made and compiled on its first match") {
  LazyRegex re("/secrets/[a-z]+", "regex");
  CHECK(re.pattern() == "/secrets/[a-z]+");
  CHECK_FALSE(re.built());
  CHECK(re.fullMatch("/secrets/abc"));
  CHECK(re.built());
  CHECK_FALSE(re.fullMatch("/secrets/abc/x"));  // a full match, not a search
  CHECK_FALSE(re.fullMatch("x/secrets/abc"));
}

TEST_CASE("an invalid pattern is an error when the regex is made, naming what it is") {
  try {
    LazyRegex re("(unclosed", "date format");
    FAIL("no error");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("invalid date format '(unclosed': missing )") == 0);
  }
}

TEST_CASE("threads racing to the first match compile it once and all get the right answer") {
  LazyRegex re("v[0-9]+", "regex");
  std::atomic<int> right{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      if (re.fullMatch("v" + std::to_string(t)) && !re.fullMatch("w" + std::to_string(t))) ++right;
    });
  for (auto& t : threads) t.join();
  CHECK(right == 8);
  CHECK(re.built());
}

TEST_CASE("a pattern too large for the small compile budget is still compiled and matches") {
  // {1,1000} expands to a program of thousands of instructions, more than the lean budget holds.
  LazyRegex re("^[a-z]{1,1000}$", "regex");
  CHECK(re.fullMatch("abc"));
  CHECK(re.fullMatch(std::string(1000, 'q')));
  CHECK_FALSE(re.fullMatch(std::string(1001, 'q')));
  CHECK_FALSE(re.fullMatch("ab1"));
}
