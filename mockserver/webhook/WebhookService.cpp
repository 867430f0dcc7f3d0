#include "mockserver/webhook/WebhookService.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace pactmocks::mockserver {
namespace {

nlohmann::json describeDelivery(const http::Request& request) {
  nlohmann::json headers = journaledHeaders(request.headers);
  nlohmann::json body = nullptr;
  if (!request.body.empty()) {
    body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_discarded()) body = request.body;
  }
  return {{"headers", std::move(headers)}, {"body", std::move(body)}};
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
  journal_.append(std::move(entry));
  return http::Response::json(200, {{"received", true}});
}

}  // namespace pactmocks::mockserver
