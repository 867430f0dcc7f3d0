#pragma once
// Matching rules and generators of a pact, pre-parsed: rule paths are tokenised and regexes
// compiled once at load time, so matching a request never re-reads the contract JSON.
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "pact/LazyRegex.h"

namespace pactmocks::pact {

// One step of a rule path such as `$.a[0]['x-y'][*].*`.
struct PathToken {
  enum class Kind { Root, Field, Index, AnyIndex, AnyField };
  Kind kind = Kind::Root;
  std::string name;       // Field
  std::size_t index = 0;  // Index
};
using RulePath = std::vector<PathToken>;

// Parses `$.a.b`, `$.a[*].b`, `$.a[0]`, `$['x-y']`, `$.*`; a missing leading `$` is tolerated.
// Throws std::invalid_argument on malformed input.
RulePath parseRulePath(std::string_view expression);

// One step of a concrete location inside a body. `optional` marks XML element indexes, which
// rule paths may leave out (`$.animals.alligator['@name']`).
struct BodySegment {
  bool isIndex = false;
  std::string name;
  std::size_t index = 0;
  bool optional = false;
};

// How well `rule` addresses `actual`: 0 = not at all; higher = more specific. With `prefix`,
// the rule may address an ancestor of `actual` (for type matchers that cascade to children).
std::size_t pathWeight(const RulePath& rule, const std::vector<BodySegment>& actual, bool prefix = false);

enum class MatcherType {
  Equality, Regex, Type, MinType, MaxType, MinMaxType, Include, Integer, Decimal, Number, Boolean,
  Null, Date, Time, Timestamp, Values, EachKey, EachValue, ArrayContains, ContentType, NotEmpty,
  Semver, StatusCode
};
std::string toString(MatcherType t);

struct RuleList;
struct RuleCategory;

// An element of an arrayContains matcher: some actual item must match `example` under `rules`.
struct ArrayVariant {
  std::size_t index = 0;
  std::shared_ptr<const RuleCategory> rules;
};

struct Matcher {
  MatcherType type = MatcherType::Equality;
  std::shared_ptr<const LazyRegex> regex;  // Regex, Semver; Date/Time/Timestamp (format as a regex)
  std::string text;                       // regex source, include value, date format, content type
  std::optional<std::size_t> min, max;    // MinType/MaxType/MinMaxType
  nlohmann::json value;                   // e.g. statusCode's status ("success", 404, [200, 201])
  std::shared_ptr<const RuleList> nested; // eachKey/eachValue rules
  std::vector<ArrayVariant> variants;     // arrayContains

  bool isTypeLike() const;  // type, min/max type: cascades to children
};

enum class Combine { And, Or };

struct RuleList {
  std::vector<Matcher> matchers;
  Combine combine = Combine::And;
  bool empty() const { return matchers.empty(); }
  bool hasTypeLike() const;
  bool onlyEquality() const;
};

// A rule bound to a path (body) or a name (query, header); the path category has one unnamed rule.
struct PathRule {
  std::string expression;  // as written, e.g. "$.animals[*].name", "hippo", "Accept"
  RulePath path;           // tokenised expression (body only)
  RuleList rules;
};

struct RuleCategory {
  std::vector<PathRule> rules;
  bool empty() const { return rules.empty(); }
  // Rule for a query parameter or header name (headers: case-insensitive).
  const RuleList* forName(std::string_view name, bool caseInsensitive) const;
  std::size_t nonEqualityCount() const;
};

struct MatchingRules {
  RuleCategory path, query, header, body, status;
  bool empty() const { return path.empty() && query.empty() && header.empty() && body.empty() && status.empty(); }
  std::size_t nonEqualityCount() const;
};

struct Generator {
  std::string type;  // RandomInt, RandomDecimal, RandomHexadecimal, RandomString, Regex, Uuid, Date,
                     // Time, DateTime, RandomBoolean, ProviderState, MockServerURL
  nlohmann::json config = nlohmann::json::object();  // the generator object as written
  // Regex and MockServerURL: the `regex`, compiled once on first use instead of for every response.
  std::shared_ptr<const LazyRegex> regex;
};

struct GeneratorEntry {
  std::string expression;  // body path ("$.id"), header or query name; empty for path/status
  RulePath path;
  Generator generator;
};

struct Generators {
  std::vector<GeneratorEntry> body, header, path, query, status;
  bool empty() const { return body.empty() && header.empty() && path.empty() && query.empty() && status.empty(); }
};

// Where a body generator's value goes in a serialized JSON body (ResponseSpec::serializedJsonBody).
struct GeneratedSlot {
  std::size_t offset = 0;     // byte offset in the serialized text
  std::size_t generator = 0;  // index into Generators::body
  nlohmann::json example;     // the contract's value there: the generator's input, and the fallback
};

// Compiled regexes shared by every rule of one parse: contracts repeat the same patterns many
// times, and one RE2 per distinct pattern keeps load time and memory proportional to that.
struct RegexCache {
  std::unordered_map<std::string, std::shared_ptr<const LazyRegex>> compiled;
};

// Builders used by the parser. They throw std::invalid_argument with a message relative to the
// given JSON (e.g. "invalid regex '(': missing )"); the parser adds the pointer and source.
Matcher parseMatcher(const nlohmann::json& m, RegexCache* cache = nullptr);
RuleList parseRuleList(const nlohmann::json& v, RegexCache* cache = nullptr);  // V3/V4 {"matchers": [...], "combine": ...}
RuleCategory parseBodyCategory(const nlohmann::json& c, RegexCache* cache = nullptr);  // {"$.a": {...}, ...}
Generator parseGenerator(const nlohmann::json& g, RegexCache* cache = nullptr);

}  // namespace pactmocks::pact
