#pragma once
// The configuration a controller reads in PACT_MODE: PACT_MODE=true and one endpoint variable per
// cloud. Pure: built from an EnvConfig, so it is unit-tested without touching the environment.
#include <optional>
#include <string>
#include <vector>

#include "core/EnvConfig.h"

namespace pactmocks::e2e {

enum class Provider { Aws, Gcp, Azure };

const char* providerKey(Provider p);           // "aws", "gcp", "azure"
const char* providerName(Provider p);          // "AWS-Secrets-Manager", ...
const char* providerEndpointVariable(Provider p);  // "AWS_SECRETS_MANAGER_ENDPOINT", ...
std::optional<Provider> providerFromKey(const std::string& key);
std::vector<Provider> allProviders();

struct ProviderEndpoint {
  Provider provider;
  std::string baseUrl;  // e.g. http://127.0.0.1:1234 (no trailing slash)
};

// The endpoints of `wanted` (all providers when empty). Throws ConfigError when PACT_MODE is not
// true (a controller outside PACT_MODE would talk to the real clouds) or a wanted endpoint is unset
// or not an http URL. When `wanted` is empty, providers without an endpoint are left out, but at
// least one must be set.
std::vector<ProviderEndpoint> readPactModeEndpoints(const EnvConfig& env, const std::vector<Provider>& wanted = {});

}  // namespace pactmocks::e2e
