#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "Answered.h"
#include "TestPacts.h"
#include "mockserver/MockService.h"
#include "pact/PactParser.h"

using namespace pactmocks;
using namespace pactmocks::mockserver;

namespace {

struct Fixture {
  PactStore store;
  MockMetrics metrics;
  RequestJournal journal{10};
  int reloads = 0;
  MockService service{MockServiceOptions{"Azure-Key-Vault", ErrorStyle::AzureKeyVault, 1236, {}, "test", 500, std::nullopt}, store,
                      metrics, journal, [this](auto done) {
                        ++reloads;
                        done(ReloadOutcome{ok(), store.current()});
                      }};

  void load() {
    std::vector<pact::Pact> pacts;
    pacts.push_back(pact::parsePact(testing::smallPact("Azure-Key-Vault"), "small.json"));
    auto loaded = std::make_shared<LoadedPacts>(pact::InteractionIndex(std::move(pacts)), PactSource::Directory);
    loaded->pacts.push_back({"Secret-Manager-Controller", "Azure-Key-Vault", "small.json", 3});
    store.publish(std::move(loaded));
  }

  http::Response send(const std::string& method, const std::string& target,
                      std::initializer_list<std::pair<const char*, const char*>> headers = {}, std::string body = {}) {
    http::Request r;
    r.method = method;
    r.target = target;
    auto q = target.find('?');
    r.path = target.substr(0, q);
    r.query = q == std::string::npos ? "" : target.substr(q + 1);
    for (auto& [n, v] : headers) r.headers.add(n, v);
    r.body = std::move(body);
    return testing::answered(service.handle(r));
  }
};

nlohmann::json json(const http::Response& r) { return nlohmann::json::parse(r.body); }

}  // namespace

TEST_CASE("before contracts are loaded: /health is 503 starting, mock traffic 503", "[service]") {
  Fixture f;
  auto health = f.send("GET", "/health");
  CHECK(health.status == 503);
  CHECK(json(health)["status"] == "starting");
  auto mock = f.send("GET", "/secrets/test-secret?api-version=7.4");
  CHECK(mock.status == 503);
  CHECK(json(mock)["error"]["code"] == "ServiceUnavailable");
}

TEST_CASE("a matched request gets the contract response with generators applied", "[service]") {
  Fixture f;
  f.load();
  auto r = f.send("GET", "/secrets/test-secret?api-version=7.4", {{"X-Pact-Provider-State", "secret exists"}});
  REQUIRE(r.status == 200);
  auto body = json(r);
  CHECK(body["value"] == "s3cr3t");
  CHECK(body["id"] != "fixed");  // Uuid generator
  CHECK(body["id"].get<std::string>().size() == 36);
  CHECK(r.headers.get("X-Pact-Interaction") == std::optional<std::string_view>("get secret test-secret"));
  CHECK(f.metrics.requests(Outcome::Matched) == 1);
}

TEST_CASE("a MockServerURL generator points at the Host the request named, else at the mock's port", "[service]") {
  Fixture f;
  std::vector<pact::Pact> pacts;
  pacts.push_back(pact::parsePact(R"({"consumer":{"name":"C"},"provider":{"name":"Azure-Key-Vault"},
    "metadata":{"pactSpecification":{"version":"3.0.0"}},
    "interactions":[
      {"description":"link","request":{"method":"GET","path":"/link"},
       "response":{"status":200,"headers":{"Content-Type":"application/json"},"body":{"next":"http://x/orders/7"},
                   "generators":{"body":{"$.next":{"type":"MockServerURL","regex":".*(/orders/\\d+)$","example":"http://x/orders/7"}}}}},
      {"description":"static","request":{"method":"GET","path":"/static"},
       "response":{"status":200,"headers":{"Content-Type":"application/json"},"body":{"next":"http://x/orders/7"}}}]})",
                                  "links.json"));
  f.store.publish(std::make_shared<LoadedPacts>(pact::InteractionIndex(std::move(pacts)), PactSource::Directory));
  CHECK(json(f.send("GET", "/link", {{"Host", "vault.test:8443"}}))["next"] == "http://vault.test:8443/orders/7");
  CHECK(json(f.send("GET", "/link"))["next"] == "http://localhost:1236/orders/7");
  CHECK(json(f.send("GET", "/static", {{"Host", "vault.test:8443"}}))["next"] == "http://x/orders/7");  // no generator
}

TEST_CASE("provider-state header selects among equal requests", "[service]") {
  Fixture f;
  f.load();
  auto gone = f.send("GET", "/secrets/test-secret?api-version=7.4", {{"X-Pact-Provider-State", "secret deleted"}});
  CHECK(gone.status == 404);
  auto exists = f.send("GET", "/secrets/test-secret?api-version=7.4", {{"X-Pact-Provider-State", "secret exists"}});
  CHECK(exists.status == 200);
}

TEST_CASE("no match: 500 report with the closest interactions and X-Pact header", "[service]") {
  Fixture f;
  f.load();
  auto r = f.send("PUT", "/secrets/test-secret?api-version=7.4", {{"Content-Type", "application/json"}},
                  R"({"value":"other"})");
  CHECK(r.status == 500);
  CHECK(r.headers.get("X-Pact") == std::optional<std::string_view>("Request-Mismatch"));
  auto body = json(r);
  // Azure's envelope, whose message names the nearest interaction and why it did not match.
  CHECK(body["error"]["code"] == "PactRequestMismatch");
  const std::string message = body["error"]["message"];
  CHECK(message.starts_with("No matching interaction found for PUT /secrets/test-secret; nearest 'set secret test-secret': "));
  CHECK(message.find("$.body.value") != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
  CHECK(body["request"]["method"] == "PUT");
  CHECK(body["request"]["path"] == "/secrets/test-secret");
  CHECK(body["request"]["body"]["value"] == "other");
  REQUIRE(body["closest"].size() >= 1);
  CHECK(body["closest"][0]["description"] == "set secret test-secret");
  CHECK(body["closest"][0]["mismatches"].size() >= 1);
  CHECK(f.metrics.requests(Outcome::Unmatched) == 1);
  auto journal = json(f.send("GET", "/__admin/requests"));
  REQUIRE(journal["requests"].size() == 1);
  CHECK(journal["requests"][0]["outcome"] == "unmatched");
  CHECK(journal["requests"][0]["closest"].size() >= 1);
}

TEST_CASE("no match: each provider's error envelope, NO_MATCH_STATUS", "[service]") {
  struct Case {
    const char* provider;
    ErrorStyle style;
    int status;
  };
  for (auto c : {Case{"AWS-Secrets-Manager", ErrorStyle::AwsJson, 500}, Case{"GCP-Secret-Manager", ErrorStyle::GoogleApis, 501},
                 Case{"Azure-Key-Vault", ErrorStyle::AzureKeyVault, 501}}) {
    INFO(c.provider);
    PactStore store;
    MockMetrics metrics;
    RequestJournal journal{10};
    MockServiceOptions options{c.provider, c.style, 1234, {}, "test", c.status, std::nullopt};
    MockService service(options, store, metrics, journal, nullptr);
    std::vector<pact::Pact> pacts;
    pacts.push_back(pact::parsePact(testing::smallPact(c.provider), "small.json"));
    store.publish(std::make_shared<LoadedPacts>(pact::InteractionIndex(std::move(pacts)), PactSource::Directory));
    http::Request request;
    request.method = "DELETE";
    request.target = request.path = "/nowhere";
    auto r = service.handle(request);
    CHECK(r.status == c.status);
    auto body = json(r);
    std::string message;
    switch (c.style) {
      case ErrorStyle::AwsJson:
        CHECK(body["__type"] == "PactRequestMismatch");
        CHECK(r.headers.get("X-Amzn-ErrorType") == std::optional<std::string_view>("PactRequestMismatch"));
        message = body["message"];
        break;
      case ErrorStyle::GoogleApis:
        CHECK(body["error"]["code"] == 501);
        CHECK(body["error"]["status"] == "UNIMPLEMENTED");
        message = body["error"]["message"];
        break;
      case ErrorStyle::AzureKeyVault:
        CHECK(body["error"]["code"] == "PactRequestMismatch");
        message = body["error"]["message"];
        break;
    }
    CHECK(message.starts_with("No matching interaction found for DELETE /nowhere; nearest '"));
    CHECK(message.find("path: Expected path") != std::string::npos);
    // The full report sits beside the envelope.
    CHECK(body["request"]["path"] == "/nowhere");
    CHECK_FALSE(body["closest"].empty());
  }
}

TEST_CASE("Key Vault challenge: a token-less request no interaction matches gets the 401 Bearer challenge", "[service]") {
  PactStore store;
  MockMetrics metrics;
  RequestJournal journal{10};
  MockServiceOptions options{"Azure-Key-Vault", ErrorStyle::AzureKeyVault, 1236, {}, "test", 500, "my-tenant"};
  MockService service(options, store, metrics, journal, nullptr);
  std::vector<pact::Pact> pacts;
  pacts.push_back(pact::parsePact(testing::smallPact("Azure-Key-Vault"), "small.json"));
  store.publish(std::make_shared<LoadedPacts>(pact::InteractionIndex(std::move(pacts)), PactSource::Directory));
  auto send = [&](const char* method, std::initializer_list<std::pair<const char*, const char*>> headers, std::string body = {}) {
    http::Request r;
    r.method = method;
    r.target = "/secrets/test-secret?api-version=7.4";
    r.path = "/secrets/test-secret";
    r.query = "api-version=7.4";
    for (auto& [n, v] : headers) r.headers.add(n, v);
    r.body = std::move(body);
    return service.handle(r);
  };
  // The SDK's first PUT: no token, no body.
  auto challenge = send("PUT", {{"Content-Length", "0"}});
  CHECK(challenge.status == 401);
  CHECK(challenge.headers.get("WWW-Authenticate") ==
        std::optional<std::string_view>(
            R"(Bearer authorization="https://login.microsoftonline.com/my-tenant", resource="https://vault.azure.net")"));
  CHECK(json(challenge)["error"]["code"] == "Unauthorized");
  CHECK(metrics.requests(Outcome::Challenge) == 1);
  CHECK(metrics.requests(Outcome::Unmatched) == 0);
  // An interaction that matches a token-less request wins over the challenge.
  CHECK(send("GET", {{"X-Pact-Provider-State", "secret exists"}}).status == 200);
  // With a token, a mismatch is reported as usual.
  auto mismatch = send("PUT", {{"Authorization", "Bearer t"}, {"Content-Type", "application/json"}}, R"({"value":"other"})");
  CHECK(mismatch.status == 500);
  http::Request journalRequest;
  journalRequest.method = "GET";
  journalRequest.target = journalRequest.path = "/__admin/requests";
  auto entries = json(service.handle(journalRequest))["requests"];
  REQUIRE(entries.size() == 3);
  int challenges = 0, unmatched = 0;
  for (const auto& e : entries) {
    challenges += e["outcome"] == "challenge";
    unmatched += e["outcome"] == "unmatched";
  }
  CHECK(challenges == 1);
  CHECK(unmatched == 1);
}

TEST_CASE("faults come before matching; admin endpoints are never faulted", "[service]") {
  Fixture f;
  f.load();
  auto limited = f.send("GET", "/secrets/test-secret?api-version=7.4", {{"X-Rate-Limit", "true"}});
  CHECK(limited.status == 429);
  CHECK(json(limited)["error"]["code"] == "Throttled");
  CHECK(limited.headers.get("Retry-After") == std::optional<std::string_view>("60"));
  // Even a request that matches nothing is faulted.
  CHECK(f.send("GET", "/nothing", {{"X-Auth-Failure", "401"}}).status == 401);
  auto delayed = f.send("GET", "/secrets/test-secret?api-version=7.4", {{"X-Fault-Delay-Ms", "15"}});
  CHECK(delayed.status == 200);
  CHECK(delayed.delay == std::chrono::milliseconds(15));
  CHECK(f.send("GET", "/health", {{"X-Service-Unavailable", "true"}}).status == 200);
  CHECK(f.send("GET", "/metrics", {{"X-Auth-Failure", "401"}}).status == 200);
  CHECK(f.send("GET", "/__admin/interactions", {{"X-Fault", "reset"}}).fault == http::Response::Fault::None);
  CHECK(f.metrics.requests(Outcome::Fault) == 2);
}

TEST_CASE("health, interactions, journal clearing and reload", "[service]") {
  Fixture f;
  f.load();
  auto health = json(f.send("GET", "/health"));
  CHECK(health["status"] == "ok");
  CHECK(health["source"] == "dir");
  CHECK(health["interactions"] == 3);
  CHECK(health["provider"] == "Azure-Key-Vault");
  CHECK(health["loaded_at"].is_string());
  auto list = json(f.send("GET", "/__admin/interactions"));
  REQUIRE(list["interactions"].size() == 3);
  CHECK(list["interactions"][0]["description"] == "get secret test-secret");
  CHECK(list["interactions"][0]["providerStates"][0] == "secret exists");
  CHECK(list["interactions"][0]["method"] == "GET");
  CHECK(list["interactions"][0]["consumer"] == "Secret-Manager-Controller");
  f.send("GET", "/secrets/test-secret?api-version=7.4");
  CHECK(json(f.send("GET", "/__admin/requests"))["requests"].size() == 1);
  CHECK(f.send("DELETE", "/__admin/requests").status == 200);
  CHECK(json(f.send("GET", "/__admin/requests"))["requests"].empty());
  auto reload = f.send("POST", "/__admin/reload");
  CHECK(reload.status == 200);
  CHECK(f.reloads == 1);
  CHECK(f.send("GET", "/__admin/reload").status == 405);
  CHECK(f.send("GET", "/__admin/unknown").status == 404);
  auto metrics = f.send("GET", "/metrics");
  CHECK_THAT(metrics.body, Catch::Contains("pactmocks_interactions_loaded"));
}

TEST_CASE("routing: the mock's own paths answer 405 with Allow to other methods and are never faulted or matched",
          "[service][routing]") {
  Fixture f;
  f.load();
  auto post = f.send("POST", "/health");
  CHECK(post.status == 405);
  CHECK(post.headers.get("Allow") == std::optional<std::string_view>("GET, HEAD"));
  CHECK(f.send("PUT", "/__admin/requests").headers.get("Allow") == std::optional<std::string_view>("GET, DELETE"));
  CHECK(f.send("DELETE", "/metrics").headers.get("Allow") == std::optional<std::string_view>("GET"));
  CHECK(f.send("HEAD", "/health/ready").status == 200);
  // Every reserved path, known or not, stays out of the fault layer and the contracts.
  for (const char* path : {"/health", "/health/ready", "/metrics", "/__admin", "/__admin/interactions",
                           "/__admin/requests", "/__admin/coverage", "/__admin/verify", "/__admin/unknown"}) {
    CAPTURE(path);
    CHECK(isExemptFromFaults(path));
    auto r = f.send("GET", path, {{"X-Service-Unavailable", "true"}});
    CHECK(r.status != 503);
    CHECK_FALSE(r.headers.contains("X-Pact-Interaction"));
  }
  CHECK(f.metrics.requests(Outcome::Fault) == 0);
  // Short paths are contract traffic like any other (no length rule).
  CHECK(f.send("GET", "/", {{"X-Service-Unavailable", "true"}}).status == 503);
}

TEST_CASE("coverage: a hit on the matched interaction, with the injected fault; an unmatched request near one", "[service][coverage]") {
  Fixture f;
  f.load();
  CHECK(f.send("GET", "/secrets/test-secret?api-version=7.4", {{"X-Pact-Provider-State", "secret deleted"}}).status == 404);
  CHECK(f.send("GET", "/secrets/test-secret?api-version=7.4",
               {{"X-Pact-Provider-State", "secret deleted"}, {"X-Service-Unavailable", "true"}})
            .status == 503);
  CHECK(f.send("GET", "/secrets/test-secret?api-version=7.4",
               {{"X-Pact-Provider-State", "secret deleted"}, {"X-Fault-Delay-Ms", "1"}})
            .status == 404);
  CHECK(f.send("PUT", "/secrets/test-secret?api-version=7.4", {{"Content-Type", "application/json"}, {"Authorization", "Bearer t"}},
               R"({"value":"other"})")
            .status == 500);
  // A faulted request that matches nothing is not an unmatched one.
  CHECK(f.send("DELETE", "/elsewhere", {{"X-Rate-Limit", "true"}}).status == 429);

  const auto s = f.store.coverage().snapshot();
  REQUIRE(s.interactions.size() == 3);
  CHECK(s.interactions[1].hits == 3);
  CHECK(s.interactions[1].faults == std::map<std::string, std::uint64_t>{{"delay", 1}, {"unavailable", 1}});
  CHECK(s.exercised() == 1);
  CHECK(s.unmatchedRequests == 1);
  REQUIRE(s.unmatched.size() == 1);
  CHECK(s.unmatched[0].nearestDescription == "set secret test-secret");
  CHECK(s.unmatched[0].nearestConsumer == "Secret-Manager-Controller");  // from the index's near miss
  CHECK_FALSE(s.unmatched[0].mismatches.empty());

  const auto coverage = f.send("GET", "/__admin/coverage");
  CHECK(coverage.status == 200);
  CHECK(json(coverage)["totals"]["exercised"] == 1);
  const auto verify = f.send("GET", "/__admin/verify?state=secret%20deleted");
  CHECK(verify.status == 200);  // the unmatched PUT was near "set secret", whose state is "secret exists": not here
  CHECK(json(verify)["unexercised"].empty());
  CHECK(json(verify)["unmatched"].empty());
  CHECK(f.send("POST", "/__admin/reset").status == 200);
  CHECK(f.store.coverage().snapshot().exercised() == 0);
  CHECK(f.journal.entries().empty());
}

TEST_CASE("coverage: counts survive publishing an unchanged set of pacts", "[service][coverage]") {
  Fixture f;
  f.load();
  REQUIRE(f.send("GET", "/secrets/test-secret?api-version=7.4", {{"X-Pact-Provider-State", "secret exists"}}).status == 200);
  f.load();  // a reload: new objects, same contract
  REQUIRE(f.send("GET", "/secrets/test-secret?api-version=7.4", {{"X-Pact-Provider-State", "secret exists"}}).status == 200);
  CHECK(f.store.coverage().snapshot().interactions[0].hits == 2);
}
