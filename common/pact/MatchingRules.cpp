#include "pact/MatchingRules.h"

#include <algorithm>
#include <stdexcept>

#include "http/Message.h"
#include "pact/DateFormat.h"

namespace pactmocks::pact {

namespace {

std::shared_ptr<const LazyRegex> compileRegex(const std::string& pattern, const std::string& what,
                                              RegexCache* cache = nullptr) {
  if (cache) {
    if (auto it = cache->compiled.find(pattern); it != cache->compiled.end()) return it->second;
    auto re = compileRegex(pattern, what);
    cache->compiled.emplace(pattern, re);
    return re;
  }
  return std::make_shared<const LazyRegex>(pattern, what);
}

std::optional<std::size_t> sizeField(const nlohmann::json& m, const char* key) {
  auto it = m.find(key);
  if (it == m.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<long long>() < 0)
    throw std::invalid_argument(std::string("'") + key + "' must be a non-negative integer");
  return static_cast<std::size_t>(it->get<long long>());
}

std::string stringField(const nlohmann::json& m, const char* key) {
  auto it = m.find(key);
  if (it == m.end() || it->is_null()) return {};
  if (!it->is_string()) throw std::invalid_argument(std::string("'") + key + "' must be a string");
  return it->get<std::string>();
}

std::size_t weightFrom(const RulePath& rule, std::size_t ri, const std::vector<BodySegment>& actual, std::size_t ai,
                       bool prefix) {
  if (ri == rule.size()) {
    if (ai == actual.size() || prefix) return 1;
    for (std::size_t k = ai; k < actual.size(); ++k)
      if (!actual[k].optional) return 0;
    return 1;
  }
  if (ai == actual.size()) return 0;
  const PathToken& r = rule[ri];
  const BodySegment& a = actual[ai];
  std::size_t best = 0;
  switch (r.kind) {
    case PathToken::Kind::Root:
      best = weightFrom(rule, ri + 1, actual, ai, prefix);
      break;
    case PathToken::Kind::Field:
      if (!a.isIndex && a.name == r.name) best = 2 * weightFrom(rule, ri + 1, actual, ai + 1, prefix);
      break;
    case PathToken::Kind::Index:
      if (a.isIndex && a.index == r.index) best = 2 * weightFrom(rule, ri + 1, actual, ai + 1, prefix);
      break;
    case PathToken::Kind::AnyIndex:
      if (a.isIndex) best = weightFrom(rule, ri + 1, actual, ai + 1, prefix);
      break;
    case PathToken::Kind::AnyField:
      best = weightFrom(rule, ri + 1, actual, ai + 1, prefix);
      break;
  }
  // XML element indexes may be left out of a rule path.
  if (a.optional && r.kind != PathToken::Kind::Root) best = std::max(best, weightFrom(rule, ri, actual, ai + 1, prefix));
  return best;
}

}  // namespace

RulePath parseRulePath(std::string_view e) {
  RulePath out;
  out.push_back({PathToken::Kind::Root, {}, 0});
  std::size_t i = 0;
  while (i < e.size() && e[i] == ' ') ++i;
  if (i < e.size() && e[i] == '$') {
    ++i;
  } else if (i < e.size() && e[i] != '.' && e[i] != '[') {
    // Tolerate "a.b" (no leading "$.").
    std::string_view rest = e.substr(i);
    std::string fixed = "$." + std::string(rest);
    return parseRulePath(fixed);
  }
  auto fail = [&](const std::string& why) {
    throw std::invalid_argument("invalid path expression '" + std::string(e) + "': " + why);
  };
  while (i < e.size()) {
    char c = e[i];
    if (c == '.') {
      ++i;
      std::size_t j = i;
      while (j < e.size() && e[j] != '.' && e[j] != '[') ++j;
      if (j == i) fail("empty name after '.'");
      std::string name(e.substr(i, j - i));
      if (name == "*") out.push_back({PathToken::Kind::AnyField, {}, 0});
      else out.push_back({PathToken::Kind::Field, std::move(name), 0});
      i = j;
    } else if (c == '[') {
      ++i;
      if (i >= e.size()) fail("unterminated '['");
      if (e[i] == '\'' || e[i] == '"') {
        char q = e[i++];
        std::size_t j = e.find(q, i);
        if (j == std::string_view::npos) fail("unterminated quote");
        out.push_back({PathToken::Kind::Field, std::string(e.substr(i, j - i)), 0});
        i = j + 1;
      } else if (e[i] == '*') {
        out.push_back({PathToken::Kind::AnyIndex, {}, 0});
        ++i;
      } else {
        std::size_t j = i;
        while (j < e.size() && e[j] >= '0' && e[j] <= '9') ++j;
        if (j == i) fail("expected an index, '*' or a quoted name inside []");
        out.push_back({PathToken::Kind::Index, {}, static_cast<std::size_t>(std::stoull(std::string(e.substr(i, j - i))))});
        i = j;
      }
      if (i >= e.size() || e[i] != ']') fail("missing ']'");
      ++i;
    } else {
      fail(std::string("unexpected character '") + c + "'");
    }
  }
  return out;
}

std::size_t pathWeight(const RulePath& rule, const std::vector<BodySegment>& actual, bool prefix) {
  return weightFrom(rule, 0, actual, 0, prefix);
}

std::string toString(MatcherType t) {
  switch (t) {
    case MatcherType::Equality: return "equality";
    case MatcherType::Regex: return "regex";
    case MatcherType::Type: return "type";
    case MatcherType::MinType: return "min";
    case MatcherType::MaxType: return "max";
    case MatcherType::MinMaxType: return "minmax";
    case MatcherType::Include: return "include";
    case MatcherType::Integer: return "integer";
    case MatcherType::Decimal: return "decimal";
    case MatcherType::Number: return "number";
    case MatcherType::Boolean: return "boolean";
    case MatcherType::Null: return "null";
    case MatcherType::Date: return "date";
    case MatcherType::Time: return "time";
    case MatcherType::Timestamp: return "timestamp";
    case MatcherType::Values: return "values";
    case MatcherType::EachKey: return "eachKey";
    case MatcherType::EachValue: return "eachValue";
    case MatcherType::ArrayContains: return "arrayContains";
    case MatcherType::ContentType: return "contentType";
    case MatcherType::NotEmpty: return "notEmpty";
    case MatcherType::Semver: return "semver";
    case MatcherType::StatusCode: return "statusCode";
  }
  return "unknown";
}

bool Matcher::isTypeLike() const {
  return type == MatcherType::Type || type == MatcherType::MinType || type == MatcherType::MaxType ||
         type == MatcherType::MinMaxType;
}

bool RuleList::hasTypeLike() const {
  return std::any_of(matchers.begin(), matchers.end(), [](const Matcher& m) { return m.isTypeLike(); });
}

bool RuleList::onlyEquality() const {
  return std::all_of(matchers.begin(), matchers.end(), [](const Matcher& m) { return m.type == MatcherType::Equality; });
}

const RuleList* RuleCategory::forName(std::string_view name, bool caseInsensitive) const {
  for (const auto& r : rules) {
    if (caseInsensitive ? http::iequals(r.expression, name) : r.expression == name) return &r.rules;
  }
  return nullptr;
}

std::size_t RuleCategory::nonEqualityCount() const {
  std::size_t n = 0;
  for (const auto& r : rules)
    for (const auto& m : r.rules.matchers)
      if (m.type != MatcherType::Equality) ++n;
  return n;
}

std::size_t MatchingRules::nonEqualityCount() const {
  return path.nonEqualityCount() + query.nonEqualityCount() + header.nonEqualityCount() + body.nonEqualityCount();
}

Matcher parseMatcher(const nlohmann::json& m, RegexCache* cache) {
  if (!m.is_object()) throw std::invalid_argument("a matcher must be an object");
  Matcher out;
  std::string match = stringField(m, "match");
  out.min = sizeField(m, "min");
  out.max = sizeField(m, "max");
  if (match.empty()) {
    if (m.contains("regex")) match = "regex";
    else if (out.min || out.max) match = "type";
    else throw std::invalid_argument("matcher has no 'match' type");
  }
  auto typeWithBounds = [&] {
    if (out.min && out.max) out.type = MatcherType::MinMaxType;
    else if (out.min) out.type = MatcherType::MinType;
    else if (out.max) out.type = MatcherType::MaxType;
    else out.type = MatcherType::Type;
  };
  auto dateMatcher = [&](MatcherType t, DateKind kind, const char* altKey) {
    out.type = t;
    out.text = stringField(m, "format");
    if (out.text.empty()) out.text = stringField(m, altKey);
    out.regex = compileRegex(dateFormatToRegex(out.text, kind), "date format", cache);
  };
  if (match == "equality") {
    out.type = MatcherType::Equality;
  } else if (match == "regex") {
    out.type = MatcherType::Regex;
    out.text = stringField(m, "regex");
    out.regex = compileRegex(out.text, "regex", cache);
  } else if (match == "type" || match == "min" || match == "max" || match == "minType" || match == "maxType" ||
             match == "minmax" || match == "minMaxType") {
    typeWithBounds();
  } else if (match == "include") {
    out.type = MatcherType::Include;
    auto it = m.find("value");
    if (it == m.end() || !it->is_string()) throw std::invalid_argument("include matcher needs a string 'value'");
    out.text = it->get<std::string>();
  } else if (match == "integer") {
    out.type = MatcherType::Integer;
  } else if (match == "decimal") {
    out.type = MatcherType::Decimal;
  } else if (match == "number") {
    out.type = MatcherType::Number;
  } else if (match == "boolean") {
    out.type = MatcherType::Boolean;
  } else if (match == "null") {
    out.type = MatcherType::Null;
  } else if (match == "date") {
    dateMatcher(MatcherType::Date, DateKind::Date, "date");
  } else if (match == "time") {
    dateMatcher(MatcherType::Time, DateKind::Time, "time");
  } else if (match == "timestamp" || match == "datetime") {
    dateMatcher(MatcherType::Timestamp, DateKind::Timestamp, "timestamp");
  } else if (match == "values") {
    out.type = MatcherType::Values;
  } else if (match == "eachKey" || match == "eachValue") {
    out.type = match == "eachKey" ? MatcherType::EachKey : MatcherType::EachValue;
    auto rules = std::make_shared<RuleList>();
    if (auto it = m.find("rules"); it != m.end()) {
      if (!it->is_array()) throw std::invalid_argument("'rules' of " + match + " must be an array");
      for (const auto& r : *it) rules->matchers.push_back(parseMatcher(r, cache));
    }
    out.nested = std::move(rules);
    if (auto it = m.find("value"); it != m.end()) out.value = *it;
  } else if (match == "arrayContains") {
    out.type = MatcherType::ArrayContains;
    auto it = m.find("variants");
    if (it == m.end() || !it->is_array()) throw std::invalid_argument("arrayContains needs a 'variants' array");
    for (const auto& v : *it) {
      ArrayVariant variant;
      variant.index = sizeField(v, "index").value_or(0);
      auto rules = std::make_shared<RuleCategory>();
      if (auto r = v.find("rules"); r != v.end() && r->is_object()) *rules = parseBodyCategory(*r, cache);
      variant.rules = std::move(rules);
      out.variants.push_back(std::move(variant));
    }
  } else if (match == "contentType") {
    out.type = MatcherType::ContentType;
    out.text = stringField(m, "value");
  } else if (match == "notEmpty") {
    out.type = MatcherType::NotEmpty;
  } else if (match == "semver") {
    out.type = MatcherType::Semver;
    out.regex = compileRegex("\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.\\-]+)?(?:\\+[0-9A-Za-z.\\-]+)?", "regex", cache);
  } else if (match == "statusCode") {
    out.type = MatcherType::StatusCode;
    if (auto it = m.find("status"); it != m.end()) out.value = *it;
  } else {
    throw std::invalid_argument("unknown matcher type '" + match + "'");
  }
  return out;
}

RuleList parseRuleList(const nlohmann::json& v, RegexCache* cache) {
  if (!v.is_object()) throw std::invalid_argument("a matching rule must be an object");
  RuleList out;
  auto it = v.find("matchers");
  if (it == v.end()) {
    out.matchers.push_back(parseMatcher(v, cache));  // V2 style: the object is the matcher
    return out;
  }
  if (!it->is_array()) throw std::invalid_argument("'matchers' must be an array");
  for (std::size_t i = 0; i < it->size(); ++i) {
    try {
      out.matchers.push_back(parseMatcher((*it)[i], cache));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("matchers/" + std::to_string(i) + ": " + e.what());
    }
  }
  std::string combine = stringField(v, "combine");
  if (combine == "OR") out.combine = Combine::Or;
  else if (!combine.empty() && combine != "AND") throw std::invalid_argument("'combine' must be AND or OR");
  return out;
}

RuleCategory parseBodyCategory(const nlohmann::json& c, RegexCache* cache) {
  if (!c.is_object()) throw std::invalid_argument("a rule category must be an object");
  RuleCategory out;
  for (const auto& [key, value] : c.items()) {
    PathRule r;
    r.expression = key;
    r.path = parseRulePath(key);
    r.rules = parseRuleList(value, cache);
    out.rules.push_back(std::move(r));
  }
  return out;
}

Generator parseGenerator(const nlohmann::json& g, RegexCache* cache) {
  if (!g.is_object()) throw std::invalid_argument("a generator must be an object");
  Generator out;
  out.type = stringField(g, "type");
  if (out.type.empty()) throw std::invalid_argument("generator has no 'type'");
  out.config = g;
  if (out.type == "Regex") {
    out.regex = compileRegex(stringField(g, "regex"), "regex", cache);  // validated at load time
  } else if (out.type == "MockServerURL") {
    try {
      out.regex = compileRegex(stringField(g, "regex"), "regex", cache);
    } catch (const std::invalid_argument&) {
      // Not an error of the contract: such a generator generates nothing, and the example is served.
    }
  }
  return out;
}

}  // namespace pactmocks::pact
