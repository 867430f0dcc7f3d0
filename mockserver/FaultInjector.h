#pragma once
// Fault injection requested by request headers, decided before any contract matching.
// Pure: headers in, a plan out.
//
//   X-Auth-Failure: 401|unauthorized → 401; 403|forbidden → 403
//   X-Service-Unavailable: true      → 503
//   X-Rate-Limit: true               → 429 + Retry-After (X-Rate-Limit-Retry-After, default 60)
//   X-Fault-Delay-Ms: N              → wait N ms (capped), then answer normally
//   X-Fault: reset | malformed       → reset the connection / corrupt the response body
//
// Header names and values are case-insensitive; values are trimmed; any other value means no
// fault. Several status faults at once: auth beats 503 beats 429. `reset` wins over every
// status fault (nothing is sent); `malformed` and the delay apply to whatever response is sent.
#include <chrono>
#include <string_view>

#include "http/Message.h"
#include "mockserver/ProviderProfile.h"

namespace pactmocks::mockserver {

struct FaultLimits {
  std::chrono::milliseconds maxDelay{30'000};
  int defaultRetryAfterSeconds = 60;
  int maxRetryAfterSeconds = 3600;
};

struct FaultPlan {
  int status = 0;  // 401, 403, 503 or 429 to answer instead of the contract; 0 = none
  int retryAfterSeconds = 0;                  // with status 429
  std::chrono::milliseconds delay{0};
  http::Response::Fault transport = http::Response::Fault::None;

  bool replacesResponse() const { return status != 0 || transport == http::Response::Fault::ResetConnection; }
  bool any() const { return status != 0 || delay.count() > 0 || transport != http::Response::Fault::None; }
};

FaultPlan planFaults(const http::Headers& headers, const FaultLimits& limits = {});

// The one list of paths that are never faulted (probes and tests must always get through): the
// mock's own endpoints, /health, /health/ready, /metrics and /__admin with everything below it.
// MockService serves these itself and never matches them against the contracts.
bool isExemptFromFaults(std::string_view path);

// The name coverage records for the fault a plan injects ("reset", "unauthorized", "forbidden",
// "unavailable", "rate-limit", "malformed", "delay"; the one that shapes the answer most), or
// empty for no fault. Static strings: recording it allocates nothing.
std::string_view faultName(const FaultPlan& plan);

// The response for a plan that replaces the contract's answer (status fault or reset).
http::Response faultResponse(const FaultPlan& plan, ErrorStyle style);

// Applies the plan's delay and transport fault to a response about to be sent.
void applyFaultModifiers(const FaultPlan& plan, http::Response& response);

}  // namespace pactmocks::mockserver
