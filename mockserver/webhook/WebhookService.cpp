#include "mockserver/webhook/WebhookService.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace pactmocks::mockserver {
namespace {

// The body goes into the entry's JournalBody (capped text); an empty one shows as null.
nlohmann::json describeDelivery(const http::Request& request) {
  nlohmann::json details = {{"headers", journaledHeaders(request.headers)}};
  if (request.body.empty()) details["body"] = nullptr;
  return details;
}

}  // namespace

WebhookService::WebhookService(RequestJournal& journal) : journal_(journal) {
  auto health = [](http::Request&) { return http::Response::json(200, {{"status", "ok"}, {"service", "mock-webhook"}}); };
  router_.get("/health", health)
      .add("HEAD", "/health", health)
      .get("/__admin/requests", [this](http::Request&) { return http::Response::json(200, journal_.toJson()); })
      .add("DELETE", "/__admin/requests",
           [this](http::Request&) {
             journal_.clear();
             return http::Response::json(200, {{"cleared", true}});
           })
      // Every other path is a delivery; the paths above keep their own methods (405 with Allow).
      .fallback([this](http::Request& request) {
        if (request.method == "POST") return deliver(request);
        auto r = http::Response::json(405, {{"error", "the mock webhook accepts POST only"}});
        r.headers.set("Allow", "POST");
        return r;
      });
}

http::Response WebhookService::deliver(const http::Request& request) {
  spdlog::info("POST {} ({} bytes)", request.target, request.body.size());
  JournalEntry entry;
  entry.time = std::chrono::system_clock::now();
  entry.method = request.method;
  entry.path = request.path;
  entry.query = request.query;
  entry.status = 200;
  entry.details = std::make_shared<const nlohmann::json>(describeDelivery(request));
  entry.body = journaledBody(request.body, journal_.bodyLimit());
  journal_.append(std::move(entry));
  return http::Response::json(200, {{"received", true}});
}

}  // namespace pactmocks::mockserver
