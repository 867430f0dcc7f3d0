#pragma once
// The built-in contracts (mockserver/default_contracts/*.json), compiled into the binary.
#include <string_view>

namespace pactmocks::mockserver {
std::string_view defaultContractAws();
std::string_view defaultContractGcp();
std::string_view defaultContractAzure();
}  // namespace pactmocks::mockserver
