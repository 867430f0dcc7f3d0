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
        case 413: return "RequestEntityTooLargeException";
        case 431: return "RequestHeaderFieldsTooLargeException";
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
        case 409: return "ABORTED";
        case 412: return "FAILED_PRECONDITION";
        case 413: return "INVALID_ARGUMENT";  // no canonical code of its own: a non-retryable client error
        case 431: return "INVALID_ARGUMENT";
        case 429: return "RESOURCE_EXHAUSTED";
        case 501: return "UNIMPLEMENTED";
        case 503: return "UNAVAILABLE";
        case 504: return "DEADLINE_EXCEEDED";
        default: return "INTERNAL";
      }
    case ErrorStyle::AzureKeyVault:
      switch (status) {
        case 400: return "BadParameter";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "NotFound";
        case 413: return "RequestEntityTooLarge";
        case 431: return "RequestHeaderFieldsTooLarge";
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

http::Response noMatchResponse(ErrorStyle style, int status, std::string_view summaryText, const nlohmann::json& report) {
  const std::string code(kNoMatchCode), summary(summaryText);
  nlohmann::json body;
  http::Response response;
  response.status = status;
  switch (style) {
    case ErrorStyle::AwsJson:
      body = {{"__type", code}, {"message", summary}};
      response.headers.set("Content-Type", "application/x-amz-json-1.1");
      response.headers.set("X-Amzn-ErrorType", code);
      break;
    case ErrorStyle::GoogleApis:
      // gax maps `status` to the error code, so it must be a canonical name for the HTTP status.
      body = {{"error", {{"code", status}, {"message", summary}, {"status", std::string(providerErrorCode(style, status))}}}};
      response.headers.set("Content-Type", "application/json; charset=UTF-8");
      break;
    case ErrorStyle::AzureKeyVault:
      body = {{"error", {{"code", code}, {"message", summary}}}};
      response.headers.set("Content-Type", "application/json; charset=utf-8");
      break;
  }
  if (report.is_object())
    for (const auto& [key, value] : report.items())
      if (key != "error" && !body.contains(key)) body[key] = value;
  // Request values in the report may be invalid UTF-8: replaced, never a throw.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

http::Response keyVaultChallenge(std::string_view tenant) {
  http::Response response;
  response.status = 401;
  response.body = nlohmann::json{{"error", {{"code", "Unauthorized"}, {"message", "AKV10000: Request is missing a Bearer or PoP token."}}}}.dump();
  response.headers.set("Content-Type", "application/json; charset=utf-8");
  response.headers.set("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/" + std::string(tenant) +
                                               "\", resource=\"https://vault.azure.net\"");
  return response;
}

}  // namespace pactmocks::mockserver
