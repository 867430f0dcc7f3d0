#include "StatusPage.h"

#include <algorithm>

#include "CoverageFields.h"
#include "core/SafeText.h"

namespace pactmocks::manager {

using nlohmann::json;
using fields::count;
using fields::text;

namespace {

std::string e(const std::string& s) { return markupEscape(s); }

// Contract text in a table cell: long text is cut (on a character boundary) so one 10 kB
// description cannot squeeze the page; the whole text stays in the tooltip.
constexpr std::size_t kCellBytes = 300;
std::string cell(const std::string& s) {
  if (s.size() <= kCellBytes) return e(s);
  std::size_t end = kCellBytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return "<span title=\"" + e(s) + "\">" + e(s.substr(0, end)) + "…</span>";
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

std::string moreRow(std::size_t total, int columns) {
  if (total <= kStatusPageMaxRows) return "";
  return "<tr><td colspan=\"" + std::to_string(columns) + "\" class=\"muted\">… and " +
         std::to_string(total - kStatusPageMaxRows) + " more</td></tr>\n";
}

constexpr const char* kStyle = R"(
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:1.5rem;color:#1d2330;background:#f6f7f9}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0002}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e3e6ea;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef0f3;font-weight:600;white-space:nowrap}
.ok{color:#17803d;font-weight:600}.bad{color:#b42318;font-weight:600}.muted{color:#6b7280}
.bar{width:12rem;height:.8rem;background:#e5e7eb;border-radius:.4rem;overflow:hidden;display:inline-block;vertical-align:middle}
.fill{height:100%;background:#22a05a}
code{font-size:.85em;overflow-wrap:anywhere}ul{margin:0;padding-left:1.1rem}
)";

}  // namespace

void addCoverage(StatusPageInput& input, const json& merged) {
  if (!merged.is_object()) return;
  for (const auto& m : fields::array(merged, "mocks")) {
    if (!m.is_object()) continue;
    StatusPageInput::Mock mock{.name = text(m, "name"), .url = text(m, "url"), .reachable = m.value("reachable", false),
                               .error = text(m, "error"), .source = "", .interactions = 0, .exercised = 0,
                               .unmatchedRequests = 0};
    if (m.contains("totals") && m["totals"].is_object()) {
      mock.interactions = count(m["totals"], "interactions");
      mock.exercised = count(m["totals"], "exercised");
      mock.unmatchedRequests = count(m["totals"], "unmatched_requests");
    }
    input.mocks.push_back(std::move(mock));
  }
  for (const auto& i : fields::array(merged, "interactions")) {
    if (!i.is_object() || count(i, "hits") > 0) continue;
    input.unexercised.push_back({text(i, "mock"), text(i, "consumer"), text(i, "description"), fields::texts(i, "provider_states")});
  }
  for (const auto& u : fields::array(merged, "unmatched")) {
    if (!u.is_object()) continue;
    StatusPageInput::Mismatch mm{.mock = text(u, "mock"), .method = "", .path = "", .nearest = "",
                                 .count = count(u, "count"), .reasons = fields::texts(u, "mismatches")};
    if (u.contains("example") && u["example"].is_object()) {
      mm.method = text(u["example"], "method");
      mm.path = text(u["example"], "path");
    }
    if (u.contains("nearest") && u["nearest"].is_object()) mm.nearest = text(u["nearest"], "description");
    input.mismatches.push_back(std::move(mm));
  }
}

std::string renderStatusPage(const StatusPageInput& in) {
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  h += "<meta http-equiv=\"refresh\" content=\"" + std::to_string(std::max(1, in.refreshSeconds)) + "\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n";
  h += "<title>pact-mocks status</title>\n<style>" + std::string(kStyle) + "</style></head>\n<body>\n";
  h += "<h1>pact-mocks status</h1>\n<p class=\"muted\">Generated " + e(in.generatedAt) + "; refreshes every " +
       std::to_string(std::max(1, in.refreshSeconds)) + " s.</p>\n";

  h += "<h2>Broker</h2>\n<p id=\"broker\">" + e(in.brokerUrl) + ": " +
       (in.brokerHealthy ? "<span class=\"ok\">healthy</span>" : "<span class=\"bad\">unreachable</span>") + "</p>\n";

  h += "<h2>Providers</h2>\n<table id=\"providers\"><tr><th>Provider</th><th>Consumers</th><th>Version</th>"
       "<th>Content hash</th><th>Published</th></tr>\n";
  if (in.providers.empty()) h += "<tr><td colspan=\"5\" class=\"muted\">none published</td></tr>\n";
  for (std::size_t i = 0; i < in.providers.size() && i < kStatusPageMaxRows; ++i) {
    const auto& p = in.providers[i];
    std::vector<std::string> consumers;
    for (const auto& c : p.consumers) consumers.push_back(e(c));
    h += "<tr><td>" + e(p.name) + "</td><td>" + join(consumers, ", ") + "</td><td><code>" + e(p.version) +
         "</code></td><td><code>" + e(p.sha256.substr(0, 12)) + "</code></td><td>" + e(p.publishedAt) + "</td></tr>\n";
  }
  h += moreRow(in.providers.size(), 5) + "</table>\n";

  h += "<h2>Mocks</h2>\n<table id=\"mocks\"><tr><th>Mock</th><th>Contract source</th><th>Interactions</th>"
       "<th>Coverage</th><th>Unmatched requests</th></tr>\n";
  if (in.mocks.empty()) h += "<tr><td colspan=\"5\" class=\"muted\">no mocks configured</td></tr>\n";
  for (std::size_t i = 0; i < in.mocks.size() && i < kStatusPageMaxRows; ++i) {
    const auto& m = in.mocks[i];
    h += "<tr><td>" + e(m.name) + "<br><span class=\"muted\">" + e(m.url) + "</span></td>";
    if (!m.reachable) {
      h += "<td colspan=\"4\"><span class=\"bad\">unreachable</span>: " + e(m.error) + "</td></tr>\n";
      continue;
    }
    const std::size_t percent = m.interactions == 0 ? 0 : std::min<std::size_t>(100, m.exercised * 100 / m.interactions);
    h += "<td>" + (m.source.empty() ? std::string("<span class=\"muted\">unknown</span>") : e(m.source)) + "</td><td>" +
         std::to_string(m.interactions) + "</td><td><span class=\"bar\" title=\"" + std::to_string(percent) +
         "%\"><span class=\"fill\" style=\"display:block;width:" + std::to_string(percent) + "%\"></span></span> " +
         std::to_string(m.exercised) + "/" + std::to_string(m.interactions) + " exercised</td><td" +
         (m.unmatchedRequests > 0 ? " class=\"bad\"" : "") + ">" + std::to_string(m.unmatchedRequests) + "</td></tr>\n";
  }
  h += moreRow(in.mocks.size(), 5) + "</table>\n";

  h += "<h2>Not exercised (" + std::to_string(in.unexercised.size()) + ")</h2>\n<table id=\"unexercised\"><tr>"
       "<th>Mock</th><th>Consumer</th><th>Interaction</th><th>Provider states</th></tr>\n";
  if (in.unexercised.empty()) h += "<tr><td colspan=\"4\" class=\"muted\">every interaction was exercised</td></tr>\n";
  for (std::size_t i = 0; i < in.unexercised.size() && i < kStatusPageMaxRows; ++i) {
    const auto& u = in.unexercised[i];
    std::vector<std::string> states;
    for (const auto& s : u.providerStates) states.push_back(e(s));
    h += "<tr><td>" + e(u.mock) + "</td><td>" + e(u.consumer) + "</td><td>" + cell(u.description) + "</td><td>" +
         join(states, "<br>") + "</td></tr>\n";
  }
  h += moreRow(in.unexercised.size(), 4) + "</table>\n";

  h += "<h2>Recent mismatches (" + std::to_string(in.mismatches.size()) + ")</h2>\n<table id=\"mismatches\"><tr>"
       "<th>Mock</th><th>Request</th><th>Count</th><th>Nearest interaction</th><th>Reasons</th></tr>\n";
  if (in.mismatches.empty()) h += "<tr><td colspan=\"5\" class=\"muted\">no unmatched requests</td></tr>\n";
  for (std::size_t i = 0; i < in.mismatches.size() && i < kStatusPageMaxRows; ++i) {
    const auto& m = in.mismatches[i];
    std::string reasons;
    for (const auto& r : m.reasons) reasons += "<li>" + cell(r) + "</li>";
    h += "<tr><td>" + e(m.mock) + "</td><td><code>" + e(m.method) + " " + e(m.path) + "</code></td><td>" +
         std::to_string(m.count) + "</td><td>" +
         (m.nearest.empty() ? std::string("<span class=\"muted\">none</span>") : cell(m.nearest)) + "</td><td><ul>" +
         reasons + "</ul></td></tr>\n";
  }
  h += moreRow(in.mismatches.size(), 5) + "</table>\n</body></html>\n";
  return h;
}

}  // namespace pactmocks::manager
