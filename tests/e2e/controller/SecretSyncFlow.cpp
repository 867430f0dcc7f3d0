#include "SecretSyncFlow.h"

#include <ctime>

#include "core/Sha256.h"

namespace pactmocks::e2e {

namespace {

constexpr const char* kUuidRegex = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
constexpr const char* kAwsArnRegex = "^arn:aws:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:test-secret-[A-Za-z0-9]{6}$";
constexpr const char* kRfc3339SecondsRegex = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$";
constexpr const char* kAzureVersionedIdRegex = "^https://[a-z0-9-]+\\.vault\\.azure\\.net/secrets/test-secret/[0-9a-f]{32}$";
// What the "secret exists" provider state fixes in the examples (ProviderState generators).
constexpr const char* kAwsStateVersionId = "4ba0a04f-ad44-4481-b799-f71d743316d0";
constexpr const char* kAzureStateId =
    "https://test-vault.vault.azure.net/secrets/test-secret/af165e8bc9ae4280b7fda94e9bd77cce";

std::string utcFormat(std::chrono::system_clock::time_point t, const char* format) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

ResponseExpectation ok(std::vector<FieldRule> fields, std::vector<HeaderRule> headers = {}) {
  ResponseExpectation e;
  e.status = 200;
  e.fields = std::move(fields);
  e.headers = std::move(headers);
  return e;
}

std::vector<HeaderRule> awsHeaders() {
  return {{"Content-Type", "application/x-amz-json-1.1", std::nullopt}, {"x-amzn-RequestId", std::nullopt, kUuidRegex}};
}
std::vector<HeaderRule> gcpHeaders() { return {{"Content-Type", std::nullopt, "^application/json"}}; }
std::vector<HeaderRule> azureHeaders() {
  return {{"Content-Type", std::nullopt, "^application/json"}, {"x-ms-request-id", std::nullopt, kUuidRegex}};
}

FlowStep step(std::string name, HttpCall call, ResponseExpectation expect, std::vector<Capture> captures = {}) {
  return {std::move(name), std::move(call), std::move(expect), std::move(captures)};
}

std::vector<FlowStep> awsFlow(SdkContext& sdk) {
  std::vector<FlowStep> s;
  s.push_back(step("create-secret",
                   awsCall(sdk, "CreateSecret",
                           R"({"Name":"test-secret","SecretString":"s3cr3t-value","ClientRequestToken":")" + sdk.uuid() + "\"}"),
                   ok({FieldRule::equals("/Name", kSecretName), FieldRule::matches("/ARN", kAwsArnRegex),
                       FieldRule::matches("/VersionId", kUuidRegex)},
                      awsHeaders())));
  s.push_back(step("add-version",
                   awsCall(sdk, "PutSecretValue",
                           R"({"SecretId":"test-secret","SecretString":"s3cr3t-value-v2","ClientRequestToken":")" +
                               sdk.uuid() + "\"}"),
                   ok({FieldRule::equals("/Name", kSecretName), FieldRule::matches("/VersionId", kUuidRegex),
                       FieldRule::arrayContains("/VersionStages", "AWSCURRENT")},
                      awsHeaders())));
  s.push_back(readBackStep(Provider::Aws, sdk));
  s.push_back(step("describe-secret", awsCall(sdk, "DescribeSecret", R"({"SecretId":"test-secret"})"),
                   ok({FieldRule::equals("/Name", kSecretName), FieldRule::matches("/ARN", kAwsArnRegex),
                       FieldRule::isNumber("/LastChangedDate"),
                       FieldRule::arrayContains("/VersionIdsToStages/" + std::string(kAwsStateVersionId), "AWSCURRENT")},
                      awsHeaders())));
  s.push_back(step("list-secrets", awsCall(sdk, "ListSecrets", R"({"MaxResults":20})"),
                   ok({FieldRule::nonEmptyArray("/SecretList"), FieldRule::equals("/SecretList/0/Name", kSecretName),
                       FieldRule::isNumber("/SecretList/0/CreatedDate")},
                      awsHeaders())));
  s.push_back(step("delete-secret", awsCall(sdk, "DeleteSecret", R"({"SecretId":"test-secret","RecoveryWindowInDays":7})"),
                   ok({FieldRule::equals("/Name", kSecretName), FieldRule::isNumber("/DeletionDate")}, awsHeaders())));
  ResponseExpectation notFound = providerError(Provider::Aws, 400);
  notFound.fields = {FieldRule::equals("/__type", "ResourceNotFoundException"), FieldRule::matches("/Message", ".")};
  notFound.headers = {{"X-Amzn-ErrorType", "ResourceNotFoundException", std::nullopt}};
  s.push_back(step("read-missing", awsCall(sdk, "GetSecretValue", R"({"SecretId":"missing"})"), notFound));
  return s;
}

std::vector<FlowStep> gcpFlow(SdkContext& sdk) {
  const std::string secrets = "/v1/projects/test-project/secrets";
  std::vector<FlowStep> s;
  s.push_back(step("create-secret", gcpCall(sdk, "POST", secrets + "?secretId=test-secret",
                           R"({"replication":{"automatic":{}},"labels":{},"annotations":{},"tags":{},"versionAliases":{}})"),
                   ok({FieldRule::matches("/name", "^projects/[^/]+/secrets/test-secret$"),
                       FieldRule::matches("/createTime", kRfc3339SecondsRegex)},
                      gcpHeaders())));
  s.push_back(step("add-version",
                   gcpCall(sdk, "POST", secrets + "/test-secret:addVersion",
                           std::string(R"({"payload":{"data":")") + kSecretValueBase64 + "\"}}"),
                   ok({FieldRule::matches("/name", "^projects/[^/]+/secrets/test-secret/versions/[0-9]+$"),
                       FieldRule::equals("/state", "ENABLED"), FieldRule::matches("/createTime", kRfc3339SecondsRegex)},
                      gcpHeaders())));
  s.push_back(readBackStep(Provider::Gcp, sdk));
  s.push_back(step("get-secret", gcpCall(sdk, "GET", secrets + "/test-secret"),
                   ok({FieldRule::matches("/name", "^projects/[^/]+/secrets/test-secret$")}, gcpHeaders())));
  s.push_back(step("list-secrets", gcpCall(sdk, "GET", secrets),
                   ok({FieldRule::nonEmptyArray("/secrets"), FieldRule::matches("/secrets/0/name", "/secrets/test-secret$"),
                       FieldRule::isInteger("/totalSize")},
                      gcpHeaders())));
  s.push_back(step("delete-secret", gcpCall(sdk, "DELETE", secrets + "/test-secret"), ok({}, gcpHeaders())));
  ResponseExpectation notFound = providerError(Provider::Gcp, 404);
  s.push_back(step("read-missing", gcpCall(sdk, "GET", secrets + "/missing/versions/latest:access"), notFound));
  return s;
}

std::vector<FlowStep> azureFlow(SdkContext& sdk) {
  const std::string api = "?api-version=2025-07-01";
  std::vector<FlowStep> s;
  s.push_back(step("create-secret", azureCall(sdk, "PUT", "/secrets/test-secret" + api, R"({"value":"s3cr3t-value","attributes":{}})"),
                   ok({FieldRule::equals("/id", kAzureStateId), FieldRule::equals("/value", kSecretValue),
                       FieldRule::isInteger("/attributes/created")},
                      azureHeaders())));
  // Key Vault has no separate "add version": setting the secret again makes a new version.
  s.push_back(step("add-version", azureCall(sdk, "PUT", "/secrets/test-secret" + api, R"({"value":"s3cr3t-value-v2","attributes":{}})"),
                   ok({FieldRule::matches("/id", kAzureVersionedIdRegex), FieldRule::isInteger("/attributes/updated")},
                      azureHeaders()),
                   {Capture{"version", "/id", true}}));
  s.push_back(readBackStep(Provider::Azure, sdk));
  s.push_back(step("read-version", azureCall(sdk, "GET", "/secrets/test-secret/{{version}}" + api),
                   ok({FieldRule::matches("/id", kAzureVersionedIdRegex), FieldRule::equals("/value", kSecretValue)},
                      azureHeaders())));
  s.push_back(step("list-secrets", azureCall(sdk, "GET", "/secrets" + api),
                   ok({FieldRule::nonEmptyArray("/value"), FieldRule::matches("/value/0/id", "/secrets/test-secret$"),
                       FieldRule::isInteger("/value/0/attributes/created")},
                      azureHeaders())));
  s.push_back(step("delete-secret", azureCall(sdk, "DELETE", "/secrets/test-secret" + api),
                   ok({FieldRule::matches("/recoveryId", "/deletedsecrets/test-secret$"), FieldRule::isInteger("/deletedDate"),
                       FieldRule::isInteger("/scheduledPurgeDate")},
                      azureHeaders())));
  ResponseExpectation notFound = providerError(Provider::Azure, 404);
  notFound.fields = {FieldRule::equals("/error/code", "SecretNotFound"), FieldRule::matches("/error/message", ".")};
  s.push_back(step("read-missing", azureCall(sdk, "GET", "/secrets/missing/" + api), notFound));
  return s;
}

std::string providerErrorCode(Provider provider, int status) {
  struct Codes { const char *aws, *gcp, *azure; };
  Codes c{"InternalServiceError", "INTERNAL", "InternalServerError"};
  switch (status) {
    case 400: c = {"ValidationException", "INVALID_ARGUMENT", "BadParameter"}; break;
    case 401: c = {"UnrecognizedClientException", "UNAUTHENTICATED", "Unauthorized"}; break;
    case 403: c = {"AccessDeniedException", "PERMISSION_DENIED", "Forbidden"}; break;
    case 404: c = {"ResourceNotFoundException", "NOT_FOUND", "SecretNotFound"}; break;
    case 429: c = {"ThrottlingException", "RESOURCE_EXHAUSTED", "Throttled"}; break;
    case 503: c = {"ServiceUnavailableException", "UNAVAILABLE", "ServiceUnavailable"}; break;
    default: break;
  }
  switch (provider) {
    case Provider::Aws: return c.aws;
    case Provider::Gcp: return c.gcp;
    case Provider::Azure: return c.azure;
  }
  return {};
}

FlowStep withHeaders(const FlowStep& base, std::string name, std::vector<std::pair<std::string, std::string>> headers,
                     ResponseExpectation expect) {
  FlowStep s = base;
  s.name = std::move(name);
  for (auto& [k, v] : headers) s.call.headers.set(k, v);
  s.expect = std::move(expect);
  s.captures.clear();
  return s;
}

}  // namespace

std::string SdkContext::uuid() {
  std::string h = hex(32);
  h[12] = '4';
  h[16] = "89ab"[random_() % 4];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string SdkContext::hex(std::size_t digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(digits);
  for (std::size_t i = 0; i < digits; ++i) out.push_back(kDigits[random_() % 16]);
  return out;
}

HttpCall awsCall(SdkContext& sdk, const std::string& operation, const std::string& jsonBody) {
  HttpCall c{"POST", "/", {}, jsonBody};
  const std::string amzDate = utcFormat(sdk.now(), "%Y%m%dT%H%M%SZ");
  const std::string day = amzDate.substr(0, 8);
  c.headers.set("Content-Type", "application/x-amz-json-1.1");
  c.headers.set("X-Amz-Target", "secretsmanager." + operation);
  c.headers.set("X-Amz-Date", amzDate);
  // Shaped like SigV4; the mock must ignore it (a real signature never matches a recorded one).
  c.headers.set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/" + day +
                                     "/us-east-1/secretsmanager/aws4_request, "
                                     "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-type;host;x-amz-date;"
                                     "x-amz-target, Signature=" + sha256Hex(amzDate + operation + jsonBody));
  c.headers.set("User-Agent", "aws-sdk-rust/1.3.0 os/linux lang/rust/1.80.0");
  c.headers.set("amz-sdk-invocation-id", sdk.uuid());
  c.headers.set("amz-sdk-request", "attempt=1; max=3");
  return c;
}

HttpCall gcpCall(SdkContext& sdk, const std::string& method, const std::string& target, const std::string& jsonBody) {
  // Google's REST clients ask for JSON with integer enums on every call.
  HttpCall c{method, target + (target.find('?') == std::string::npos ? "?" : "&") + "$alt=json%3Benum-encoding%3Dint", {},
             jsonBody};
  c.headers.set("Authorization", "Bearer ya29.pact-mode-" + sdk.hex(24));
  c.headers.set("x-goog-api-client", "gl-rust/1.80.0 gccl/0.1.0");
  c.headers.set("User-Agent", "google-cloud-secretmanager/0.1.0");
  if (!jsonBody.empty()) c.headers.set("Content-Type", "application/json");
  return c;
}

HttpCall azureCall(SdkContext& sdk, const std::string& method, const std::string& target, const std::string& jsonBody) {
  HttpCall c{method, target, {}, jsonBody};
  c.headers.set("Authorization", "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.pact-mode." + sdk.hex(16));
  c.headers.set("x-ms-client-request-id", sdk.uuid());
  c.headers.set("x-ms-return-client-request-id", "true");
  c.headers.set("User-Agent", "azsdk-rust-security_keyvault/0.20.0 (1.80.0; linux; x86_64)");
  if (!jsonBody.empty()) c.headers.set("Content-Type", "application/json");
  return c;
}

std::vector<FlowStep> secretSyncFlow(Provider provider, SdkContext& sdk) {
  switch (provider) {
    case Provider::Aws: return awsFlow(sdk);
    case Provider::Gcp: return gcpFlow(sdk);
    case Provider::Azure: return azureFlow(sdk);
  }
  return {};
}

FlowStep readBackStep(Provider provider, SdkContext& sdk) {
  switch (provider) {
    case Provider::Aws:
      return step("read-back", awsCall(sdk, "GetSecretValue", R"({"SecretId":"test-secret"})"),
                  ok({FieldRule::equals("/SecretString", kSecretValue), FieldRule::equals("/VersionId", kAwsStateVersionId),
                      FieldRule::arrayContains("/VersionStages", "AWSCURRENT"), FieldRule::isNumber("/CreatedDate")},
                     awsHeaders()));
    case Provider::Gcp:
      return step("read-back", gcpCall(sdk, "GET", "/v1/projects/test-project/secrets/test-secret/versions/latest:access"),
                  ok({FieldRule::equals("/payload/data", kSecretValueBase64),
                      FieldRule::matches("/name", "^projects/[^/]+/secrets/test-secret/versions/[0-9]+$")},
                     gcpHeaders()));
    case Provider::Azure:
      return step("read-back", azureCall(sdk, "GET", "/secrets/test-secret/?api-version=2025-07-01"),
                  ok({FieldRule::equals("/value", kSecretValue), FieldRule::equals("/id", kAzureStateId)}, azureHeaders()));
  }
  return {};
}

ResponseExpectation providerError(Provider provider, int status) {
  ResponseExpectation e;
  e.status = status;
  const std::string code = providerErrorCode(provider, status);
  switch (provider) {
    case Provider::Aws:
      e.fields = {FieldRule::equals("/__type", code)};
      e.headers = {{"X-Amzn-ErrorType", code, std::nullopt}};
      break;
    case Provider::Gcp:
      e.fields = {FieldRule::equals("/error/code", static_cast<std::int64_t>(status)), FieldRule::equals("/error/status", code),
                  FieldRule::matches("/error/message", ".")};
      break;
    case Provider::Azure:
      e.fields = {FieldRule::equals("/error/code", code), FieldRule::matches("/error/message", ".")};
      break;
  }
  return e;
}

std::vector<FlowStep> faultFlow(Provider provider, SdkContext& sdk) {
  const FlowStep base = readBackStep(provider, sdk);
  auto rateLimited = [&](const std::string& retryAfter) {
    ResponseExpectation e = providerError(provider, 429);
    e.headers.push_back({"Retry-After", retryAfter, std::nullopt});
    return e;
  };
  ResponseExpectation delayed = base.expect;
  delayed.minElapsed = std::chrono::milliseconds(300);
  ResponseExpectation reset;
  reset.outcome = Outcome::NoResponse;
  ResponseExpectation malformed;
  malformed.outcome = Outcome::BrokenBody;

  std::vector<FlowStep> s;
  s.push_back(withHeaders(base, "fault-auth-401", {{"X-Auth-Failure", "401"}}, providerError(provider, 401)));
  s.push_back(withHeaders(base, "fault-auth-unauthorized", {{"X-Auth-Failure", "unauthorized"}}, providerError(provider, 401)));
  s.push_back(withHeaders(base, "fault-auth-403", {{"X-Auth-Failure", "403"}}, providerError(provider, 403)));
  s.push_back(withHeaders(base, "fault-auth-forbidden", {{"X-Auth-Failure", "forbidden"}}, providerError(provider, 403)));
  s.push_back(withHeaders(base, "fault-unavailable", {{"X-Service-Unavailable", "true"}}, providerError(provider, 503)));
  s.push_back(withHeaders(base, "fault-rate-limit", {{"X-Rate-Limit", "true"}, {"X-Rate-Limit-Retry-After", "7"}},
                          rateLimited("7")));
  s.push_back(withHeaders(base, "fault-rate-limit-default", {{"x-rate-limit", "true"}}, rateLimited("60")));
  s.push_back(withHeaders(base, "fault-precedence-auth",
                          {{"X-Rate-Limit", "true"}, {"X-Service-Unavailable", "true"}, {"X-Auth-Failure", "401"}},
                          providerError(provider, 401)));
  s.push_back(withHeaders(base, "fault-precedence-unavailable", {{"X-Rate-Limit", "true"}, {"X-Service-Unavailable", "true"}},
                          providerError(provider, 503)));
  s.push_back(withHeaders(base, "fault-other-values-ignored",
                          {{"X-Rate-Limit", "false"}, {"X-Service-Unavailable", "no"}, {"X-Auth-Failure", "none"}}, base.expect));
  s.push_back(withHeaders(base, "fault-delay", {{"X-Fault-Delay-Ms", "300"}}, delayed));
  s.push_back(withHeaders(base, "fault-reset", {{"X-Fault", "reset"}}, reset));
  s.push_back(withHeaders(base, "fault-malformed", {{"X-Fault", "malformed"}}, malformed));
  FlowStep after = base;
  after.name = "read-back-after-faults";
  s.push_back(after);
  return s;
}

}  // namespace pactmocks::e2e
