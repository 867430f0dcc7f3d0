#include "mockserver/ProviderErrors.h"

#include <string>

#include <nlohmann/json.hpp>

namespace pactmocks::mockserver {

std::string_view providerErrorCode(ErrorStyle style, int status) {
  switch (style) {
    case ErrorStyle::AwsJson:
      switch (status) {
        case 400: return "ValidationException";
        case 401: return "UnrecognizedClientException";
        case 403: return "AccessDeniedException";
        case 404: return "ResourceNotFoundException";
        case 429: return "ThrottlingException";
        case 503: return "ServiceUnavailableException";
        default: return "InternalServiceError";
      }
    case ErrorStyle::GoogleApis:
      switch (status) {
        case 400: return "INVALID_ARGUMENT";
        case 401: return "UNAUTHENTICATED";
        case 403: return "PERMISSION_DENIED";
        case 404: return "NOT_FOUND";
        case 429: return "RESOURCE_EXHAUSTED";
        case 503: return "UNAVAILABLE";
        default: return "INTERNAL";
      }
    case ErrorStyle::AzureKeyVault:
      switch (status) {
        case 400: return "BadParameter";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "NotFound";
        case 429: return "Throttled";
        case 503: return "ServiceUnavailable";
        default: return "InternalServerError";
      }
  }
  return "InternalServerError";
}

std::string_view providerErrorMessage(ErrorStyle style, int status) {
  switch (status) {
    case 401:
      return style == ErrorStyle::AwsJson ? "The security token included in the request is invalid."
                                          : "Unauthorized: Invalid or missing authentication credentials";
    case 403: return "Forbidden: Insufficient permissions";
    case 429: return style == ErrorStyle::AwsJson ? "Rate exceeded" : "Rate limit exceeded";
    case 503: return "Service temporarily unavailable";
    default: return "Internal error";
  }
}

http::Response providerError(ErrorStyle style, int status, std::optional<std::string_view> message,
                             std::optional<int> retryAfterSeconds) {
  const std::string code(providerErrorCode(style, status));
  const std::string text(message.value_or(providerErrorMessage(style, status)));
  nlohmann::json body;
  std::string contentType = "application/json";
  switch (style) {
    case ErrorStyle::AwsJson: {
      body = {{"__type", code}, {"message", text}};
      nlohmann::json compat = {{"code", status}, {"message", text}};
      if (retryAfterSeconds) compat["retry_after"] = *retryAfterSeconds;
      body["error"] = std::move(compat);
      contentType = "application/x-amz-json-1.1";
      break;
    }
    case ErrorStyle::GoogleApis:
      body = {{"error", {{"code", status}, {"message", text}, {"status", code}}}};
      contentType = "application/json; charset=UTF-8";
      break;
    case ErrorStyle::AzureKeyVault:
      body = {{"error", {{"code", code}, {"message", text}}}};
      contentType = "application/json; charset=utf-8";
      break;
  }
  http::Response response;
  response.status = status;
  response.body = body.dump();
  response.headers.set("Content-Type", contentType);
  if (style == ErrorStyle::AwsJson) response.headers.set("X-Amzn-ErrorType", code);
  if (retryAfterSeconds) response.headers.set("Retry-After", std::to_string(*retryAfterSeconds));
  return response;
}

}  // namespace pactmocks::mockserver
