#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "mockserver/PactSync.h"
#include "pact/ResponseBuilder.h"

using namespace pactmocks;
using namespace pactmocks::mockserver;

TEST_CASE("each built-in default contract parses and names its provider", "[default]") {
  for (const auto& profile : {awsProfile(), gcpProfile(), azureProfile()}) {
    INFO(profile.component);
    auto raw = nlohmann::json::parse(profile.defaultPact);
    CHECK(raw["provider"]["name"] == profile.providerName);
    auto loaded = PactSync::defaultPacts(profile.defaultPact, profile.providerName);
    CHECK(loaded->source == PactSource::Default);
    CHECK(loaded->index.size() >= 5);
  }
}

TEST_CASE("default contracts answer typical SDK requests for any secret name", "[default]") {
  auto match = [](const ProviderProfile& profile, http::Request request) {
    auto loaded = PactSync::defaultPacts(profile.defaultPact, profile.providerName);
    auto outcome = loaded->index.match(request);
    if (!outcome.matched) {
      for (const auto& miss : outcome.closest)
        for (const auto& m : miss.mismatches) UNSCOPED_INFO(miss.interaction->description << ": " << m.describe());
      return std::string();
    }
    auto response = pact::buildResponse(*outcome.matched, {nullptr, 1234});
    CHECK(response.status == 200);
    return outcome.matched->description;
  };
  http::Request aws;
  aws.method = "POST";
  aws.target = aws.path = "/";
  aws.headers.add("Content-Type", "application/x-amz-json-1.1");
  aws.headers.add("X-Amz-Target", "secretsmanager.GetSecretValue");
  aws.body = R"({"SecretId":"prod/db-password"})";
  CHECK(match(awsProfile(), aws) == "get the current value of a secret");

  http::Request gcp;
  gcp.method = "GET";
  gcp.target = gcp.path = "/v1/projects/my-project/secrets/db-password/versions/latest:access";
  CHECK(match(gcpProfile(), gcp) == "access the latest version of a secret");

  http::Request azure;
  azure.method = "GET";
  azure.path = "/secrets/db-password";
  azure.query = "api-version=7.4";
  azure.target = azure.path + "?" + azure.query;
  CHECK(match(azureProfile(), azure) == "get a secret");

  // What the official SDKs send (tests/e2e/sdk): GCP's REST clients add $alt, Azure 4.11 uses a
  // date api-version, a trailing slash, attributes on set, and polls the deleted secret.
  gcp.query = "$alt=json%3Benum-encoding%3Dint";
  gcp.target = gcp.path + "?" + gcp.query;
  CHECK(match(gcpProfile(), gcp) == "access the latest version of a secret (REST client)");
  azure.path = "/secrets/db-password/";
  azure.query = "api-version=2025-07-01";
  azure.target = azure.path + "?" + azure.query;
  CHECK(match(azureProfile(), azure) == "get a secret");
  http::Request set = azure;
  set.method = "PUT";
  set.path = "/secrets/db-password";
  set.target = set.path + "?" + set.query;
  set.headers.add("Content-Type", "application/json");
  set.body = R"({"value":"v","attributes":{}})";
  CHECK(match(azureProfile(), set) == "set a secret with attributes");
  http::Request deleted = azure;
  deleted.path = "/deletedsecrets/db-password";
  deleted.target = deleted.path + "?" + deleted.query;
  CHECK(match(azureProfile(), deleted) == "get a deleted secret");
}
