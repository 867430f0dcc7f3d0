#include "mockserver/MockService.h"

#include <chrono>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/Time.h"
#include "mockserver/ProviderErrors.h"
#include "pact/ResponseBuilder.h"

namespace pactmocks::mockserver {
namespace {

constexpr std::size_t kReportBodyLimit = 64 * 1024;

nlohmann::json bodyForReport(const http::Request& request) {
  if (request.body.empty()) return nullptr;
  auto parsed = nlohmann::json::parse(request.body, nullptr, false);
  if (!parsed.is_discarded()) return parsed;
  if (request.body.size() > kReportBodyLimit)
    return request.body.substr(0, kReportBodyLimit) + "...(truncated)";
  return request.body;
}

std::string faultLabel(const FaultPlan& plan) {
  if (plan.transport == http::Response::Fault::ResetConnection) return "fault: reset";
  return "fault: " + std::to_string(plan.status);
}

// What coverage keeps of a request no interaction matched: its nearest interaction and why.
UnmatchedRequest unmatchedRequest(const http::Request& request, const pact::MatchOutcome& outcome) {
  UnmatchedRequest out{.method = request.method, .path = request.path, .nearestPact = nullptr, .nearest = nullptr,
                       .mismatches = {}};
  for (const auto& miss : outcome.closest) {
    if (!miss.interaction) continue;
    out.nearest = miss.interaction;
    out.nearestPact = miss.pact;
    for (const auto& m : miss.mismatches) out.mismatches.push_back(m.describe());
    break;
  }
  return out;
}

nlohmann::json summary(const PactSummary& p) {
  return {{"consumer", p.consumer}, {"provider", p.provider}, {"source", p.source}, {"interactions", p.interactions}};
}

}  // namespace


nlohmann::json mismatchReport(const http::Request& request, const pact::MatchOutcome& outcome) {
  // Credentials show their scheme only: the report goes back to the client and into the journal.
  nlohmann::json headers = journaledHeaders(request.headers);
  nlohmann::json closest = nlohmann::json::array();
  for (const auto& miss : outcome.closest) {
    if (!miss.interaction) continue;
    nlohmann::json reasons = nlohmann::json::array();
    for (const auto& m : miss.mismatches) reasons.push_back(m.describe());
    nlohmann::json states = nlohmann::json::array();
    for (const auto& s : miss.interaction->providerStates) states.push_back(s.name);
    closest.push_back({{"description", miss.interaction->description},
                       {"providerStates", std::move(states)},
                       {"mismatches", std::move(reasons)}});
  }
  return {{"error", "No matching interaction found"},
          {"request",
           {{"method", request.method},
            {"path", request.path},
            {"query", request.query},
            {"headers", std::move(headers)},
            {"body", bodyForReport(request)}}},
          {"closest", std::move(closest)}};
}

std::string mismatchSummary(const http::Request& request, const pact::MatchOutcome& outcome) {
  constexpr std::size_t kShown = 3;
  constexpr std::size_t kMaxLength = 600;
  std::string out = "No matching interaction found for " + request.method + " " + request.path;
  const pact::NearMiss* nearest = nullptr;
  for (const auto& miss : outcome.closest)
    if (miss.interaction) {
      nearest = &miss;
      break;
    }
  if (!nearest) {
    out += " (the contracts have no interaction to compare with)";
  } else {
    out += "; nearest '" + nearest->interaction->description + "'";
    const auto& list = nearest->mismatches;
    for (std::size_t i = 0; i < list.size() && i < kShown; ++i) out += (i == 0 ? ": " : "; ") + list[i].describe();
    if (list.size() > kShown) out += " (+" + std::to_string(list.size() - kShown) + " more)";
  }
  out += " [see /__admin/requests]";
  // A log line stays one line: request values can carry newlines.
  for (auto& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (out.size() > kMaxLength) out = out.substr(0, kMaxLength - 3) + "...";
  return out;
}

MockService::MockService(MockServiceOptions options, PactStore& store, MockMetrics& metrics,
                         RequestJournal& journal, ReloadFn reload)
    : options_(std::move(options)), store_(store), metrics_(metrics), journal_(journal), reload_(std::move(reload)) {
  // Every path here must be exempt from faults (FaultInjector: isExemptFromFaults), so a probe or
  // a test always gets through; MockServiceTest checks it.
  router_.get("/health", [this](http::Request&) { return health(); })
      .add("HEAD", "/health", [this](http::Request&) { return health(); })
      .get("/health/ready", [this](http::Request&) { return readiness(); })
      .add("HEAD", "/health/ready", [this](http::Request&) { return readiness(); })
      .get("/metrics", [this](http::Request&) { return metricsPage(); })
      .get("/__admin/interactions", [this](http::Request&) { return interactions(); })
      .get("/__admin/requests", [this](http::Request&) { return http::Response::json(200, journal_.toJson()); })
      .add("DELETE", "/__admin/requests",
           [this](http::Request&) {
             journal_.clear();
             return http::Response::json(200, {{"cleared", true}});
           })
      .get("/__admin/coverage", [this](http::Request& r) { return coverage(r); })
      .get("/__admin/verify", [this](http::Request& r) { return verification(r); })
      .post("/__admin/reset",
            [this](http::Request&) {
              // Phase by phase: what the next phase exercises, and only that, is counted.
              store_.coverage().reset();
              journal_.clear();
              return http::Response::json(200, {{"reset", true}});
            })
      .post("/__admin/reload", [this](http::Request&) { return this->reload(); })
      .fallback([this](http::Request& request) {
        if (!isExemptFromFaults(request.path)) return serveMock(request);
        return http::Response::json(404, {{"error", "unknown admin endpoint"},
                                          {"endpoints",
                                           {"GET /health", "GET /health/ready", "GET /metrics",
                                            "GET /__admin/interactions", "GET /__admin/requests",
                                            "DELETE /__admin/requests", "GET /__admin/coverage[?format=junit]",
                                            "GET /__admin/verify[?consumer=&state=]", "POST /__admin/reset",
                                            "POST /__admin/reload"}}});
      });
}

http::Response MockService::handle(http::Request& request) { return router_.handle(request); }

http::Response MockService::serveMock(http::Request& request) {
  const auto started = std::chrono::steady_clock::now();
  const FaultPlan plan = planFaults(request.headers, options_.faultLimits);
  http::Response response;
  Outcome outcome;
  std::string label;
  std::shared_ptr<const nlohmann::json> details;

  if (plan.replacesResponse()) {
    response = faultResponse(plan, options_.errorStyle);
    outcome = Outcome::Fault;
    label = faultLabel(plan);
    // The fault stands in for the interaction the request asked for: coverage counts it there.
    // A faulted request that matches nothing is not an unmatched one (no contract answer was due).
    if (auto contracts = store_.current(); contracts && contracts->coverage) {
      const pact::MatchOutcome match = contracts->index.match(request);
      if (match.matched) store_.coverage().recordHit(*contracts->coverage, match.pact, match.position, match.matched, faultName(plan));
    }
  } else if (auto contracts = store_.current(); !contracts) {
    response = providerError(options_.errorStyle, 503, "Mock server is starting: contracts are not loaded yet");
    applyFaultModifiers(plan, response);
    outcome = Outcome::Unavailable;
    label = "not ready";
  } else {
    const pact::MatchOutcome match = contracts->index.match(request);
    if (match.matched) {
      if (contracts->coverage) store_.coverage().prefetchHit(*contracts->coverage, match.pact, match.position);
      response = pact::buildResponse(*match.matched, {&request.headers, options_.port});
      label = match.matched->description;
      response.headers.add("X-Pact-Interaction", label);
      outcome = Outcome::Matched;
      if (contracts->coverage)
        store_.coverage().recordHit(*contracts->coverage, match.pact, match.position, match.matched, faultName(plan));
    } else if (options_.challengeTenant && !request.headers.get("Authorization")) {
      // What Key Vault does: the SDK sends its first request without a token (and a PUT without
      // its body) and waits for this challenge to learn the tenant and resource.
      response = keyVaultChallenge(*options_.challengeTenant);
      outcome = Outcome::Challenge;
      label = "bearer challenge";
    } else {
      auto report = std::make_shared<const nlohmann::json>(mismatchReport(request, match));
      response = noMatchResponse(options_.errorStyle, options_.noMatchStatus, mismatchSummary(request, match), *report);
      response.headers.set("X-Pact", "Request-Mismatch");
      details = std::move(report);
      outcome = Outcome::Unmatched;
      store_.coverage().recordUnmatched(unmatchedRequest(request, match));
      label = "no match";
    }
    applyFaultModifiers(plan, response);
  }

  const auto micros = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
  metrics_.record(outcome, micros);
  SPDLOG_INFO("{} {} -> {} \"{}\" {}us", request.method, request.target, response.status, label, micros);
  if (journal_.capacity() > 0) {
    static constexpr const char* kOutcomes[] = {"matched", "unmatched", "fault", "unavailable", "challenge"};
    journal_.append(JournalEntry{std::chrono::system_clock::now(), request.method, request.path, request.query,
                                 response.status, kOutcomes[static_cast<int>(outcome)], std::move(label), micros,
                                 std::move(details), JournalBody{}});
  }
  return response;
}

http::Response MockService::metricsPage() const {
  auto contracts = store_.current();
  return http::Response::text(200,
                              metrics_.render(options_.provider, contracts ? contracts->index.size() : 0,
                                              contracts ? toString(contracts->source) : std::string_view("none")) +
                                  coverageMetricsText(store_.coverage().snapshot()),
                              "text/plain; version=0.0.4; charset=utf-8");
}

http::Response MockService::coverage(const http::Request& request) const {
  const auto format = http::queryValue(request.query, "format").value_or("json");
  if (format == "junit")
    return http::Response::text(200, coverageJunitXml(store_.coverage().snapshot()), "application/xml; charset=utf-8");
  if (format != "json")
    return http::Response::json(400, {{"error", "format must be json or junit"}});
  return http::Response::text(200, coverageJsonText(store_.coverage().snapshot()), "application/json");
}

http::Response MockService::verification(const http::Request& request) const {
  const VerifyFilters filters{.consumer = http::queryValue(request.query, "consumer"),
                              .state = http::queryValue(request.query, "state")};
  const VerifyResult result = verify(store_.coverage().snapshot(), filters);
  return http::Response::text(verifyStatus(result), verifyJsonText(result), "application/json");
}

http::Response MockService::health() const {
  const auto contracts = store_.current();
  const SyncStatus status = store_.status();
  nlohmann::json body = {{"provider", options_.provider}, {"phase", status.phase}};
  if (!options_.version.empty()) body["version"] = options_.version;
  if (!status.lastError.empty()) body["last_error"] = status.lastError;
  body["reloads"] = status.reloads;
  body["failed_reloads"] = status.failedReloads;
  if (!contracts) {
    body["status"] = "starting";
    return http::Response::json(503, body);
  }
  body["status"] = "ok";
  body["source"] = toString(contracts->source);
  body["interactions"] = contracts->index.size();
  body["loaded_at"] = rfc3339(contracts->loadedAt);
  if (!contracts->revision.empty()) body["revision"] = contracts->revision;
  nlohmann::json pacts = nlohmann::json::array();
  for (const auto& p : contracts->pacts) pacts.push_back(summary(p));
  body["pacts"] = std::move(pacts);
  body["problems"] = contracts->problems;
  return http::Response::json(200, body);
}

// Readiness for a Service in front of several replicas: only a replica that serves the real
// contracts (from the broker or a directory) takes traffic; one still starting or on its
// built-in default contract does not.
http::Response MockService::readiness() const {
  const auto contracts = store_.current();
  if (!contracts) return http::Response::json(503, {{"ready", false}, {"reason", "no contracts loaded yet"}});
  const auto source = toString(contracts->source);
  if (contracts->source == PactSource::Default)
    return http::Response::json(503, {{"ready", false}, {"source", source},
                                      {"reason", "serving the built-in default contract: the real contracts are not loaded"}});
  return http::Response::json(200, {{"ready", true}, {"source", source}, {"interactions", contracts->index.size()}});
}

http::Response MockService::interactions() const {
  const auto contracts = store_.current();
  nlohmann::json list = nlohmann::json::array();
  if (contracts) {
    for (const auto& p : contracts->index.pacts()) {
      for (const auto& i : p->interactions) {
        nlohmann::json states = nlohmann::json::array();
        for (const auto& s : i.providerStates) states.push_back(s.name);
        list.push_back({{"description", i.description},
                        {"providerStates", std::move(states)},
                        {"method", i.request.method},
                        {"path", i.request.path},
                        {"consumer", p->consumer},
                        {"status", i.response.status}});
      }
    }
  }
  return http::Response::json(200, {{"provider", options_.provider},
                                    {"source", contracts ? toString(contracts->source) : std::string_view("none")},
                                    {"count", list.size()},
                                    {"interactions", std::move(list)}});
}

namespace {

// How long POST /__admin/reload waits for the sync worker before answering 202 (the reload goes
// on; /health shows its outcome).
constexpr std::chrono::milliseconds kReloadAnswerTimeout{10'000};

http::Response reloadAnswer(const ReloadOutcome& outcome) {
  nlohmann::json body = {{"reloaded", outcome.loaded.ok()}};
  if (!outcome.loaded) body["error"] = outcome.loaded.error();
  if (outcome.serving) {
    body["source"] = toString(outcome.serving->source);
    body["interactions"] = outcome.serving->index.size();
    body["loaded_at"] = rfc3339(outcome.serving->loadedAt);
  }
  return http::Response::json(outcome.loaded ? 200 : 500, body);
}

http::Response reloadStillRunning() {
  return http::Response::json(
      202, {{"reloaded", nullptr},
            {"pending", true},
            {"message", "the reload is still running; GET /health shows its outcome (loaded_at, reloads, "
                        "failed_reloads, last_error)"}});
}

}  // namespace

// The load runs on the sync worker: the request is parked, not waited for, so a serving thread
// (perhaps the only one) stays free. The answer holds no reference to this service.
http::Response MockService::reload() {
  if (!reload_) return http::Response::json(501, {{"error", "reload is not available"}});
  auto deferred = std::make_shared<http::DeferredResponse>(reloadStillRunning);
  reload_([deferred](ReloadOutcome outcome) { deferred->complete(reloadAnswer(outcome)); });
  return http::Response::parked(std::move(deferred), kReloadAnswerTimeout);
}

}  // namespace pactmocks::mockserver
