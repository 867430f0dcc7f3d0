#pragma once
// What a path regex says about the segments of every path it accepts, read from its text.
//
// For `^/secrets/abc/[0-9a-f]{32}$` every accepted path has the segments "secrets" and "abc":
// the index can then find the regex by a segment of the request's path instead of running a set of
// all the contract's path regexes over it.
#include <string>
#include <string_view>
#include <vector>

namespace pactmocks::pact {

// The literal segments (text between two '/', or between a '/' and the path's start or end) that
// every path `pattern` fully matches must contain, each once, in pattern order. Sound, not complete:
// a pattern this cannot read safely (top-level alternation, flags, \Q...\E, POSIX classes) gives
// none, and a segment holding anything but plain characters is left out. `pattern` is a valid RE2
// regex, matched against the whole path (as the matcher and the index's set do).
std::vector<std::string> literalPathSegments(std::string_view pattern);

}  // namespace pactmocks::pact
