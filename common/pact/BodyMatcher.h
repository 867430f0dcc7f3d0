#pragma once
// Body comparison under matching rules: JSON trees, XML trees, and single values (also used for
// paths, query values and headers).
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pact/MatchingRules.h"
#include "pact/Mismatch.h"
#include "pact/Xml.h"

namespace pactmocks::pact {

// Collects mismatches; `stopAtFirst` lets selection bail out early.
struct MismatchSink {
  std::vector<Mismatch>* out = nullptr;
  bool stopAtFirst = false;
  bool failed = false;

  void add(Mismatch::Kind kind, std::string location, std::string expected, std::string actual, std::string reason);
  bool done() const { return failed && stopAtFirst; }
};

// Where a value comes from. JSON body values keep their JSON type, so `integer`, `decimal`,
// `number` and `boolean` reject a JSON string such as "7". Headers, query, path, form fields and
// XML carry only text, so there those matchers read the text ("7" is an integer).
enum class ValueKind { Json, Text };

// Applies one matcher to a value; on failure returns false and sets `reason`.
bool applyMatcher(const Matcher& m, const nlohmann::json& expected, const nlohmann::json& actual, std::string& reason,
                  ValueKind kind = ValueKind::Text);
// Applies a rule list (AND/OR).
bool applyRules(const RuleList& rules, const nlohmann::json& expected, const nlohmann::json& actual, std::string& reason,
                ValueKind kind = ValueKind::Text);

void compareJsonBodies(const nlohmann::json& expected, const nlohmann::json& actual, const RuleCategory& rules,
                       MismatchSink& sink);
void compareXmlBodies(const XmlElement& expected, const XmlElement& actual, const RuleCategory& rules,
                      MismatchSink& sink);

// Short rendering of a JSON value for messages.
std::string shortJson(const nlohmann::json& v);

}  // namespace pactmocks::pact
