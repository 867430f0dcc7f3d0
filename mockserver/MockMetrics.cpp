#include "mockserver/MockMetrics.h"

#include <algorithm>

#include <fmt/format.h>

namespace pactmocks::mockserver {

void MockMetrics::record(Outcome outcome, std::uint64_t latencyMicros) {
  requests_[static_cast<std::size_t>(outcome)].fetch_add(1, std::memory_order_relaxed);
  auto bucket = std::lower_bound(kBucketsMicros.begin(), kBucketsMicros.end(), latencyMicros) - kBucketsMicros.begin();
  buckets_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
  latencySumMicros_.fetch_add(latencyMicros, std::memory_order_relaxed);
}

void MockMetrics::recordReload(bool success) {
  (success ? reloadsOk_ : reloadsFailed_).fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t MockMetrics::requests(Outcome outcome) const {
  return requests_[static_cast<std::size_t>(outcome)].load(std::memory_order_relaxed);
}

std::uint64_t MockMetrics::reloads(bool success) const {
  return (success ? reloadsOk_ : reloadsFailed_).load(std::memory_order_relaxed);
}

std::string MockMetrics::render(const std::string& provider, std::size_t interactionsLoaded,
                                std::string_view source) const {
  static constexpr const char* kOutcomes[] = {"matched", "unmatched", "fault", "unavailable", "challenge"};
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "# HELP pactmocks_requests_total Mock requests by outcome.\n"
                     "# TYPE pactmocks_requests_total counter\n");
  for (std::size_t i = 0; i < requests_.size(); ++i)
    fmt::format_to(it, "pactmocks_requests_total{{provider=\"{}\",outcome=\"{}\"}} {}\n", provider, kOutcomes[i],
                   requests_[i].load(std::memory_order_relaxed));

  fmt::format_to(it, "# HELP pactmocks_request_duration_seconds Time to answer a mock request (without injected delay).\n"
                     "# TYPE pactmocks_request_duration_seconds histogram\n");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    if (i < kBucketsMicros.size())
      fmt::format_to(it, "pactmocks_request_duration_seconds_bucket{{provider=\"{}\",le=\"{}\"}} {}\n", provider,
                     static_cast<double>(kBucketsMicros[i]) / 1e6, cumulative);
    else
      fmt::format_to(it, "pactmocks_request_duration_seconds_bucket{{provider=\"{}\",le=\"+Inf\"}} {}\n", provider,
                     cumulative);
  }
  fmt::format_to(it, "pactmocks_request_duration_seconds_sum{{provider=\"{}\"}} {}\n", provider,
                 static_cast<double>(latencySumMicros_.load(std::memory_order_relaxed)) / 1e6);
  fmt::format_to(it, "pactmocks_request_duration_seconds_count{{provider=\"{}\"}} {}\n", provider, cumulative);

  fmt::format_to(it, "# HELP pactmocks_interactions_loaded Interactions in the served contracts.\n"
                     "# TYPE pactmocks_interactions_loaded gauge\n"
                     "pactmocks_interactions_loaded{{provider=\"{}\",source=\"{}\"}} {}\n",
                 provider, source, interactionsLoaded);
  fmt::format_to(it, "# HELP pactmocks_reloads_total Contract loads after startup, by result.\n"
                     "# TYPE pactmocks_reloads_total counter\n"
                     "pactmocks_reloads_total{{provider=\"{}\",result=\"success\"}} {}\n"
                     "pactmocks_reloads_total{{provider=\"{}\",result=\"failure\"}} {}\n",
                 provider, reloadsOk_.load(std::memory_order_relaxed), provider,
                 reloadsFailed_.load(std::memory_order_relaxed));
  return fmt::to_string(out);
}

}  // namespace pactmocks::mockserver
