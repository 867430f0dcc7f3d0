#include <catch2/catch.hpp>

#include "CoverageReport.h"

using namespace pactmocks::manager;
using nlohmann::json;

namespace {

json interaction(const std::string& mock, const std::string& provider, const std::string& description, int hits) {
  return {{"mock", mock}, {"consumer", "Secret-Manager-Controller"}, {"provider", provider},
          {"description", description}, {"provider_states", {"secret exists"}}, {"hits", hits}};
}

json merged(bool allExercised, int unmatched, bool reachable = true) {
  json doc = {{"mocks",
               {{{"name", "aws"}, {"url", "http://a:1"}, {"reachable", true}, {"provider", "AWS-Secrets-Manager"}},
                {{"name", "gcp"}, {"url", "http://g:1"}, {"reachable", reachable}, {"provider", "GCP-Secret-Manager"}}}},
              {"interactions",
               {interaction("aws", "AWS-Secrets-Manager", "get secret", 2),
                interaction("aws", "AWS-Secrets-Manager", "put <secret>", allExercised ? 1 : 0),
                interaction("gcp", "GCP-Secret-Manager", "access secret", 1)}},
              {"unmatched", json::array()},
              {"totals", {{"unmatched_requests", unmatched}}}};
  if (!reachable) doc["mocks"][1]["error"] = "connection refused";
  if (unmatched > 0)
    doc["unmatched"].push_back({{"mock", "gcp"}, {"nearest", {{"description", "access secret"}}}, {"count", unmatched},
                                {"example", {{"method", "POST"}, {"path", "/v1/x"}}},
                                {"mismatches", {"method: expected GET"}}});
  return doc;
}

}  // namespace

TEST_CASE("the summary lists each provider's exercised/total and unmatched requests") {
  const auto text = coverageSummaryText(merged(false, 3, false));
  CHECK(text.find("AWS-Secrets-Manager: 1/2 interactions exercised, 0 unmatched request(s)\n") != std::string::npos);
  CHECK(text.find("  not exercised: Secret-Manager-Controller: put <secret>\n") != std::string::npos);
  CHECK(text.find("GCP-Secret-Manager: 1/1 interactions exercised, 3 unmatched request(s)\n") != std::string::npos);
  CHECK(text.find("  unmatched: 3 x POST /v1/x (nearest: access secret)\n") != std::string::npos);
  CHECK(text.find("unreachable mock gcp (http://g:1): connection refused\n") != std::string::npos);
  CHECK(coverageSummaryText(json::array()) == "not a merged coverage document\n");
}

TEST_CASE("the report's JUnit XML has cases per interaction, unmatched group and unreachable mock") {
  const auto xml = coverageReportJunitXml(merged(false, 1, false));
  CHECK(xml.find("<testsuites tests=\"5\" failures=\"3\">") != std::string::npos);
  CHECK(xml.find("<testsuite name=\"AWS-Secrets-Manager\" tests=\"2\" failures=\"1\"") != std::string::npos);
  CHECK(xml.find("name=\"put &lt;secret&gt;\">\n      <failure message=\"not exercised\">given secret exists") !=
        std::string::npos);
  CHECK(xml.find("name=\"requests near: access secret\"") != std::string::npos);
  CHECK(xml.find("method: expected GET") != std::string::npos);
  CHECK(xml.find("<failure message=\"unreachable: connection refused\">") != std::string::npos);
}

TEST_CASE("the exit decision: unmatched and unreachable always fail, unexercised only with --require-all") {
  CHECK(coverageExitCode(merged(true, 0), false) == kReportPassed);
  CHECK(coverageExitCode(merged(true, 0), true) == kReportPassed);
  CHECK(coverageExitCode(merged(false, 0), false) == kReportPassed);
  CHECK(coverageExitCode(merged(false, 0), true) == kReportFailed);
  CHECK(coverageExitCode(merged(true, 1), false) == kReportFailed);
  CHECK(coverageExitCode(merged(true, 0, false), false) == kReportFailed);
  CHECK(coverageExitCode(json{{"ok", true}}, false) == kReportFailed);
}
