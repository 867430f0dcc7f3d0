#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http/Router.h"

using namespace pactmocks::http;

namespace {
Request makeRequest(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = path;
  r.target = std::move(path);
  return r;
}

Handler answer(std::string tag) {
  return [tag](Request&) { return Response::text(200, tag); };
}
}  // namespace

TEST_CASE("literal routes match exactly", "[http][router]") {
  Router router;
  router.get("/health", answer("health")).get("/", answer("root"));
  auto health = makeRequest("GET", "/health");
  CHECK(router.handle(health).body == "health");
  auto root = makeRequest("GET", "/");
  CHECK(router.handle(root).body == "root");
  auto sub = makeRequest("GET", "/health/extra");
  CHECK(router.handle(sub).status == 404);
  auto trailing = makeRequest("GET", "/health/");
  CHECK(router.handle(trailing).status == 404);
}

TEST_CASE("captures take one segment, percent-decoded", "[http][router]") {
  Router router;
  router.get("/providers/{provider}/ready", [](Request& r) { return Response::text(200, std::string(r.param("provider"))); });
  auto req = makeRequest("GET", "/providers/AWS%20Secrets%2FManager/ready");
  auto res = router.handle(req);
  CHECK(res.status == 200);
  CHECK(res.body == "AWS Secrets/Manager");

  auto tooDeep = makeRequest("GET", "/providers/a/b/ready");
  CHECK(router.handle(tooDeep).status == 404);
}

TEST_CASE("a rest capture takes the remaining segments", "[http][router]") {
  Router router;
  router.add("*", "/mock/{rest...}", [](Request& r) { return Response::text(200, std::string(r.param("rest"))); });
  auto deep = makeRequest("DELETE", "/mock/a/b%20c/d");
  CHECK(router.handle(deep).body == "a/b c/d");
  auto empty = makeRequest("GET", "/mock");
  CHECK(router.handle(empty).body == "");
}

TEST_CASE("routes are tried in the order added", "[http][router]") {
  Router router;
  router.get("/pacts/latest", answer("literal")).get("/pacts/{name}", answer("capture"));
  auto latest = makeRequest("GET", "/pacts/latest");
  CHECK(router.handle(latest).body == "literal");
  auto other = makeRequest("GET", "/pacts/other");
  CHECK(router.handle(other).body == "capture");
}

TEST_CASE("unknown path gives 404 JSON, or the fallback", "[http][router]") {
  Router router;
  router.get("/a", answer("a"));
  auto req = makeRequest("GET", "/nope");
  auto res = router.handle(req);
  CHECK(res.status == 404);
  CHECK(nlohmann::json::parse(res.body).contains("error"));

  router.fallback([](Request& r) { return Response::text(418, "fallback " + r.path); });
  auto again = makeRequest("GET", "/nope");
  CHECK(router.handle(again).status == 418);
  CHECK(router.handle(again).body == "fallback /nope");
}

TEST_CASE("known path with another method gives 405 with Allow", "[http][router]") {
  Router router;
  router.get("/secrets/{id}", answer("get")).put("/secrets/{id}", answer("put")).post("/other", answer("post"));
  auto req = makeRequest("DELETE", "/secrets/7");
  auto res = router.handle(req);
  CHECK(res.status == 405);
  CHECK(res.headers.get("Allow") == std::optional<std::string_view>("GET, PUT"));
  CHECK(req.params.empty());
}

TEST_CASE("the wildcard method matches anything", "[http][router]") {
  Router router;
  router.add("*", "/any", answer("any"));
  for (const char* m : {"GET", "POST", "PATCH", "OPTIONS"}) {
    auto req = makeRequest(m, "/any");
    CHECK(router.handle(req).body == "any");
  }
}

TEST_CASE("asHandler keeps working after the router is gone", "[http][router]") {
  Handler handler;
  {
    Router router;
    router.get("/x", answer("x"));
    handler = router.asHandler();
  }
  auto req = makeRequest("GET", "/x");
  CHECK(handler(req).body == "x");
}

TEST_CASE("a rest capture must be the last segment", "[http][router]") {
  Router router;
  CHECK_THROWS(router.get("/{rest...}/x", answer("bad")));
}

TEST_CASE("the first-segment shortcut sends only unroutable paths to the fallback", "[http][router]") {
  Router router;
  router.get("/health", answer("health")).post("/__admin/reload", answer("reload")).fallback(answer("fallback"));
  auto encoded = makeRequest("GET", "/%68ealth");  // "health", percent-encoded: still the route
  CHECK(router.handle(encoded).body == "health");
  auto contract = makeRequest("POST", "/v1/projects/p/secrets");
  CHECK(router.handle(contract).body == "fallback");
  auto root = makeRequest("POST", "/");
  CHECK(router.handle(root).body == "fallback");
  auto wrongMethod = makeRequest("GET", "/__admin/reload");
  CHECK(router.handle(wrongMethod).status == 405);

  Router captureFirst;
  captureFirst.get("/{tenant}/status", answer("status")).fallback(answer("fallback"));
  auto status = makeRequest("GET", "/acme/status");
  CHECK(captureFirst.handle(status).body == "status");
  CHECK(status.params.at("tenant") == "acme");
  auto other = makeRequest("GET", "/acme/other");
  CHECK(captureFirst.handle(other).body == "fallback");
}
