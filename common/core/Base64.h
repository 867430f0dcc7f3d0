#pragma once
// Base64 (RFC 4648) for basic-auth headers and V4 pact bodies with `"encoded": "base64"`.
#include <optional>
#include <string>
#include <string_view>

namespace pactmocks {

// Standard alphabet with '=' padding.
std::string base64Encode(std::string_view bytes);
// Accepts the standard and the URL-safe alphabet, with or without padding; line breaks and spaces
// are skipped. nullopt when any other character appears.
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace pactmocks
