// pact-mode-controller: a stand-in for the secret-manager controller running with PACT_MODE=true.
// It reads AWS_SECRETS_MANAGER_ENDPOINT, GCP_SECRET_MANAGER_ENDPOINT and AZURE_KEY_VAULT_ENDPOINT,
// runs the secret-sync flow against each mock exactly as the controller's SDK clients would, and
// (with --faults) the fault-injection headers. One PASS/FAIL line per request, then a summary.
// Exit: 0 every request conformed to the contract, 1 some did not, 2 bad configuration or usage.
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "FlowRunner.h"
#include "ProviderEndpoints.h"
#include "SecretSyncFlow.h"
#include "core/EnvConfig.h"

namespace {

using namespace pactmocks;
using namespace pactmocks::e2e;

constexpr const char* kUsage =
    "usage: pact-mode-controller [--providers aws,gcp,azure] [--faults] [--no-sync] [--timeout-ms N]\n"
    "  Env: PACT_MODE=true and AWS_SECRETS_MANAGER_ENDPOINT / GCP_SECRET_MANAGER_ENDPOINT /\n"
    "       AZURE_KEY_VAULT_ENDPOINT (e.g. http://127.0.0.1:1234). Without --providers every provider\n"
    "       whose endpoint is set is exercised.\n"
    "  --faults   also send the fault-injection headers and check the provider-native errors\n"
    "  --no-sync  skip the secret-sync flow (needs --faults: faults only)\n"
    "  --timeout-ms N  per-request timeout (default 5000)\n"
    "  Checks each answer against the values of the example contracts (examples/pacts): a contract\n"
    "  edited to other values makes those steps FAIL although the mock matched.\n"
    "  Exit codes: 0 every step passed, 1 a step failed, 2 bad configuration or arguments.\n";

struct Options {
  std::vector<Provider> providers;
  bool sync = true;
  bool faults = false;
  int timeoutMs = 5000;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--providers") {
      std::stringstream list(value());
      for (std::string key; std::getline(list, key, ',');) {
        auto p = providerFromKey(key);
        if (!p) throw std::invalid_argument("unknown provider '" + key + "' (aws, gcp, azure)");
        o.providers.push_back(*p);
      }
    } else if (arg == "--faults") {
      o.faults = true;
    } else if (arg == "--no-sync") {
      o.sync = false;
    } else if (arg == "--timeout-ms") {
      o.timeoutMs = std::stoi(value());
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else {
      throw std::invalid_argument("unknown argument " + arg);
    }
  }
  // Exiting 0 after checking nothing would read as "the pod conforms".
  if (!o.sync && !o.faults) throw std::invalid_argument("--no-sync without --faults leaves nothing to check");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  std::vector<ProviderEndpoint> endpoints;
  try {
    options = parse(argc, argv);
    endpoints = readPactModeEndpoints(EnvConfig::fromProcess(), options.providers);
  } catch (const std::exception& e) {
    std::cerr << "pact-mode-controller: " << e.what() << "\n" << kUsage;
    return 2;
  }

  SdkContext sdk(std::random_device{}());
  int passed = 0, failed = 0;
  for (const auto& endpoint : endpoints) {
    std::cout << "provider " << providerKey(endpoint.provider) << " (" << providerName(endpoint.provider) << ") at "
              << endpoint.baseUrl << std::endl;
    FlowRunner runner(endpoint.baseUrl, std::chrono::milliseconds(options.timeoutMs));
    std::vector<FlowStep> steps;
    if (options.sync) steps = secretSyncFlow(endpoint.provider, sdk);
    if (options.faults) {
      auto faults = faultFlow(endpoint.provider, sdk);
      steps.insert(steps.end(), faults.begin(), faults.end());
    }
    for (const auto& step : steps) {
      StepResult result = runner.run(step);
      (result.passed() ? passed : failed)++;
      std::cout << formatResult(providerKey(endpoint.provider), result) << std::endl;
    }
  }
  std::cout << "SUMMARY passed=" << passed << " failed=" << failed << std::endl;
  return failed == 0 ? 0 : 1;
}
