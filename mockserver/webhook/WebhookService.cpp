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

http::Response WebhookService::handle(http::Request& request) {
  const std::string& path = request.path;
  if (path == "/health") {
    if (request.method != "GET" && request.method != "HEAD") return http::Response::json(405, {{"error", "method not allowed"}});
    return http::Response::json(200, {{"status", "ok"}, {"service", "mock-webhook"}});
  }
  if (path == "/__admin/requests") {
    if (request.method == "GET") return http::Response::json(200, journal_.toJson());
    if (request.method == "DELETE") {
      journal_.clear();
      return http::Response::json(200, {{"cleared", true}});
    }
    return http::Response::json(405, {{"error", "method not allowed"}});
  }
  if (request.method != "POST") {
    auto r = http::Response::json(405, {{"error", "the mock webhook accepts POST only"}});
    r.headers.set("Allow", "POST");
    return r;
  }
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
