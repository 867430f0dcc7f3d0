#include "http/Retry.h"

#include <algorithm>
#include <cmath>

namespace pactmocks::http {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, double factor)
    : initial_(initial), max_(std::max(max, initial)), factor_(factor < 1.0 ? 1.0 : factor),
      rng_(std::random_device{}()) {}

std::chrono::milliseconds Backoff::next() {
  // Ceiling grows as initial * factor^attempts, capped; the delay is drawn in [ceiling/2, ceiling]
  // so retries of many clients spread out without ever collapsing to zero.
  const double ceiling = std::min(static_cast<double>(max_.count()),
                                  static_cast<double>(initial_.count()) * std::pow(factor_, attempts_));
  ++attempts_;
  const auto hi = static_cast<long long>(ceiling);
  const auto lo = hi / 2;
  if (hi <= lo) return std::chrono::milliseconds(hi);
  std::uniform_int_distribution<long long> dist(lo, hi);
  return std::chrono::milliseconds(dist(rng_));
}

void Backoff::reset() { attempts_ = 0; }

}  // namespace pactmocks::http
