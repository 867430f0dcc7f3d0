#pragma once
// Parses pact JSON (V1, V1.1, V2, V3, V4) into the model. Invalid content throws PactParseError
// naming the source, the JSON pointer of the offending element and what is wrong.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/TextSource.h"
#include "pact/Pact.h"

namespace pactmocks::pact {

class PactParseError : public std::runtime_error {
 public:
  PactParseError(std::string source, std::string pointer, std::string reason);
  const std::string& source() const { return source_; }
  const std::string& pointer() const { return pointer_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string source_, pointer_, reason_;
};

// `source` names the file or URL in errors. Extra keys added by a broker (_links, _id,
// createdAt) are tolerated. Regexes in matching rules are validated here: an invalid one is an error.
// `previous`, an earlier parse of the same pact: its interactions whose text is unchanged are kept
// (shared), not parsed again, so a reload of an edited pact holds only what changed twice.
// The text is read in passes (see TextSource): a file's is never resident whole.
Pact parsePact(const TextSource& text, const std::string& source, const Pact* previous = nullptr);
Pact parsePact(std::string_view jsonText, const std::string& source, const Pact* previous = nullptr);
Pact parsePact(const nlohmann::json& document, const std::string& source);
// Text overloads: a std::string or literal would otherwise be ambiguous between the two above.
inline Pact parsePact(const std::string& jsonText, const std::string& source, const Pact* previous = nullptr) {
  return parsePact(std::string_view(jsonText), source, previous);
}
inline Pact parsePact(const char* jsonText, const std::string& source, const Pact* previous = nullptr) {
  return parsePact(std::string_view(jsonText), source, previous);
}

// A pact's request as given in a pact-spec test case ("expected"), with the version of that case.
RequestSpec parseRequestSpec(const nlohmann::json& request, SpecVersion version, const std::string& source);

}  // namespace pactmocks::pact
