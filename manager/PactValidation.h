#pragma once
// Validation of one pact file before publication: JSON, consumer.name, provider.name and at
// least one interaction (V1–V3 `interactions`, V4 `interactions`, or message pacts' `messages`).
// The one place to swap in the full pact parser.
#include <string>

#include "core/Result.h"
#include "pactdir/PactDirectory.h"

namespace pactmocks::manager {

// A file that is not published, and why (reported in logs and the /ready body).
using pactdir::FileProblem;

struct ValidPact {
  std::string file;
  std::string consumer;
  std::string provider;
  std::string content;  // the file's bytes, published as they are
  std::string sha256;   // of content
};

// The pact, or why the file is not one.
Result<ValidPact> validatePactFile(const std::string& fileName, const std::string& content);

}  // namespace pactmocks::manager
