#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "mockserver/ProviderErrors.h"

using namespace pactmocks;
using namespace pactmocks::mockserver;

namespace {
std::string header(const http::Response& r, const char* name) { return std::string(r.headers.get(name).value_or("")); }
}  // namespace

TEST_CASE("AWS errors use the JSON protocol", "[errors]") {
  struct Case { int status; const char* type; };
  for (auto [status, type] : {Case{429, "ThrottlingException"}, Case{503, "ServiceUnavailableException"},
                              Case{401, "UnrecognizedClientException"}, Case{403, "AccessDeniedException"}}) {
    auto r = providerError(ErrorStyle::AwsJson, status);
    auto body = nlohmann::json::parse(r.body);
    CHECK(r.status == status);
    CHECK(body["__type"] == type);
    CHECK(body["message"].is_string());
    CHECK(header(r, "X-Amzn-ErrorType") == type);
    CHECK(header(r, "Content-Type") == "application/x-amz-json-1.1");
    // Compatibility envelope of the original mocks.
    CHECK(body["error"]["code"] == status);
  }
  auto throttled = nlohmann::json::parse(providerError(ErrorStyle::AwsJson, 429).body);
  CHECK(throttled["message"] == "Rate exceeded");
}

TEST_CASE("Google errors use the google.rpc.Status envelope", "[errors]") {
  struct Case { int status; const char* code; };
  for (auto [status, code] : {Case{429, "RESOURCE_EXHAUSTED"}, Case{503, "UNAVAILABLE"}, Case{401, "UNAUTHENTICATED"},
                              Case{403, "PERMISSION_DENIED"}}) {
    auto r = providerError(ErrorStyle::GoogleApis, status);
    auto body = nlohmann::json::parse(r.body);
    CHECK(r.status == status);
    CHECK(body["error"]["code"] == status);
    CHECK(body["error"]["status"] == code);
    CHECK(body["error"]["message"].is_string());
    CHECK_FALSE(r.headers.contains("X-Amzn-ErrorType"));
    CHECK(header(r, "Content-Type").starts_with("application/json"));
  }
}

TEST_CASE("Azure errors use the Key Vault envelope", "[errors]") {
  struct Case { int status; const char* code; };
  for (auto [status, code] : {Case{429, "Throttled"}, Case{503, "ServiceUnavailable"}, Case{401, "Unauthorized"},
                              Case{403, "Forbidden"}}) {
    auto r = providerError(ErrorStyle::AzureKeyVault, status);
    auto body = nlohmann::json::parse(r.body);
    CHECK(r.status == status);
    CHECK(body["error"]["code"] == code);
    CHECK(body["error"]["message"].is_string());
  }
}

TEST_CASE("Retry-After header and custom message", "[errors]") {
  auto r = providerError(ErrorStyle::GoogleApis, 429, std::string_view("slow down"), 12);
  CHECK(header(r, "Retry-After") == "12");
  CHECK(nlohmann::json::parse(r.body)["error"]["message"] == "slow down");
  auto aws = providerError(ErrorStyle::AwsJson, 429, std::nullopt, 5);
  CHECK(nlohmann::json::parse(aws.body)["error"]["retry_after"] == 5);
  CHECK_FALSE(providerError(ErrorStyle::AwsJson, 503).headers.contains("Retry-After"));
}
