#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "HealthApi.h"

using namespace pactmocks::manager;
using nlohmann::json;
namespace http = pactmocks::http;

namespace {
StatusSnapshot readySnapshot() {
  StatusSnapshot s;
  s.brokerHealthy = true;
  s.scanned = true;
  s.pactsPublished = true;
  s.generation = 3;
  s.configMapName = "pact-contracts";
  s.kubernetesNamespace = "ns";
  s.configMapPath = "/pacts-configmap";
  s.published = {PublishedPact{"AWS-Secrets-Manager", "Ctl", "main-abc", "sha1", "2026-11-25T00:00:00.000Z", "aws.json", 2},
                 PublishedPact{"AWS-Secrets-Manager", "Other", "main-abc+x", "sha2", "2026-11-25T00:00:01.000Z", "o.json", 3},
                 PublishedPact{"GCP-Secret-Manager", "Ctl", "main-abc", "sha3", "2026-11-25T00:00:02.000Z", "gcp.json", 1}};
  return s;
}
json body(const http::Response& r) { return json::parse(r.body); }
}  // namespace

TEST_CASE("/ready lists providers with consumers, version, time and hash", "[manager][health]") {
  auto s = readySnapshot();
  auto r = readyResponse(s);
  CHECK(r.status == 200);
  auto b = body(r);
  CHECK(b["status"] == "ready");
  CHECK(b["broker_healthy"] == true);
  CHECK(b["pacts_published"] == true);
  CHECK(b["published_providers"] == json::array({"AWS-Secrets-Manager", "GCP-Secret-Manager"}));
  CHECK(b["generation"] == 3);
  auto aws = b["providers"]["AWS-Secrets-Manager"];
  CHECK(aws["consumers"] == json::array({"Ctl", "Other"}));
  CHECK(aws["version"] == "main-abc+x");  // the most recent publication
  CHECK(aws["sha256"] == "sha2");
  CHECK(aws["published_at"] == "2026-11-25T00:00:01.000Z");
  CHECK(aws["generation"] == 3);
  CHECK(b["errors"].empty());
  CHECK(b["configmap"]["name"] == "pact-contracts");
  CHECK(b["configmap"]["namespace"] == "ns");
}

TEST_CASE("/ready and /readiness are 503 until the broker is healthy and pacts are published", "[manager][health]") {
  auto s = readySnapshot();
  s.brokerHealthy = false;
  s.brokerError = "connection refused";
  auto r = readyResponse(s);
  CHECK(r.status == 503);
  CHECK(body(r)["status"] == "not_ready");
  CHECK(body(r)["errors"][0]["reason"] == "broker: connection refused");
  CHECK(readinessResponse(s).status == 503);

  s = readySnapshot();
  s.pactsPublished = false;
  s.errors = {{"bad.json", "invalid JSON"}};
  CHECK(readyResponse(s).status == 503);
  CHECK(body(readyResponse(s))["errors"][0] == json{{"file", "bad.json"}, {"reason", "invalid JSON"}});

  CHECK(readinessResponse(readySnapshot()).status == 200);
  CHECK(readinessResponse(StatusSnapshot{}).status == 503);
  CHECK(livenessResponse().status == 200);
}

TEST_CASE("/providers/{p}/ready", "[manager][health]") {
  auto s = readySnapshot();
  auto ok = providerReadyResponse(s, "GCP-Secret-Manager");
  CHECK(ok.status == 200);
  CHECK(body(ok)["ready"] == true);
  CHECK(body(ok)["provider"] == "GCP-Secret-Manager");
  CHECK(body(ok)["published_at"] == "2026-11-25T00:00:02.000Z");
  CHECK(body(ok)["generation"] == 1);

  auto missing = providerReadyResponse(s, "Azure-Key-Vault");
  CHECK(missing.status == 503);
  CHECK(body(missing)["ready"] == false);

  s.brokerHealthy = false;
  CHECK(providerReadyResponse(s, "GCP-Secret-Manager").status == 503);
}

TEST_CASE("The health router serves every documented path", "[manager][health]") {
  ManagerStatus status;
  status.setBrokerHealth(true, "");
  auto snap = readySnapshot();
  status.setPublication(true, snap.generation, snap.published, {});
  auto router = makeHealthRouter(status);
  auto get = [&](const std::string& path) {
    http::Request req;
    req.method = "GET";
    req.target = req.path = path;
    return router.handle(req);
  };
  CHECK(get("/liveness").status == 200);
  CHECK(get("/health").status == 200);
  CHECK(get("/readiness").status == 200);
  CHECK(get("/ready").status == 200);
  CHECK(get("/providers").status == 200);
  CHECK(body(get("/providers"))["generation"] == 3);
  CHECK(get("/providers/AWS-Secrets-Manager/ready").status == 200);
  CHECK(get("/providers/Azure-Key-Vault/ready").status == 503);
  auto unknown = get("/nope");
  CHECK(unknown.status == 404);
  CHECK(body(unknown)["error"] == "unknown endpoint /nope");
  const auto endpoints = body(unknown)["endpoints"];
  CHECK(std::find(endpoints.begin(), endpoints.end(), "GET /ready") != endpoints.end());
  CHECK(std::find(endpoints.begin(), endpoints.end(), "GET /providers/{provider}/ready") != endpoints.end());
}

namespace {
http::Request pollRequest(const std::string& query) {
  http::Request r;
  r.method = "GET";
  r.path = "/providers/GCP-Secret-Manager/ready";
  r.query = query;
  r.target = r.path + (query.empty() ? "" : "?" + query);
  return r;
}
void publishGcp(ManagerStatus& status, std::uint64_t generation) {
  auto s = readySnapshot();
  s.published[2].generation = generation;
  status.setBrokerHealth(true, "");
  status.setPublication(true, generation, s.published, {});
}
}  // namespace

TEST_CASE("/providers/{p}/ready?after=G long-polls until the provider's generation exceeds G", "[manager][health][longpoll]") {
  ManagerStatus status;
  publishGcp(status, 1);

  SECTION("without after: answered at once, as before") {
    auto r = providerReadyLongPoll(status, "GCP-Secret-Manager", pollRequest(""));
    CHECK_FALSE(r.deferred);
    CHECK(body(r)["generation"] == 1);
  }
  SECTION("a generation already past: answered at once (parked already complete)") {
    auto r = providerReadyLongPoll(status, "GCP-Secret-Manager", pollRequest("after=0&wait=5"));
    REQUIRE(r.deferred);
    CHECK(r.deferred->done());
    std::optional<http::Response> got;
    r.deferred->attach([&](http::Response answer) { got = std::move(answer); });
    REQUIRE(got);
    CHECK(body(*got)["generation"] == 1);
  }
  SECTION("the current generation: parked until the next publication of this provider") {
    auto r = providerReadyLongPoll(status, "GCP-Secret-Manager", pollRequest("after=1&wait=20"));
    REQUIRE(r.deferred);
    CHECK(r.delay == std::chrono::milliseconds(20'000));
    std::optional<http::Response> got;
    r.deferred->attach([&](http::Response answer) { got = std::move(answer); });
    CHECK_FALSE(got);
    CHECK(status.waiterCount() == 1);
    status.setBrokerHealth(true, "");  // not a new publication of the provider
    CHECK_FALSE(got);
    publishGcp(status, 4);
    REQUIRE(got);
    CHECK(got->status == 200);
    CHECK(body(*got)["generation"] == 4);
    CHECK(status.waiterCount() == 0);
  }
  SECTION("at the timeout: the current state") {
    auto r = providerReadyLongPoll(status, "GCP-Secret-Manager", pollRequest("after=1&wait=1"));
    REQUIRE(r.deferred);
    REQUIRE(r.deferred->claim());  // what the server does at the timeout
    CHECK(body(r.deferred->timeoutResponse())["generation"] == 1);
    // The finished waiter is dropped when the next one registers.
    auto next = providerReadyLongPoll(status, "GCP-Secret-Manager", pollRequest("after=1"));
    CHECK(next.delay == std::chrono::milliseconds(static_cast<long>(kLongPollDefaultWaitSeconds * 1000)));
    CHECK(status.waiterCount() == 1);
  }
  SECTION("bad parameters are a 400") {
    CHECK(providerReadyLongPoll(status, "GCP-Secret-Manager", pollRequest("after=-1")).status == 400);
    CHECK(providerReadyLongPoll(status, "GCP-Secret-Manager", pollRequest("after=x")).status == 400);
    CHECK(providerReadyLongPoll(status, "GCP-Secret-Manager", pollRequest("after=1&wait=600")).status == 400);
    CHECK(providerReadyLongPoll(status, "GCP-Secret-Manager", pollRequest("after=1&wait=soon")).status == 400);
  }
}
