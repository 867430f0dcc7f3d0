#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "mockserver/webhook/WebhookService.h"

using namespace pactmocks;
using namespace pactmocks::mockserver;

namespace {
http::Response send(WebhookService& service, const std::string& method, const std::string& path,
                    std::string body = {}) {
  http::Request r;
  r.method = method;
  r.target = r.path = path;
  r.body = std::move(body);
  return service.handle(r);
}
}  // namespace

TEST_CASE("webhook: any POST is a delivery; other methods get 405 with Allow", "[webhook]") {
  RequestJournal journal(10);
  WebhookService service(journal);
  auto delivered = send(service, "POST", "/hooks/pact-changed", R"({"event":"contract_content_changed"})");
  CHECK(delivered.status == 200);
  CHECK(nlohmann::json::parse(delivered.body)["received"] == true);
  CHECK(send(service, "POST", "/").status == 200);

  auto get = send(service, "GET", "/hooks");
  CHECK(get.status == 405);
  CHECK(get.headers.get("Allow") == std::optional<std::string_view>("POST"));
  // The service's own paths keep their methods: no delivery recorded for them.
  auto postHealth = send(service, "POST", "/health");
  CHECK(postHealth.status == 405);
  CHECK(postHealth.headers.get("Allow") == std::optional<std::string_view>("GET, HEAD"));
  CHECK(send(service, "PUT", "/__admin/requests").headers.get("Allow") ==
        std::optional<std::string_view>("GET, DELETE"));

  auto listed = nlohmann::json::parse(send(service, "GET", "/__admin/requests").body);
  CHECK(listed["requests"].size() == 2);
  CHECK(send(service, "DELETE", "/__admin/requests").status == 200);
  CHECK(nlohmann::json::parse(send(service, "GET", "/__admin/requests").body)["requests"].empty());
  CHECK(send(service, "HEAD", "/health").status == 200);
}
