#include "ResponseExpectation.h"

#include <regex>

#include <nlohmann/json.hpp>

namespace pactmocks::e2e {

using json = nlohmann::json;

FieldRule FieldRule::equals(std::string pointer, std::string value) {
  return {std::move(pointer), Kind::EqualsString, std::move(value), 0};
}
FieldRule FieldRule::equals(std::string pointer, std::int64_t value) {
  return {std::move(pointer), Kind::EqualsInteger, {}, value};
}
FieldRule FieldRule::matches(std::string pointer, std::string regex) {
  return {std::move(pointer), Kind::Matches, std::move(regex), 0};
}
FieldRule FieldRule::isNumber(std::string pointer) { return {std::move(pointer), Kind::IsNumber, {}, 0}; }
FieldRule FieldRule::isInteger(std::string pointer) { return {std::move(pointer), Kind::IsInteger, {}, 0}; }
FieldRule FieldRule::nonEmptyArray(std::string pointer) { return {std::move(pointer), Kind::NonEmptyArray, {}, 0}; }
FieldRule FieldRule::arrayContains(std::string pointer, std::string value) {
  return {std::move(pointer), Kind::ArrayContainsString, std::move(value), 0};
}

namespace {

std::string shortened(std::string text, std::size_t limit = 300) {
  if (text.size() > limit) text = text.substr(0, limit) + "...";
  return text;
}

std::optional<std::string> checkField(const json& body, const FieldRule& rule) {
  json::json_pointer pointer;
  try {
    pointer = json::json_pointer(rule.pointer);
  } catch (const json::exception&) {
    return "bad JSON pointer " + rule.pointer;
  }
  if (!body.contains(pointer)) return rule.pointer + " is missing";
  const json& value = body.at(pointer);
  const std::string shown = shortened(value.dump(), 120);
  switch (rule.kind) {
    case FieldRule::Kind::EqualsString:
      if (!value.is_string() || value.get<std::string>() != rule.text)
        return rule.pointer + " is " + shown + ", expected \"" + rule.text + "\"";
      return std::nullopt;
    case FieldRule::Kind::EqualsInteger:
      if (!value.is_number_integer() || value.get<std::int64_t>() != rule.integer)
        return rule.pointer + " is " + shown + ", expected " + std::to_string(rule.integer);
      return std::nullopt;
    case FieldRule::Kind::Matches:
      if (!value.is_string() || !std::regex_search(value.get<std::string>(), std::regex(rule.text)))
        return rule.pointer + " is " + shown + ", expected a string matching /" + rule.text + "/";
      return std::nullopt;
    case FieldRule::Kind::IsNumber:
      if (!value.is_number()) return rule.pointer + " is " + shown + ", expected a number";
      return std::nullopt;
    case FieldRule::Kind::IsInteger:
      if (!value.is_number_integer()) return rule.pointer + " is " + shown + ", expected an integer";
      return std::nullopt;
    case FieldRule::Kind::NonEmptyArray:
      if (!value.is_array() || value.empty()) return rule.pointer + " is " + shown + ", expected a non-empty array";
      return std::nullopt;
    case FieldRule::Kind::ArrayContainsString:
      if (!value.is_array()) return rule.pointer + " is " + shown + ", expected an array";
      for (const auto& element : value)
        if (element.is_string() && element.get<std::string>() == rule.text) return std::nullopt;
      return rule.pointer + " is " + shown + ", expected it to contain \"" + rule.text + "\"";
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> findProblems(const ResponseExpectation& expected, const Observed& observed) {
  std::vector<std::string> problems;
  const bool answered = observed.status != 0;

  if (expected.outcome == Outcome::NoResponse) {
    if (answered) problems.push_back("expected the connection to be reset, got HTTP " + std::to_string(observed.status));
    return problems;
  }
  if (expected.outcome == Outcome::BrokenBody) {
    if (answered && json::accept(observed.body))
      problems.push_back("expected a malformed body, got HTTP " + std::to_string(observed.status) +
                         " with well-formed JSON " + shortened(observed.body));
    return problems;
  }

  if (!answered) {
    problems.push_back("no response: " + observed.error);
    return problems;
  }
  if (observed.status != expected.status)
    problems.push_back("status " + std::to_string(observed.status) + ", expected " + std::to_string(expected.status) +
                       " (body: " + shortened(observed.body) + ")");
  if (observed.elapsed < expected.minElapsed)
    problems.push_back("answered after " + std::to_string(observed.elapsed.count()) + " ms, expected at least " +
                       std::to_string(expected.minElapsed.count()) + " ms");

  for (const auto& rule : expected.headers) {
    auto value = observed.headers.get(rule.name);
    if (!value) {
      problems.push_back("header " + rule.name + " is missing");
    } else if (rule.equals && *value != *rule.equals) {
      problems.push_back("header " + rule.name + " is \"" + std::string(*value) + "\", expected \"" + *rule.equals + "\"");
    } else if (rule.matches && !std::regex_search(std::string(*value), std::regex(*rule.matches))) {
      problems.push_back("header " + rule.name + " is \"" + std::string(*value) + "\", expected /" + *rule.matches + "/");
    }
  }

  if (!expected.fields.empty()) {
    json body = json::parse(observed.body, nullptr, false);
    if (body.is_discarded()) {
      problems.push_back("body is not JSON: " + shortened(observed.body));
    } else {
      for (const auto& rule : expected.fields)
        if (auto problem = checkField(body, rule)) problems.push_back(*problem);
    }
  }
  return problems;
}

}  // namespace pactmocks::e2e
