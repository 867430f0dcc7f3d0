#pragma once
// The internal model of a pact file: every specification version (V1–V4) parses into this.
// Pure data; no I/O. See PactParser.h for reading and InteractionIndex.h for matching.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/OutOfLine.h"
#include "pact/MatchingRules.h"

namespace pactmocks::pact {

struct XmlElement;

enum class SpecVersion { V1, V1_1, V2, V3, V4 };
std::string toString(SpecVersion v);

struct ProviderState {
  std::string name;
  // null when the state has none: an empty object would cost an allocation per state.
  nlohmann::json params;
};

// A body as written in the contract. `present == false` means "not specified" (matches any body).
struct Body {
  bool present = false;
  nlohmann::json value;         // JSON bodies: parsed value; others: the string content
  std::string contentType;      // from V4 `contentType` or the Content-Type header, may be empty
  bool isJson = false;          // value is structured JSON (not a string of text/XML)
  // An XML body parsed once at load time, so matching never re-parses the contract.
  std::shared_ptr<const XmlElement> xml;
};

struct RequestSpec {
  std::string method = "GET";
  std::string path = "/";
  // Query parameters, name → values in order. V1/V2 strings are parsed into this form too;
  // `rawQuery` keeps the V1 string for the V1 plain-string comparison.
  std::map<std::string, std::vector<std::string>> query;
  std::optional<std::string> rawQuery;
  std::vector<std::pair<std::string, std::string>> headers;  // as written; names compared case-insensitively
  Body body;
  OutOfLine<MatchingRules> rules;  // categories: path, query, header, body (absent in most interactions)
  // No generators: request generators are for provider verification; a mock never applies them
  // (the parser still validates them).
};

struct ResponseSpec {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  Body body;
  // A JSON body serialized once at load time; `body.value` is then released (null). Without
  // `generatedSlots` serving copies it. With them, their values are generated and spliced in at
  // their offsets: the body generators replace whole values at fixed places, so no tree is needed.
  std::optional<std::string> serializedJsonBody;
  std::vector<GeneratedSlot> generatedSlots;  // by offset
  // No matching rules: a response's rules are for provider verification and never used to serve
  // (the parser still validates them); leaving them out saves ~120 bytes per interaction.
  OutOfLine<Generators> generators;  // categories: status, header, body (absent in most interactions)
};

struct Interaction {
  std::string description;
  std::vector<ProviderState> providerStates;
  RequestSpec request;
  ResponseSpec response;
  std::size_t fileOrder = 0;  // position within its pact, for stable selection
};

struct Pact {
  std::string consumer;
  std::string provider;
  SpecVersion specVersion = SpecVersion::V2;
  std::vector<Interaction> interactions;
  // Things the parser skipped on purpose (e.g. V4 message interactions), for logs.
  std::vector<std::string> notes;
  std::string source;  // file name or URL the pact came from
};

}  // namespace pactmocks::pact
