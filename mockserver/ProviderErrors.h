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
#include <string_view>

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

}  // namespace pactmocks::mockserver
