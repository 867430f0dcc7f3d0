#include "mockserver/ProviderProfile.h"

#include "mockserver/DefaultContracts.h"

namespace pactmocks::mockserver {

ProviderProfile awsProfile() {
  return {"AWS-Secrets-Manager", "aws-mock-server", 1234, ErrorStyle::AwsJson, defaultContractAws()};
}

ProviderProfile gcpProfile() {
  return {"GCP-Secret-Manager", "gcp-mock-server", 1235, ErrorStyle::GoogleApis, defaultContractGcp()};
}

ProviderProfile azureProfile() {
  return {"Azure-Key-Vault", "azure-mock-server", 1236, ErrorStyle::AzureKeyVault, defaultContractAzure(), true};
}

}  // namespace pactmocks::mockserver
