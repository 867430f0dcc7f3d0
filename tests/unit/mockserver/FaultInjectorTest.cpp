#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "mockserver/FaultInjector.h"

using namespace pactmocks;
using namespace pactmocks::mockserver;
using Fault = http::Response::Fault;

namespace {
http::Headers headers(std::initializer_list<std::pair<const char*, const char*>> fields) {
  http::Headers h;
  h.add("Content-Type", "application/json");
  for (auto& [n, v] : fields) h.add(n, v);
  return h;
}
}  // namespace

TEST_CASE("no fault headers means no fault", "[fault]") {
  auto plan = planFaults(headers({{"X-Amz-Target", "secretsmanager.GetSecretValue"}}));
  CHECK_FALSE(plan.any());
  CHECK_FALSE(plan.replacesResponse());
}

TEST_CASE("auth failure values", "[fault]") {
  CHECK(planFaults(headers({{"X-Auth-Failure", "401"}})).status == 401);
  CHECK(planFaults(headers({{"X-Auth-Failure", "unauthorized"}})).status == 401);
  CHECK(planFaults(headers({{"X-Auth-Failure", "403"}})).status == 403);
  CHECK(planFaults(headers({{"X-Auth-Failure", "forbidden"}})).status == 403);
  CHECK(planFaults(headers({{"X-Auth-Failure", "true"}})).status == 0);
  CHECK(planFaults(headers({{"X-Auth-Failure", "402"}})).status == 0);
  CHECK(planFaults(headers({{"X-Auth-Failure", ""}})).status == 0);
}

TEST_CASE("header names and values are case-insensitive, values trimmed", "[fault]") {
  CHECK(planFaults(headers({{"x-auth-failure", "UNAUTHORIZED"}})).status == 401);
  CHECK(planFaults(headers({{"X-AUTH-FAILURE", " Forbidden "}})).status == 403);
  CHECK(planFaults(headers({{"x-service-unavailable", "TRUE"}})).status == 503);
  CHECK(planFaults(headers({{"x-rate-limit", "True"}})).status == 429);
  CHECK(planFaults(headers({{"x-fault", "RESET"}})).transport == Fault::ResetConnection);
  CHECK(planFaults(headers({{"X-FAULT", "Malformed"}})).transport == Fault::MalformedBody);
}

TEST_CASE("other values mean no fault", "[fault]") {
  CHECK_FALSE(planFaults(headers({{"X-Service-Unavailable", "false"}})).any());
  CHECK_FALSE(planFaults(headers({{"X-Service-Unavailable", "1"}})).any());
  CHECK_FALSE(planFaults(headers({{"X-Rate-Limit", "yes"}})).any());
  CHECK_FALSE(planFaults(headers({{"X-Fault", "explode"}})).any());
  CHECK_FALSE(planFaults(headers({{"X-Fault-Delay-Ms", "soon"}})).any());
  CHECK_FALSE(planFaults(headers({{"X-Fault-Delay-Ms", "-5"}})).any());
  CHECK_FALSE(planFaults(headers({{"X-Rate-Limit-Retry-After", "5"}})).any());
}

TEST_CASE("precedence: auth beats 503 beats 429", "[fault]") {
  CHECK(planFaults(headers({{"X-Rate-Limit", "true"}, {"X-Service-Unavailable", "true"}, {"X-Auth-Failure", "403"}}))
            .status == 403);
  CHECK(planFaults(headers({{"X-Rate-Limit", "true"}, {"X-Service-Unavailable", "true"}})).status == 503);
  CHECK(planFaults(headers({{"X-Service-Unavailable", "true"}, {"X-Auth-Failure", "401"}})).status == 401);
  CHECK(planFaults(headers({{"X-Auth-Failure", "403"}, {"X-Auth-Failure", "401"}})).status == 401);
  auto reset = planFaults(headers({{"X-Fault", "reset"}, {"X-Auth-Failure", "401"}}));
  CHECK(reset.replacesResponse());
  CHECK(reset.transport == Fault::ResetConnection);
  CHECK(planFaults(headers({{"X-Fault", "malformed"}, {"X-Fault", "reset"}})).transport == Fault::ResetConnection);
}

TEST_CASE("rate limit retry-after: default, custom, bounded, invalid", "[fault]") {
  CHECK(planFaults(headers({{"X-Rate-Limit", "true"}})).retryAfterSeconds == 60);
  CHECK(planFaults(headers({{"X-Rate-Limit", "true"}, {"X-Rate-Limit-Retry-After", "7"}})).retryAfterSeconds == 7);
  CHECK(planFaults(headers({{"X-Rate-Limit-Retry-After", "0"}, {"X-Rate-Limit", "true"}})).retryAfterSeconds == 0);
  CHECK(planFaults(headers({{"X-Rate-Limit", "true"}, {"X-Rate-Limit-Retry-After", "999999"}})).retryAfterSeconds ==
        3600);
  CHECK(planFaults(headers({{"X-Rate-Limit", "true"}, {"X-Rate-Limit-Retry-After", "99999999999999999999999"}}))
            .retryAfterSeconds == 3600);
  CHECK(planFaults(headers({{"X-Rate-Limit", "true"}, {"X-Rate-Limit-Retry-After", "abc"}})).retryAfterSeconds == 60);
  CHECK(planFaults(headers({{"X-Rate-Limit", "true"}, {"X-Rate-Limit-Retry-After", "-3"}})).retryAfterSeconds == 60);
  FaultLimits limits;
  limits.maxRetryAfterSeconds = 10;
  CHECK(planFaults(headers({{"X-Rate-Limit", "true"}, {"X-Rate-Limit-Retry-After", "11"}}), limits)
            .retryAfterSeconds == 10);
}

TEST_CASE("delay is parsed, capped and does not replace the response", "[fault]") {
  auto plan = planFaults(headers({{"X-Fault-Delay-Ms", "250"}}));
  CHECK(plan.delay == std::chrono::milliseconds(250));
  CHECK(plan.any());
  CHECK_FALSE(plan.replacesResponse());
  CHECK(planFaults(headers({{"X-Fault-Delay-Ms", "1000000"}})).delay == std::chrono::milliseconds(30'000));
  FaultLimits limits;
  limits.maxDelay = std::chrono::milliseconds(100);
  CHECK(planFaults(headers({{"X-Fault-Delay-Ms", "101"}}), limits).delay == std::chrono::milliseconds(100));
  // A delay combines with a status fault.
  auto both = planFaults(headers({{"X-Fault-Delay-Ms", "20"}, {"X-Service-Unavailable", "true"}}));
  CHECK(both.status == 503);
  auto response = faultResponse(both, ErrorStyle::GoogleApis);
  CHECK(response.status == 503);
  CHECK(response.delay == std::chrono::milliseconds(20));
}

TEST_CASE("malformed modifies the normal response", "[fault]") {
  auto plan = planFaults(headers({{"X-Fault", "malformed"}}));
  CHECK_FALSE(plan.replacesResponse());
  http::Response response;
  response.body = "{}";
  applyFaultModifiers(plan, response);
  CHECK(response.fault == Fault::MalformedBody);
}

TEST_CASE("fault responses carry the status and Retry-After", "[fault]") {
  auto response = faultResponse(planFaults(headers({{"X-Rate-Limit", "true"}, {"X-Rate-Limit-Retry-After", "3"}})),
                                ErrorStyle::AzureKeyVault);
  CHECK(response.status == 429);
  CHECK(response.headers.get("Retry-After") == std::optional<std::string_view>("3"));
  auto reset = faultResponse(planFaults(headers({{"X-Fault", "reset"}})), ErrorStyle::AwsJson);
  CHECK(reset.fault == Fault::ResetConnection);
}

TEST_CASE("admin and health paths are exempt", "[fault]") {
  CHECK(isExemptFromFaults("/health"));
  CHECK(isExemptFromFaults("/health/ready"));
  CHECK(isExemptFromFaults("/metrics"));
  CHECK(isExemptFromFaults("/__admin/requests"));
  CHECK_FALSE(isExemptFromFaults("/"));
  CHECK_FALSE(isExemptFromFaults("/healthz"));
  CHECK_FALSE(isExemptFromFaults("/secrets/health"));
}

TEST_CASE("the fault name coverage records is the one that shapes the answer most", "[fault]") {
  CHECK(faultName(planFaults(headers({}))).empty());
  CHECK(faultName(planFaults(headers({{"X-Fault", "reset"}, {"X-Auth-Failure", "401"}}))) == "reset");
  CHECK(faultName(planFaults(headers({{"X-Auth-Failure", "401"}, {"X-Rate-Limit", "true"}}))) == "unauthorized");
  CHECK(faultName(planFaults(headers({{"X-Auth-Failure", "forbidden"}}))) == "forbidden");
  CHECK(faultName(planFaults(headers({{"X-Service-Unavailable", "true"}}))) == "unavailable");
  CHECK(faultName(planFaults(headers({{"X-Rate-Limit", "true"}, {"X-Fault-Delay-Ms", "5"}}))) == "rate-limit");
  CHECK(faultName(planFaults(headers({{"X-Fault", "malformed"}, {"X-Fault-Delay-Ms", "5"}}))) == "malformed");
  CHECK(faultName(planFaults(headers({{"X-Fault-Delay-Ms", "5"}}))) == "delay");
}
