#pragma once
// What distinguishes the three mock binaries: the provider they stand in for, the port they
// listen on by default, how that cloud shapes its error bodies, and the contract served when
// no real one can be loaded.
#include <cstdint>
#include <string>
#include <string_view>

namespace pactmocks::mockserver {

// The wire format of a cloud's error responses (what its SDKs parse to classify errors).
enum class ErrorStyle { AwsJson, GoogleApis, AzureKeyVault };

struct ProviderProfile {
  std::string providerName;   // Pact provider name, e.g. "AWS-Secrets-Manager"
  std::string component;      // binary name, used in logs, e.g. "aws-mock-server"
  std::uint16_t defaultPort = 0;
  ErrorStyle errorStyle = ErrorStyle::AwsJson;
  std::string_view defaultPact;  // pact JSON embedded in the binary
  bool bearerChallenge = false;      // answer token-less requests with Key Vault's 401 challenge
};

ProviderProfile awsProfile();
ProviderProfile gcpProfile();
ProviderProfile azureProfile();

}  // namespace pactmocks::mockserver
