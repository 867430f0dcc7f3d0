#pragma once
// Waiting on a condition instead of sleeping: poll a predicate until it holds or a deadline
// passes. The outcome converts to bool and prints itself, so `CHECK(eventually(...))` and
// `REQUIRE(eventually(...))` fail with what was awaited and for how long.
#include <chrono>
#include <ostream>
#include <string>
#include <thread>
#include <utility>

namespace pactmocks::testsupport {

struct WaitOutcome {
  bool met = false;
  std::string what;  // the awaited condition, as the caller named it
  std::chrono::milliseconds waited{0};
  bool mustHold = false;  // from holdsFor: the condition had to stay true, not become true

  operator bool() const { return met; }  // implicit: `bool ok = eventually(...)` keeps working
  friend std::ostream& operator<<(std::ostream& out, const WaitOutcome& o) {
    out << (o.what.empty() ? std::string("condition") : "'" + o.what + "'");
    if (o.mustHold) out << (o.met ? " held for " : " stopped holding after ");
    else out << (o.met ? " met after " : " still false after ");
    return out << o.waited.count() << " ms";
  }
};

// How often a condition is re-checked: short enough to react at once, long enough not to spin.
inline constexpr std::chrono::milliseconds kPollInterval{20};

// Polls `predicate` until it is true or `timeout` passed (it is always checked at least once,
// and once more at the deadline).
template <class Predicate>
WaitOutcome eventually(Predicate&& predicate, std::chrono::milliseconds timeout, std::string what = {}) {
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + timeout;
  auto outcome = [&](bool met) {
    return WaitOutcome{met, std::move(what),
                       std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start),
                       false};
  };
  for (;;) {
    if (predicate()) return outcome(true);
    if (std::chrono::steady_clock::now() >= deadline) return outcome(false);
    std::this_thread::sleep_for(kPollInterval);  // the polling interval, not a synchronisation
  }
}

// Checks that `predicate` stays true for the whole `period` (e.g. "no second event arrives"):
// polls it and returns at the first time it is false. Use it where a test must show that
// something does NOT happen, which no positive condition can stand for.
template <class Predicate>
WaitOutcome holdsFor(Predicate&& predicate, std::chrono::milliseconds period, std::string what = {}) {
  const auto start = std::chrono::steady_clock::now();
  auto violated = eventually([&] { return !predicate(); }, period);
  return WaitOutcome{!violated.met, std::move(what),
                     std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start),
                     true};
}

}  // namespace pactmocks::testsupport
