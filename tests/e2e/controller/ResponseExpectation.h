#pragma once
// What a controller checks in a provider's answer: the outcome (a response, no response at all,
// or a body cut short), the status, a few headers and a few JSON fields. Pure logic: the checks
// run on plain values so they are unit-tested without sockets.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/Message.h"

namespace pactmocks::e2e {

enum class Outcome {
  Response,    // an HTTP response with a parseable body
  NoResponse,  // the connection is reset / closed before a response (X-Fault: reset)
  BrokenBody,  // no response, or one whose JSON body is cut short (X-Fault: malformed)
};

struct FieldRule {
  enum class Kind { EqualsString, EqualsInteger, Matches, IsNumber, IsInteger, NonEmptyArray, ArrayContainsString };
  std::string pointer;  // JSON pointer, e.g. "/error/status"
  Kind kind = Kind::EqualsString;
  std::string text;     // expected string, regex (ECMAScript) or array element
  std::int64_t integer = 0;

  static FieldRule equals(std::string pointer, std::string value);
  static FieldRule equals(std::string pointer, std::int64_t value);
  static FieldRule matches(std::string pointer, std::string regex);
  static FieldRule isNumber(std::string pointer);
  static FieldRule isInteger(std::string pointer);
  static FieldRule nonEmptyArray(std::string pointer);
  static FieldRule arrayContains(std::string pointer, std::string value);
};

struct HeaderRule {
  std::string name;
  std::optional<std::string> equals;  // exact value
  std::optional<std::string> matches; // regex (ECMAScript); neither set = present
};

struct ResponseExpectation {
  Outcome outcome = Outcome::Response;
  int status = 200;
  std::vector<FieldRule> fields;
  std::vector<HeaderRule> headers;
  std::chrono::milliseconds minElapsed{0};  // for X-Fault-Delay-Ms
};

// What came back for one request (status 0 and a non-empty error when no response arrived).
struct Observed {
  int status = 0;
  http::Headers headers;
  std::string body;
  std::string error;
  std::chrono::milliseconds elapsed{0};
};

// Every way `observed` falls short of `expected`, as readable sentences; empty means it conforms.
std::vector<std::string> findProblems(const ResponseExpectation& expected, const Observed& observed);

}  // namespace pactmocks::e2e
