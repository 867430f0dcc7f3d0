#pragma once
// Turns a matched interaction into the HTTP response: status, headers, body, with the V3/V4
// generators applied (RandomInt, RandomDecimal, RandomHexadecimal, RandomString, Regex, Uuid,
// Date, Time, DateTime, RandomBoolean, ProviderState, MockServerURL).
#include <string>

#include "http/Message.h"
#include "pact/Pact.h"

namespace pactmocks::pact {

struct GeneratorContext {
  std::string mockServerUrl;  // e.g. http://localhost:1234, for MockServerURL
  // Provider-state params of the matched interaction are taken from the interaction itself.
};

http::Response buildResponse(const Interaction& interaction, const GeneratorContext& context);

}  // namespace pactmocks::pact
