#include "PactValidation.h"

#include <nlohmann/json.hpp>

#include "core/Sha256.h"
#include "pact/PactParser.h"

namespace pactmocks::manager {

Result<ValidPact> validatePactFile(const std::string& fileName, const std::string& content) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(content);
  } catch (const nlohmann::json::parse_error& e) {
    return fail(std::string("invalid JSON: ") + e.what());
  }
  auto names = pactdir::pactParticipants(doc);
  if (!names) return fail(names.error());
  bool hasInteractions = false;
  for (const char* key : {"interactions", "messages"}) {
    auto it = doc.find(key);
    if (it == doc.end()) continue;
    if (!it->is_array()) return fail(std::string("\"") + key + "\" is not an array");
    for (const auto& interaction : *it)
      if (!interaction.is_object()) return fail(std::string("\"") + key + "\" contains a non-object entry");
    hasInteractions = hasInteractions || !it->empty();
  }
  if (!hasInteractions) return fail("no interactions");
  // The same parser the mock servers load with: what it rejects they could not serve. Message
  // pacts (`messages` only) are not for the HTTP mocks; the broker takes them as they are.
  if (doc.contains("interactions")) {
    try {
      pact::parsePact(doc, fileName);
    } catch (const pact::PactParseError& e) {
      return fail("invalid pact" + (e.pointer().empty() ? std::string() : " at " + e.pointer()) + ": " + e.reason());
    } catch (const std::exception& e) {
      return fail(std::string("invalid pact: ") + e.what());
    }
  }
  return ValidPact{fileName, std::move(names->consumer), std::move(names->provider), content, sha256Hex(content)};
}

}  // namespace pactmocks::manager
