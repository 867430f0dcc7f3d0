#include "ProviderEndpoints.h"

namespace pactmocks::e2e {

const char* providerKey(Provider p) {
  switch (p) {
    case Provider::Aws: return "aws";
    case Provider::Gcp: return "gcp";
    case Provider::Azure: return "azure";
  }
  return "?";
}

const char* providerName(Provider p) {
  switch (p) {
    case Provider::Aws: return "AWS-Secrets-Manager";
    case Provider::Gcp: return "GCP-Secret-Manager";
    case Provider::Azure: return "Azure-Key-Vault";
  }
  return "?";
}

const char* providerEndpointVariable(Provider p) {
  switch (p) {
    case Provider::Aws: return "AWS_SECRETS_MANAGER_ENDPOINT";
    case Provider::Gcp: return "GCP_SECRET_MANAGER_ENDPOINT";
    case Provider::Azure: return "AZURE_KEY_VAULT_ENDPOINT";
  }
  return "?";
}

std::optional<Provider> providerFromKey(const std::string& key) {
  for (Provider p : allProviders())
    if (key == providerKey(p)) return p;
  return std::nullopt;
}

std::vector<Provider> allProviders() { return {Provider::Aws, Provider::Gcp, Provider::Azure}; }

std::vector<ProviderEndpoint> readPactModeEndpoints(const EnvConfig& env, const std::vector<Provider>& wanted) {
  if (!env.boolean("PACT_MODE", false))
    throw ConfigError("PACT_MODE", "must be true: outside PACT_MODE a controller talks to the real clouds");
  const bool explicitList = !wanted.empty();
  std::vector<ProviderEndpoint> endpoints;
  for (Provider p : explicitList ? wanted : allProviders()) {
    const std::string variable = providerEndpointVariable(p);
    if (!env.optionalString(variable)) {
      if (explicitList) throw ConfigError(variable, "is not set, but provider " + std::string(providerKey(p)) + " was asked for");
      continue;
    }
    endpoints.push_back({p, env.url(variable, "")});
  }
  if (endpoints.empty())
    throw ConfigError("AWS_SECRETS_MANAGER_ENDPOINT",
                      "none of AWS_SECRETS_MANAGER_ENDPOINT, GCP_SECRET_MANAGER_ENDPOINT, AZURE_KEY_VAULT_ENDPOINT is set");
  return endpoints;
}

}  // namespace pactmocks::e2e
