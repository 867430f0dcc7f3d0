#pragma once
// Generates a string matching a regex, for Pact's Regex generator. Supports the common subset
// (literals, escapes \d \w \s, classes with ranges and negation, '.', groups, alternation,
// quantifiers * + ? {n} {n,} {n,m}); anchors are ignored. Returns nullopt when the pattern uses
// anything else or the result does not full-match the regex, so callers fall back to the example.
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "pact/LazyRegex.h"

namespace pactmocks::pact {

// `compiled`, the same pattern already compiled, saves compiling it for the check of the result.
std::optional<std::string> generateFromRegex(std::string_view pattern, std::mt19937_64& rng,
                                             const LazyRegex* compiled = nullptr);

}  // namespace pactmocks::pact
