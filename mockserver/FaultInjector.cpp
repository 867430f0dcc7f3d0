#include "mockserver/FaultInjector.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "mockserver/ProviderErrors.h"

namespace pactmocks::mockserver {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool valueIs(std::string_view value, std::string_view expected) { return http::iequals(trim(value), expected); }

// A non-negative decimal integer, saturating at `cap`; nullopt when not a number.
std::optional<std::int64_t> parseBounded(std::string_view text, std::int64_t cap) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) return cap;
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return std::min(value, cap);
}

}  // namespace

FaultPlan planFaults(const http::Headers& headers, const FaultLimits& limits) {
  FaultPlan plan;
  bool unauthorized = false, forbidden = false, unavailable = false, rateLimited = false;
  std::optional<std::string_view> retryAfter;
  // One pass over the fields: every fault header starts with "x-", most request headers don't.
  for (const auto& [name, value] : headers.fields()) {
    if (name.size() < 7 || (name[0] != 'x' && name[0] != 'X') || name[1] != '-') continue;
    if (http::iequals(name, "X-Auth-Failure")) {
      if (valueIs(value, "401") || valueIs(value, "unauthorized")) unauthorized = true;
      else if (valueIs(value, "403") || valueIs(value, "forbidden")) forbidden = true;
    } else if (http::iequals(name, "X-Service-Unavailable")) {
      if (valueIs(value, "true")) unavailable = true;
    } else if (http::iequals(name, "X-Rate-Limit")) {
      if (valueIs(value, "true")) rateLimited = true;
    } else if (http::iequals(name, "X-Rate-Limit-Retry-After")) {
      retryAfter = value;
    } else if (http::iequals(name, "X-Fault-Delay-Ms")) {
      if (auto ms = parseBounded(value, limits.maxDelay.count())) plan.delay = std::chrono::milliseconds(*ms);
    } else if (http::iequals(name, "X-Fault")) {
      if (valueIs(value, "reset")) plan.transport = http::Response::Fault::ResetConnection;
      else if (valueIs(value, "malformed") && plan.transport == http::Response::Fault::None)
        plan.transport = http::Response::Fault::MalformedBody;
    }
  }
  if (unauthorized) plan.status = 401;
  else if (forbidden) plan.status = 403;
  else if (unavailable) plan.status = 503;
  else if (rateLimited) {
    plan.status = 429;
    plan.retryAfterSeconds = limits.defaultRetryAfterSeconds;
    if (retryAfter) {
      if (auto seconds = parseBounded(*retryAfter, limits.maxRetryAfterSeconds))
        plan.retryAfterSeconds = static_cast<int>(*seconds);
    }
  }
  return plan;
}

bool isExemptFromFaults(std::string_view path) {
  return path == "/health" || path == "/health/ready" || path == "/metrics" || path.starts_with("/__admin/") ||
         path == "/__admin";
}

std::string_view faultName(const FaultPlan& plan) {
  if (plan.transport == http::Response::Fault::ResetConnection) return "reset";
  switch (plan.status) {
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 503: return "unavailable";
    case 429: return "rate-limit";
    default: break;
  }
  if (plan.transport == http::Response::Fault::MalformedBody) return "malformed";
  if (plan.delay.count() > 0) return "delay";
  return {};
}

http::Response faultResponse(const FaultPlan& plan, ErrorStyle style) {
  http::Response response;
  if (plan.transport == http::Response::Fault::ResetConnection) {
    response.status = 500;  // never sent: the connection is reset instead
  } else if (plan.status == 429) {
    response = providerError(style, 429, std::nullopt, plan.retryAfterSeconds);
  } else {
    response = providerError(style, plan.status);
  }
  applyFaultModifiers(plan, response);
  return response;
}

void applyFaultModifiers(const FaultPlan& plan, http::Response& response) {
  if (plan.delay.count() > 0) response.delay = plan.delay;
  if (plan.transport != http::Response::Fault::None) response.fault = plan.transport;
}

}  // namespace pactmocks::mockserver
