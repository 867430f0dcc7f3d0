// Unit tests of the PACT_MODE controller client's pure parts: configuration, response checks,
// placeholders and the shape of the SDK-like requests.
#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "FlowRunner.h"
#include "ProviderEndpoints.h"
#include "ResponseExpectation.h"
#include "SecretSyncFlow.h"

using namespace pactmocks;
using namespace pactmocks::e2e;

namespace {
using Vars = std::map<std::string, std::string>;

Observed jsonReply(int status, const std::string& body, http::Headers headers = {}) {
  Observed o;
  o.status = status;
  o.body = body;
  o.headers = std::move(headers);
  return o;
}
}  // namespace

TEST_CASE("PACT_MODE endpoints come from the controller's variables", "[e2e][controller]") {
  SECTION("all three") {
    EnvConfig env({{"PACT_MODE", "true"},
                   {"AWS_SECRETS_MANAGER_ENDPOINT", "http://127.0.0.1:1234/"},
                   {"GCP_SECRET_MANAGER_ENDPOINT", "http://127.0.0.1:1235"},
                   {"AZURE_KEY_VAULT_ENDPOINT", "http://azure-mock-server:1234"}});
    auto endpoints = readPactModeEndpoints(env);
    REQUIRE(endpoints.size() == 3);
    CHECK(endpoints[0].provider == Provider::Aws);
    CHECK(endpoints[0].baseUrl == "http://127.0.0.1:1234");
    CHECK(endpoints[2].baseUrl == "http://azure-mock-server:1234");
  }
  SECTION("unset ones are left out unless asked for") {
    EnvConfig env({{"PACT_MODE", "true"}, {"GCP_SECRET_MANAGER_ENDPOINT", "http://127.0.0.1:1235"}});
    auto endpoints = readPactModeEndpoints(env);
    REQUIRE(endpoints.size() == 1);
    CHECK(endpoints[0].provider == Provider::Gcp);
    CHECK_THROWS_AS(readPactModeEndpoints(env, {Provider::Aws}), ConfigError);
  }
  SECTION("PACT_MODE must be true") {
    EnvConfig env(Vars{{"AWS_SECRETS_MANAGER_ENDPOINT", "http://127.0.0.1:1234"}});
    CHECK_THROWS_WITH(readPactModeEndpoints(env), Catch::Contains("PACT_MODE"));
  }
  SECTION("nothing set, or not a URL") {
    CHECK_THROWS_AS(readPactModeEndpoints(EnvConfig(Vars{{"PACT_MODE", "true"}})), ConfigError);
    CHECK_THROWS_WITH(readPactModeEndpoints(EnvConfig(Vars{{"PACT_MODE", "1"}, {"AZURE_KEY_VAULT_ENDPOINT", "vault"}})),
                      Catch::Contains("AZURE_KEY_VAULT_ENDPOINT"));
  }
}

TEST_CASE("response checks report each shortfall", "[e2e][controller]") {
  ResponseExpectation e;
  e.status = 200;
  e.fields = {FieldRule::equals("/Name", "test-secret"), FieldRule::matches("/VersionId", "^[0-9a-f-]{36}$"),
              FieldRule::isNumber("/CreatedDate"), FieldRule::arrayContains("/Stages", "AWSCURRENT"),
              FieldRule::equals("/error/code", std::int64_t{404})};
  e.headers = {{"X-Amzn-ErrorType", "Throttling", std::nullopt}};

  http::Headers h;
  h.add("x-amzn-errortype", "Throttling");
  const std::string good =
      R"({"Name":"test-secret","VersionId":"4ba0a04f-ad44-4481-b799-f71d743316d0","CreatedDate":1.5,"Stages":["AWSCURRENT"],"error":{"code":404}})";
  CHECK(findProblems(e, jsonReply(200, good, h)).empty());

  auto problems = findProblems(e, jsonReply(500, R"({"Name":"other","CreatedDate":"x","Stages":[],"error":{"code":"404"}})"));
  // status, Name, VersionId missing, CreatedDate, Stages, error.code, header
  CHECK(problems.size() == 7);
  CHECK_THAT(problems[0], Catch::StartsWith("status 500, expected 200"));

  CHECK_THAT(findProblems(e, jsonReply(200, "not json", h)).at(0), Catch::StartsWith("body is not JSON"));
  Observed none;
  none.error = "connection refused";
  CHECK_THAT(findProblems(e, none).at(0), Catch::Contains("connection refused"));
}

TEST_CASE("fault outcomes: reset, malformed body, minimum delay", "[e2e][controller]") {
  ResponseExpectation reset;
  reset.outcome = Outcome::NoResponse;
  Observed none;
  none.error = "connection reset by peer";
  CHECK(findProblems(reset, none).empty());
  CHECK_FALSE(findProblems(reset, jsonReply(200, "{}")).empty());

  ResponseExpectation malformed;
  malformed.outcome = Outcome::BrokenBody;
  CHECK(findProblems(malformed, none).empty());
  CHECK(findProblems(malformed, jsonReply(200, R"({"value":"s3cr)")).empty());
  CHECK_FALSE(findProblems(malformed, jsonReply(200, R"({"value":"s3cr3t"})")).empty());

  ResponseExpectation delayed;
  delayed.minElapsed = std::chrono::milliseconds(300);
  Observed fast = jsonReply(200, "{}");
  fast.elapsed = std::chrono::milliseconds(5);
  CHECK_THAT(findProblems(delayed, fast).at(0), Catch::Contains("at least 300 ms"));
  fast.elapsed = std::chrono::milliseconds(301);
  CHECK(findProblems(delayed, fast).empty());
}

TEST_CASE("captured values fill later requests", "[e2e][controller]") {
  std::map<std::string, std::string> values{{"version", "af165e8bc9ae4280b7fda94e9bd77cce"}};
  CHECK(substitute("/secrets/test-secret/{{version}}?api-version=7.4", values) ==
        "/secrets/test-secret/af165e8bc9ae4280b7fda94e9bd77cce?api-version=7.4");
  CHECK(substitute("/a/{{unknown}}/b", values) == "/a/{{unknown}}/b");
  CHECK(substitute("no placeholders", values) == "no placeholders");
}

TEST_CASE("AWS calls look like a signing SDK's", "[e2e][controller]") {
  SdkContext sdk(42, std::chrono::system_clock::from_time_t(1764108000));  // 2025-11-25T22:00:00Z
  HttpCall call = awsCall(sdk, "GetSecretValue", R"({"SecretId":"test-secret"})");
  CHECK(call.method == "POST");
  CHECK(call.target == "/");
  CHECK(call.headers.get("Content-Type") == "application/x-amz-json-1.1");
  CHECK(call.headers.get("X-Amz-Target") == "secretsmanager.GetSecretValue");
  CHECK(call.headers.get("X-Amz-Date") == "20251125T220000Z");
  auto auth = std::string(call.headers.get("Authorization").value_or(""));
  CHECK_THAT(auth, Catch::StartsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20251125/us-east-1/secretsmanager/"));
  CHECK_THAT(auth, Catch::Matches(".*Signature=[0-9a-f]{64}$"));
  CHECK(nlohmann::json::parse(call.body)["SecretId"] == "test-secret");
}

TEST_CASE("every flow covers the controller's operations with distinct requests", "[e2e][controller]") {
  SdkContext sdk(7);
  for (Provider p : allProviders()) {
    auto steps = secretSyncFlow(p, sdk);
    std::set<std::string> names;
    for (const auto& s : steps) names.insert(s.name);
    for (const char* op : {"create-secret", "add-version", "read-back", "list-secrets", "delete-secret", "read-missing"})
      CHECK(names.count(op) == 1);
    for (const auto& s : steps)
      if (!s.call.body.empty()) CHECK(nlohmann::json::accept(s.call.body));

    auto faults = faultFlow(p, sdk);
    CHECK(faults.size() >= 10);
    for (const auto& f : faults) {
      // Every fault variant is the read-back plus headers: the contract itself is not changed.
      CHECK(f.call.target == readBackStep(p, sdk).call.target);
    }
  }
  // The not-found answers are the contract's provider-native ones.
  auto aws = secretSyncFlow(Provider::Aws, sdk);
  CHECK(aws.back().expect.status == 400);
  CHECK(providerError(Provider::Gcp, 429).fields.at(1).text == "RESOURCE_EXHAUSTED");
  CHECK(providerError(Provider::Azure, 429).fields.at(0).text == "Throttled");
  CHECK(providerError(Provider::Aws, 429).headers.at(0).equals == "ThrottlingException");
}
