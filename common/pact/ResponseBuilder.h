#pragma once
// Turns a matched interaction into the HTTP response: status, headers, body, with the V3/V4
// generators applied (RandomInt, RandomDecimal, RandomHexadecimal, RandomString, Regex, Uuid,
// Date, Time, DateTime, RandomBoolean, ProviderState, MockServerURL).
#include <string>

#include "http/Message.h"
#include "pact/Pact.h"

namespace pactmocks::pact {

// Where the request reached the mock, for MockServerURL generators: http://<its Host header>, else
// http://localhost:<port>. Read only when the interaction has generators. Provider-state params of the
// matched interaction are taken from the interaction itself.
struct GeneratorContext {
  const http::Headers* requestHeaders = nullptr;
  int port = 0;  // the mock's port
};

http::Response buildResponse(const Interaction& interaction, const GeneratorContext& context);

// Serializes a JSON response body once, with the places its body generators fill cut out (see
// ResponseSpec::generatedSlots). Nullopt when the generators overlap (one rewrites a value another
// generated, or a value inside it): such a body is generated from its tree on every response.
struct SerializedBody {
  std::string text;
  std::vector<GeneratedSlot> slots;
};
std::optional<SerializedBody> serializeWithSlots(const nlohmann::json& body, const std::vector<GeneratorEntry>& generators);

}  // namespace pactmocks::pact
