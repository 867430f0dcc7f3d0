#include "HealthApi.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

namespace pactmocks::manager {

using nlohmann::json;

namespace {

json errorsJson(const StatusSnapshot& s) {
  json errors = json::array();
  for (const auto& e : s.errors) {
    json item = {{"reason", e.reason}};
    if (!e.file.empty()) item["file"] = e.file;
    errors.push_back(std::move(item));
  }
  if (!s.brokerHealthy && !s.brokerError.empty()) errors.push_back({{"reason", "broker: " + s.brokerError}});
  for (const auto& w : s.webhooks)
    if (w.state != "applied")
      errors.push_back({{"file", "webhooks.json"}, {"reason", "webhook " + w.id + " " + w.state + ": " + w.error}});
  return errors;
}

json webhooksJson(const StatusSnapshot& s) {
  json list = json::array();
  for (const auto& w : s.webhooks) {
    json item = {{"id", w.id}, {"state", w.state}};
    if (!w.uuid.empty()) item["uuid"] = w.uuid;
    if (!w.description.empty()) item["description"] = w.description;
    if (!w.error.empty()) item["error"] = w.error;
    list.push_back(std::move(item));
  }
  return list;
}

std::string statusWord(bool ready) { return ready ? "ready" : "not_ready"; }

}  // namespace

json providersJson(const StatusSnapshot& s) {
  json providers = json::object();
  for (const auto& p : s.published) {
    json& entry = providers[p.provider];
    if (entry.is_null()) entry = {{"consumers", json::array()}, {"pacts", json::array()}, {"generation", 0}};
    entry["consumers"].push_back(p.consumer);
    entry["pacts"].push_back({{"consumer", p.consumer}, {"version", p.version}, {"sha256", p.sha256},
                              {"published_at", p.publishedAt}, {"file", p.file}});
    // The provider-level fields describe its most recent publication.
    if (p.generation >= entry["generation"].get<std::uint64_t>()) {
      entry["version"] = p.version;
      entry["sha256"] = p.sha256;
      entry["published_at"] = p.publishedAt;
      entry["generation"] = p.generation;
    }
  }
  return providers;
}

http::Response livenessResponse() { return http::Response::json(200, {{"status", "alive"}}); }

http::Response healthResponse(const StatusSnapshot& s) {
  return http::Response::json(
      200, {{"status", "healthy"}, {"broker_healthy", s.brokerHealthy}, {"pacts_published", s.pactsPublished}});
}

http::Response readinessResponse(const StatusSnapshot& s) {
  return http::Response::json(s.ready() ? 200 : 503, {{"status", statusWord(s.ready())},
                                                      {"broker_healthy", s.brokerHealthy},
                                                      {"pacts_published", s.pactsPublished}});
}

http::Response readyResponse(const StatusSnapshot& s) {
  std::set<std::string> names;
  for (const auto& p : s.published) names.insert(p.provider);
  return http::Response::json(s.ready() ? 200 : 503, {{"status", statusWord(s.ready())},
                                                      {"broker_healthy", s.brokerHealthy},
                                                      {"pacts_published", s.pactsPublished},
                                                      {"published_providers", names},
                                                      {"providers", providersJson(s)},
                                                      {"generation", s.generation},
                                                      {"configmap", {{"name", s.configMapName},
                                                                     {"namespace", s.kubernetesNamespace},
                                                                     {"path", s.configMapPath}}},
                                                      {"webhooks", webhooksJson(s)},
                                                      {"errors", errorsJson(s)}});
}

http::Response providersResponse(const StatusSnapshot& s) {
  return http::Response::json(200, {{"generation", s.generation}, {"providers", providersJson(s)}});
}

http::Response providerReadyResponse(const StatusSnapshot& s, const std::string& provider) {
  json providers = providersJson(s);
  auto it = providers.find(provider);
  if (it == providers.end())
    return http::Response::json(503, {{"ready", false}, {"provider", provider}, {"generation", s.generation},
                                      {"reason", "no pact published for this provider"}});
  json body = {{"ready", s.brokerHealthy},
               {"provider", provider},
               {"published_at", (*it)["published_at"]},
               {"version", (*it)["version"]},
               {"sha256", (*it)["sha256"]},
               {"consumers", (*it)["consumers"]},
               {"generation", (*it)["generation"]}};
  if (!s.brokerHealthy) body["reason"] = "broker unhealthy";
  return http::Response::json(s.brokerHealthy ? 200 : 503, body);
}

namespace {

std::uint64_t providerGeneration(const StatusSnapshot& s, const std::string& provider) {
  std::uint64_t generation = 0;
  for (const auto& p : s.published)
    if (p.provider == provider) generation = std::max(generation, p.generation);
  return generation;
}

std::optional<double> number(const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (*end) return std::nullopt;
  return value;
}

}  // namespace

http::Response providerReadyLongPoll(ManagerStatus& status, const std::string& provider, const http::Request& request) {
  const auto afterText = http::queryValue(request.query, "after");
  if (!afterText) return providerReadyResponse(status.snapshot(), provider);
  const auto after = number(afterText);
  if (!after || *after < 0 || *after != static_cast<double>(static_cast<std::uint64_t>(*after)))
    return http::Response::json(400, {{"error", "after must be a generation (a non-negative integer)"}});
  const auto waitText = http::queryValue(request.query, "wait");
  const auto wait = waitText ? number(waitText) : std::optional<double>(kLongPollDefaultWaitSeconds);
  if (!wait || *wait < 0 || *wait > kLongPollMaxWaitSeconds)
    return http::Response::json(400, {{"error", "wait must be a number of seconds from 0 to " +
                                                    std::to_string(static_cast<int>(kLongPollMaxWaitSeconds))}});
  const auto generation = static_cast<std::uint64_t>(*after);
  auto deferred = std::make_shared<http::DeferredResponse>(
      [&status, provider] { return providerReadyResponse(status.snapshot(), provider); });
  status.addWaiter([deferred, provider, generation](const StatusSnapshot& s) {
    if (deferred->done()) return true;
    if (providerGeneration(s, provider) <= generation) return false;
    deferred->complete(providerReadyResponse(s, provider));
    return true;
  });
  return http::Response::parked(deferred, std::chrono::milliseconds(static_cast<long long>(*wait * 1000)));
}

http::Router makeHealthRouter(ManagerStatus& status) {
  http::Router r;
  ManagerStatus* st = &status;
  // A wrong path (a typo, a mock's /health path on the manager's port) gets the list of real ones.
  r.fallback([](http::Request& req) {
    return http::Response::json(404, {{"error", "unknown endpoint " + req.path},
                                      {"endpoints",
                                       {"GET /liveness", "GET /healthz", "GET /health", "GET /readiness", "GET /ready",
                                        "GET /providers", "GET /providers/{provider}/ready", "GET /coverage",
                                        "GET / (status page)"}}});
  });
  r.get("/liveness", [](http::Request&) { return livenessResponse(); });
  r.get("/healthz", [](http::Request&) { return livenessResponse(); });
  r.get("/health", [st](http::Request&) { return healthResponse(st->snapshot()); });
  r.get("/readiness", [st](http::Request&) { return readinessResponse(st->snapshot()); });
  r.get("/ready", [st](http::Request&) { return readyResponse(st->snapshot()); });
  r.get("/providers", [st](http::Request&) { return providersResponse(st->snapshot()); });
  r.get("/providers/{provider}/ready",
        [st](http::Request& req) { return providerReadyLongPoll(*st, std::string(req.param("provider")), req); });
  return r;
}

}  // namespace pactmocks::manager
