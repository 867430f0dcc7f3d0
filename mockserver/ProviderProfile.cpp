#include "mockserver/ProviderProfile.h"

#include "mockserver/DefaultPacts.h"

namespace pactmocks::mockserver {

ProviderProfile awsProfile() {
  return {"AWS-Secrets-Manager", "aws-mock-server", 1234, ErrorStyle::AwsJson, defaultPactAws()};
}

ProviderProfile gcpProfile() {
  return {"GCP-Secret-Manager", "gcp-mock-server", 1235, ErrorStyle::GoogleApis, defaultPactGcp()};
}

ProviderProfile azureProfile() {
  return {"Azure-Key-Vault", "azure-mock-server", 1236, ErrorStyle::AzureKeyVault, defaultPactAzure(), true};
}

}  // namespace pactmocks::mockserver
