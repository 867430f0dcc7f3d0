#pragma once
// Error responses shaped the way each cloud shapes them, so the SDKs in the controller under
// test classify them as the real service's errors (throttling → retry, auth → no retry, ...).
//
// AWS (JSON protocol): {"__type":"ThrottlingException","message":...} + X-Amzn-ErrorType,
//   Content-Type application/x-amz-json-1.1.
// Google APIs: {"error":{"code":429,"message":...,"status":"RESOURCE_EXHAUSTED"}}.
// Azure Key Vault: {"error":{"code":"Throttled","message":...}}.
// AWS bodies also carry the original mocks' {"error":{"code":<status>,...}} envelope, which the
// AWS SDKs ignore (they read __type/code/message), so older tests reading error.code still pass.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "http/Message.h"
#include "mockserver/ProviderProfile.h"

namespace pactmocks::mockserver {

// The provider's name for an error status (e.g. 429 → "ThrottlingException" for AWS,
// "RESOURCE_EXHAUSTED" for Google, "Throttled" for Azure). Unknown statuses get a generic code.
std::string_view providerErrorCode(ErrorStyle style, int status);
// Default message for a status, in the provider's words.
std::string_view providerErrorMessage(ErrorStyle style, int status);

// A complete error response. `retryAfterSeconds` adds a Retry-After header (and, in the
// compatibility envelope, retry_after).
http::Response providerError(ErrorStyle style, int status, std::optional<std::string_view> message = std::nullopt,
                             std::optional<int> retryAfterSeconds = std::nullopt);

// The answer to a request no interaction matched, in the provider's error envelope so the SDK
// surfaces `summary` (one line) as its own error message: AWS `__type`/`message` (+ X-Amzn-ErrorType),
// Google `error.code/message/status`, Azure `error.code/message`. The report's other members
// (request, closest) are added beside the envelope.
http::Response noMatchResponse(ErrorStyle style, int status, std::string_view summary, const nlohmann::json& report);

// Key Vault's answer to a request without a token: 401 with the Bearer challenge naming the
// tenant's authority and the vault resource. The Azure SDK reads it to obtain a token and retries.
http::Response keyVaultChallenge(std::string_view tenant);

// The error code the no-match response carries for AWS and Azure (Google keeps its canonical status).
inline constexpr std::string_view kNoMatchCode = "PactRequestMismatch";

}  // namespace pactmocks::mockserver
