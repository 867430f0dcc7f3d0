#pragma once
// JUnit XML, the report format CI systems read: suites of test cases, each passed or failed.
// Header-only like SafeText.h; every string is escaped, so contract text cannot break the XML.
#include <optional>
#include <string>
#include <vector>

#include "core/SafeText.h"

namespace pactmocks::junit {

struct TestCase {
  std::string className;               // e.g. the consumer
  std::string name;                    // e.g. the interaction's description
  std::optional<std::string> failure;  // the failure message; none = passed
  std::string details;                 // text inside <failure> (e.g. mismatch lines)
};

struct TestSuite {
  std::string name;
  std::vector<TestCase> cases;
};

inline std::string toXml(const std::vector<TestSuite>& suites) {
  std::size_t tests = 0, failures = 0;
  for (const auto& s : suites) {
    tests += s.cases.size();
    for (const auto& c : s.cases) failures += c.failure ? 1 : 0;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\">\n";
  for (const auto& s : suites) {
    std::size_t suiteFailures = 0;
    for (const auto& c : s.cases) suiteFailures += c.failure ? 1 : 0;
    out += "  <testsuite name=\"" + markupEscape(s.name) + "\" tests=\"" + std::to_string(s.cases.size()) +
           "\" failures=\"" + std::to_string(suiteFailures) + "\" errors=\"0\" skipped=\"0\">\n";
    for (const auto& c : s.cases) {
      out += "    <testcase classname=\"" + markupEscape(c.className) + "\" name=\"" + markupEscape(c.name) + "\"";
      if (!c.failure) {
        out += "/>\n";
        continue;
      }
      out += ">\n      <failure message=\"" + markupEscape(*c.failure) + "\">" + markupEscape(c.details) +
             "</failure>\n    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace pactmocks::junit
