#include "CoverageReport.h"

#include <map>
#include <vector>

#include "CoverageFields.h"
#include "core/JUnitXml.h"

namespace pactmocks::manager {

using nlohmann::json;
using fields::count;
using fields::text;

namespace {

bool isMerged(const json& merged) {
  return merged.is_object() && merged.contains("mocks") && merged["mocks"].is_array() &&
         merged.contains("interactions") && merged["interactions"].is_array();
}

// A mock serves one provider; unmatched requests belong to the provider of their mock.
std::map<std::string, std::string> providerByMock(const json& merged) {
  std::map<std::string, std::string> out;
  for (const auto& m : fields::array(merged, "mocks")) {
    if (!m.is_object()) continue;
    const auto provider = text(m, "provider");
    out[text(m, "name")] = provider.empty() ? text(m, "name") : provider;
  }
  return out;
}

std::string providerOf(const std::map<std::string, std::string>& byMock, const std::string& mock) {
  const auto it = byMock.find(mock);
  return it == byMock.end() ? mock : it->second;
}

std::string nearestDescription(const json& group) {
  return group.contains("nearest") && group["nearest"].is_object() ? text(group["nearest"], "description") : "";
}

std::string exampleRequest(const json& group) {
  if (!group.contains("example") || !group["example"].is_object()) return "";
  return text(group["example"], "method") + " " + text(group["example"], "path");
}

struct ProviderTally {
  std::uint64_t total = 0, exercised = 0, unmatched = 0;
  std::vector<std::string> unexercised, groups;
};

}  // namespace

std::string coverageSummaryText(const json& merged) {
  if (!isMerged(merged)) return "not a merged coverage document\n";
  const auto byMock = providerByMock(merged);
  std::map<std::string, ProviderTally> tally;
  for (const auto& i : fields::array(merged, "interactions")) {
    if (!i.is_object()) continue;
    auto& t = tally[text(i, "provider").empty() ? providerOf(byMock, text(i, "mock")) : text(i, "provider")];
    ++t.total;
    if (count(i, "hits") > 0) ++t.exercised;
    else t.unexercised.push_back(text(i, "consumer") + ": " + text(i, "description"));
  }
  for (const auto& g : fields::array(merged, "unmatched")) {
    if (!g.is_object()) continue;
    auto& t = tally[providerOf(byMock, text(g, "mock"))];
    t.unmatched += count(g, "count");
    const auto nearest = nearestDescription(g);
    t.groups.push_back(std::to_string(count(g, "count")) + " x " + exampleRequest(g) +
                       (nearest.empty() ? " (near no interaction)" : " (nearest: " + nearest + ")"));
  }
  std::string out;
  for (const auto& [provider, t] : tally) {
    out += provider + ": " + std::to_string(t.exercised) + "/" + std::to_string(t.total) + " interactions exercised, " +
           std::to_string(t.unmatched) + " unmatched request(s)\n";
    for (const auto& u : t.unexercised) out += "  not exercised: " + u + "\n";
    for (const auto& g : t.groups) out += "  unmatched: " + g + "\n";
  }
  for (const auto& m : fields::array(merged, "mocks"))
    if (m.is_object() && !m.value("reachable", false))
      out += "unreachable mock " + text(m, "name") + " (" + text(m, "url") + "): " + text(m, "error") + "\n";
  if (out.empty()) out = "no interactions loaded\n";
  return out;
}

std::string coverageReportJunitXml(const json& merged) {
  const auto byMock = providerByMock(merged);
  std::vector<junit::TestSuite> suites;
  const auto suiteFor = [&](const std::string& name) -> junit::TestSuite& {
    for (auto& s : suites)
      if (s.name == name) return s;
    return suites.emplace_back(junit::TestSuite{name, {}});
  };
  for (const auto& i : fields::array(merged, "interactions")) {
    if (!i.is_object()) continue;
    junit::TestCase tc{.className = text(i, "consumer"), .name = text(i, "description"), .failure = std::nullopt,
                       .details = ""};
    if (count(i, "hits") == 0) {
      tc.failure = "not exercised";
      for (const auto& s : fields::texts(i, "provider_states")) tc.details += "given " + s + "\n";
    }
    suiteFor(text(i, "provider").empty() ? providerOf(byMock, text(i, "mock")) : text(i, "provider"))
        .cases.push_back(std::move(tc));
  }
  for (const auto& g : fields::array(merged, "unmatched")) {
    if (!g.is_object()) continue;
    const auto nearest = nearestDescription(g);
    junit::TestCase tc{.className = text(g, "mock"),
                       .name = nearest.empty() ? "requests near no interaction" : "requests near: " + nearest,
                       .failure = std::to_string(count(g, "count")) + " request(s) matched no interaction, e.g. " +
                                  exampleRequest(g),
                       .details = ""};
    for (const auto& line : fields::texts(g, "mismatches")) tc.details += line + "\n";
    suiteFor("unmatched requests").cases.push_back(std::move(tc));
  }
  for (const auto& m : fields::array(merged, "mocks"))
    if (m.is_object() && !m.value("reachable", false))
      suiteFor("mocks").cases.push_back({.className = text(m, "url"), .name = "mock " + text(m, "name") + " reachable",
                                         .failure = "unreachable: " + text(m, "error"), .details = ""});
  return junit::toXml(suites);
}

int coverageExitCode(const json& merged, bool requireAll) {
  if (!isMerged(merged)) return kReportFailed;
  for (const auto& m : fields::array(merged, "mocks"))
    if (!m.is_object() || !m.value("reachable", false)) return kReportFailed;
  for (const auto& g : fields::array(merged, "unmatched"))
    if (count(g, "count") > 0) return kReportFailed;
  if (merged.contains("totals") && merged["totals"].is_object() && count(merged["totals"], "unmatched_requests") > 0)
    return kReportFailed;
  if (requireAll)
    for (const auto& i : fields::array(merged, "interactions"))
      if (count(i, "hits") == 0) return kReportFailed;
  return kReportPassed;
}

}  // namespace pactmocks::manager
