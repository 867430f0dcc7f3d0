#pragma once
// The requests a secret-syncing controller sends to each cloud, shaped the way the cloud SDKs
// shape them, with what the example contracts promise in return:
//   sync flow:  create, add a version, read back, list, delete, and a secret that does not exist;
//   fault flow: the fault-injection headers on a known-good request, with provider-native errors.
// Pure: steps are values; FlowRunner sends them.
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ProviderEndpoints.h"
#include "ResponseExpectation.h"
#include "http/Message.h"

namespace pactmocks::e2e {

struct HttpCall {
  std::string method;
  std::string target;  // path and query; "{{name}}" is replaced by a value captured earlier
  http::Headers headers;
  std::string body;
};

// A value a later step needs (e.g. the Azure version id from the create response).
struct Capture {
  std::string variable;
  std::string pointer;        // JSON pointer into the response body
  bool lastPathSegment = false;  // keep only what follows the last '/'
};

struct FlowStep {
  std::string name;  // short, e.g. "create-secret"
  HttpCall call;
  ResponseExpectation expect;
  std::vector<Capture> captures;
};

// What varies from one SDK call to the next: the clock and the idempotency tokens.
class SdkContext {
 public:
  explicit SdkContext(std::uint64_t seed, std::chrono::system_clock::time_point now = std::chrono::system_clock::now())
      : random_(seed), now_(now) {}
  std::string uuid();  // random RFC 4122 version-4 UUID, lower-case
  std::string hex(std::size_t digits);
  std::chrono::system_clock::time_point now() const { return now_; }

 private:
  std::mt19937_64 random_;
  std::chrono::system_clock::time_point now_;
};

// One request as the provider's SDK would send it.
//   AWS: POST / with the JSON-protocol headers, SigV4-looking Authorization and X-Amz-Date (which
//        no contract names), amz-sdk-* headers.
HttpCall awsCall(SdkContext& sdk, const std::string& operation, const std::string& jsonBody);
//   GCP: REST with a bearer token and x-goog-api-client.
HttpCall gcpCall(SdkContext& sdk, const std::string& method, const std::string& target, const std::string& jsonBody = {});
//   Azure: Key Vault REST (target includes api-version) with a bearer token and x-ms-client-request-id.
HttpCall azureCall(SdkContext& sdk, const std::string& method, const std::string& target, const std::string& jsonBody = {});

// The secret the examples sync and its value (base64 for GCP).
inline constexpr const char* kSecretName = "test-secret";
inline constexpr const char* kSecretValue = "s3cr3t-value";
inline constexpr const char* kSecretValueBase64 = "czNjcjN0LXZhbHVl";

std::vector<FlowStep> secretSyncFlow(Provider provider, SdkContext& sdk);
// The read-back of the synced secret: the request a controller sends most, used as the
// known-good request of the fault flow and of load loops.
FlowStep readBackStep(Provider provider, SdkContext& sdk);
std::vector<FlowStep> faultFlow(Provider provider, SdkContext& sdk);

// The provider-native error a fault produces (code/status field, and X-Amzn-ErrorType for AWS).
ResponseExpectation providerError(Provider provider, int status);

}  // namespace pactmocks::e2e
