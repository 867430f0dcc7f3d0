#pragma once
// One generated value for a V3/V4 generator, separate from the response assembly so it is
// testable on its own.
#include <chrono>
#include <optional>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "pact/MatchingRules.h"

namespace pactmocks::pact {

struct GenerationInputs {
  std::mt19937_64& rng;
  std::chrono::system_clock::time_point now;
  std::string mockServerUrl;
  const nlohmann::json* stateParams = nullptr;  // merged provider-state params of the interaction
};

// The generated value, or nullopt to keep the example (unsupported or unresolvable).
std::optional<nlohmann::json> generateValue(const Generator& generator, const nlohmann::json& example,
                                            const GenerationInputs& inputs);

}  // namespace pactmocks::pact
