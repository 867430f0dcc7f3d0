#pragma once
// Counters for /metrics. Recording is a few relaxed atomic increments (no lock on the serving
// path); rendering reads them into Prometheus text format.
#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace pactmocks::mockserver {

// Challenge: Key Vault's 401 Bearer challenge to a request without Authorization (not a mismatch).
enum class Outcome { Matched = 0, Unmatched = 1, Fault = 2, Unavailable = 3, Challenge = 4 };

class MockMetrics {
 public:
  // Upper bounds (µs) of the latency histogram buckets; +Inf is implicit.
  static constexpr std::array<std::uint64_t, 12> kBucketsMicros = {50,    100,    250,    500,     1'000,   2'500,
                                                                   5'000, 10'000, 25'000, 100'000, 500'000, 1'000'000};

  void record(Outcome outcome, std::uint64_t latencyMicros);
  void recordReload(bool success);

  std::uint64_t requests(Outcome outcome) const;
  std::uint64_t reloads(bool success) const;
  std::string render(const std::string& provider, std::size_t interactionsLoaded, std::string_view source) const;

 private:
  std::array<std::atomic<std::uint64_t>, 5> requests_{};
  std::array<std::atomic<std::uint64_t>, kBucketsMicros.size() + 1> buckets_{};  // non-cumulative
  std::atomic<std::uint64_t> latencySumMicros_{0};
  std::atomic<std::uint64_t> reloadsOk_{0}, reloadsFailed_{0};
};

}  // namespace pactmocks::mockserver
