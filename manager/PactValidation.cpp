#include "PactValidation.h"

#include <nlohmann/json.hpp>

#include "core/Sha256.h"
#include "pact/PactParser.h"

namespace pactmocks::manager {

namespace {

std::string participantName(const nlohmann::json& doc, const char* role, std::string& error) {
  auto it = doc.find(role);
  if (it == doc.end() || !it->is_object()) {
    error = std::string("missing \"") + role + "\" object";
    return {};
  }
  auto name = it->find("name");
  if (name == it->end() || !name->is_string() || name->get<std::string>().empty()) {
    error = std::string("missing or empty \"") + role + ".name\"";
    return {};
  }
  return name->get<std::string>();
}

}  // namespace

PactValidationResult validatePactFile(const std::string& fileName, const std::string& content) {
  PactValidationResult result;
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(content);
  } catch (const nlohmann::json::parse_error& e) {
    result.error = std::string("invalid JSON: ") + e.what();
    return result;
  }
  if (!doc.is_object()) {
    result.error = "not a JSON object";
    return result;
  }
  ValidPact pact;
  pact.file = fileName;
  pact.consumer = participantName(doc, "consumer", result.error);
  if (!result.error.empty()) return result;
  pact.provider = participantName(doc, "provider", result.error);
  if (!result.error.empty()) return result;
  bool hasInteractions = false;
  for (const char* key : {"interactions", "messages"}) {
    auto it = doc.find(key);
    if (it == doc.end()) continue;
    if (!it->is_array()) {
      result.error = std::string("\"") + key + "\" is not an array";
      return result;
    }
    for (const auto& interaction : *it) {
      if (!interaction.is_object()) {
        result.error = std::string("\"") + key + "\" contains a non-object entry";
        return result;
      }
    }
    hasInteractions = hasInteractions || !it->empty();
  }
  if (!hasInteractions) {
    result.error = "no interactions";
    return result;
  }
  // The same parser the mock servers load with: what it rejects they could not serve. Message
  // pacts (`messages` only) are not for the HTTP mocks; the broker takes them as they are.
  if (doc.contains("interactions")) {
    try {
      pact::parsePact(doc, fileName);
    } catch (const pact::PactParseError& e) {
      result.error = "invalid pact" + (e.pointer().empty() ? std::string() : " at " + e.pointer()) + ": " + e.reason();
      return result;
    } catch (const std::exception& e) {
      result.error = std::string("invalid pact: ") + e.what();
      return result;
    }
  }
  pact.content = content;
  pact.sha256 = sha256Hex(content);
  result.pact = std::move(pact);
  return result;
}

}  // namespace pactmocks::manager
