#pragma once
// Exponential backoff with jitter (each delay drawn from the upper half of the current ceiling), capped. Pure: the caller sleeps or arms a timer.
#include <chrono>
#include <cstdint>
#include <random>

namespace pactmocks::http {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial = std::chrono::milliseconds(500),
          std::chrono::milliseconds max = std::chrono::milliseconds(30'000), double factor = 2.0);
  // Delay before the next attempt; grows each call up to max.
  std::chrono::milliseconds next();
  void reset();
  unsigned attempts() const { return attempts_; }

 private:
  std::chrono::milliseconds initial_, max_;
  double factor_;
  unsigned attempts_ = 0;
  std::minstd_rand rng_;
};

// Calls `attempt()` until it returns true or `shouldStop()` is true, sleeping between tries
// with the backoff. Returns whether an attempt succeeded. For worker threads only.
template <class Attempt, class ShouldStop>
bool retryWithBackoff(Backoff& backoff, Attempt&& attempt, ShouldStop&& shouldStop,
                      void (*sleep)(std::chrono::milliseconds)) {
  while (!shouldStop()) {
    if (attempt()) {
      backoff.reset();
      return true;
    }
    sleep(backoff.next());
  }
  return false;
}

}  // namespace pactmocks::http
