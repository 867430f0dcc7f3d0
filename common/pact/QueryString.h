#pragma once
// Query strings as Pact compares them: parameters by name, values in order, percent-decoded.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pactmocks::pact {

using QueryMap = std::map<std::string, std::vector<std::string>>;

// "a=1&b=2&a=3" → {a: [1, 3], b: [2]}; '+' is a space; empty pieces ("a=1&") are skipped;
// a name without '=' has an empty value.
QueryMap parseQueryString(std::string_view raw);

// Percent-decodes (and '+' → ' ' when plusAsSpace); invalid escapes are kept literally.
std::string decodeComponent(std::string_view s, bool plusAsSpace);

}  // namespace pactmocks::pact
