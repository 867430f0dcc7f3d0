#include "CoverageMerge.h"

#include "CoverageFields.h"

namespace pactmocks::manager {

using nlohmann::json;
using fields::count;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The parts of a mock's document the merge relies on, or why it is not one.
Result<json> coverageDocument(const std::string& body) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return fail("not a coverage document (not a JSON object)");
  if (!doc.contains("interactions") || !doc["interactions"].is_array() || !doc.contains("unmatched") ||
      !doc["unmatched"].is_array() || !doc.contains("totals") || !doc["totals"].is_object())
    return fail("not a coverage document (no interactions, unmatched and totals)");
  for (const auto& i : doc["interactions"])
    if (!i.is_object()) return fail("not a coverage document (an interaction is not an object)");
  for (const auto& u : doc["unmatched"])
    if (!u.is_object()) return fail("not a coverage document (an unmatched group is not an object)");
  return doc;
}

}  // namespace

Result<std::vector<MockEndpoint>> parseMockUrls(std::string_view text) {
  std::vector<MockEndpoint> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto entry = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (entry.empty()) continue;
    const auto eq = entry.find('=');
    MockEndpoint mock;
    mock.url = std::string(trim(eq == std::string_view::npos ? entry : entry.substr(eq + 1)));
    mock.name = eq == std::string_view::npos ? mock.url : std::string(trim(entry.substr(0, eq)));
    if (mock.name.empty() || mock.url.empty()) return fail("MOCK_URLS: entry '" + std::string(entry) + "' needs name=url");
    if (mock.url.rfind("http://", 0) != 0 && mock.url.rfind("https://", 0) != 0)
      return fail("MOCK_URLS: '" + mock.url + "' is not an http:// URL");
    while (mock.url.size() > 1 && mock.url.back() == '/') mock.url.pop_back();
    out.push_back(std::move(mock));
  }
  if (out.empty()) return fail("MOCK_URLS: no mock listed");
  return out;
}

json mergeCoverage(const std::vector<MockCoverage>& mocks) {
  json mockList = json::array(), interactions = json::array(), unmatched = json::array();
  std::uint64_t exercised = 0, unmatchedRequests = 0, unreachable = 0;
  for (const auto& m : mocks) {
    json entry = {{"name", m.mock.name}, {"url", m.mock.url}};
    auto doc = m.body ? coverageDocument(*m.body) : Result<json>(fail(m.body.error()));
    if (!doc) {
      ++unreachable;
      entry["reachable"] = false;
      entry["error"] = doc.error();
      mockList.push_back(std::move(entry));
      continue;
    }
    // A mock serves one provider; its name is on every interaction.
    json provider = nullptr;
    for (auto& i : (*doc)["interactions"]) {
      if (provider.is_null() && i.contains("provider")) provider = i["provider"];
      if (count(i, "hits") > 0) ++exercised;
      i["mock"] = m.mock.name;
      interactions.push_back(std::move(i));
    }
    for (auto& u : (*doc)["unmatched"]) {
      u["mock"] = m.mock.name;
      unmatched.push_back(std::move(u));
    }
    unmatchedRequests += count((*doc)["totals"], "unmatched_requests");
    entry["reachable"] = true;
    entry["provider"] = provider;
    entry["since"] = doc->value("since", json());
    entry["totals"] = (*doc)["totals"];
    mockList.push_back(std::move(entry));
  }
  const std::uint64_t total = interactions.size();
  return {{"mocks", mockList},
          {"interactions", interactions},
          {"unmatched", unmatched},
          {"totals",
           {{"mocks", mocks.size()},
            {"unreachable_mocks", unreachable},
            {"interactions", total},
            {"exercised", exercised},
            {"unexercised", total - exercised},
            {"unmatched_requests", unmatchedRequests}}}};
}

}  // namespace pactmocks::manager
