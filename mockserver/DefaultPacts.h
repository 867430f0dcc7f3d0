#pragma once
// The built-in contracts (mockserver/default_pacts/*.json), compiled into the binary.
#include <string_view>

namespace pactmocks::mockserver {
std::string_view defaultPactAws();
std::string_view defaultPactGcp();
std::string_view defaultPactAzure();
}  // namespace pactmocks::mockserver
