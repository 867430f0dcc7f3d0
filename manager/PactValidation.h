#pragma once
// Validation of one pact file before publication: JSON, consumer.name, provider.name and at
// least one interaction (V1–V3 `interactions`, V4 `interactions`, or message pacts' `messages`).
// The one place to swap in the full pact parser.
#include <optional>
#include <string>

namespace pactmocks::manager {

struct ValidPact {
  std::string file;
  std::string consumer;
  std::string provider;
  std::string content;  // the file's bytes, published as they are
  std::string sha256;   // of content
};

struct PactValidationResult {
  std::optional<ValidPact> pact;
  std::string error;  // set when pact is empty
};

PactValidationResult validatePactFile(const std::string& fileName, const std::string& content);

}  // namespace pactmocks::manager
