#pragma once
// The whole life of a mock server process; each binary's main is one call to this with its profile.
#include "mockserver/ProviderProfile.h"

namespace pactmocks::mockserver {

// Exit codes: 0 normal, 1 runtime failure (e.g. port in use), 2 bad configuration.
int runMockServer(const ProviderProfile& profile, int argc, char** argv);

}  // namespace pactmocks::mockserver
