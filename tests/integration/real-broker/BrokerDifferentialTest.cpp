// The broker stand-in proven against the real Pact Broker: the same sequence of calls (every call
// the manager and the mocks make, and the error cases) goes to both; the statuses must be equal,
// and so must the shape (JSON type, array length) of every field the project reads, the headers
// it reads, and the interactions the broker stores.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "RealBrokerStage.h"
#include "TestProcess.h"
#include "broker/BrokerClient.h"
#include "core/Base64.h"

using namespace pactmocks;
using namespace pactmocks::testsupport;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

using Headers = std::map<std::string, std::string>;

struct Target {
  std::string name;
  std::uint16_t port;
};

// What one call is and what of its answer must agree.
struct Call {
  std::string what;
  std::string method;
  // The path may depend on an earlier answer of the same target (a link it returned).
  std::function<std::string(const Target&)> path;
  std::string body{};
  Headers headers{};
  std::vector<std::string> pointers{};      // JSON pointers whose shape must agree
  std::vector<std::string> headerNames{};   // lower-case headers whose presence must agree
  std::vector<std::string> headerValues{};  // lower-case headers whose value must agree
  bool compareInteractions = false;       // the stored interactions (without _id) must agree
};

std::string shapeOf(const json& doc, const std::string& pointer) {
  json::json_pointer ptr(pointer);
  if (!doc.is_object() && !doc.is_array()) return "absent";
  if (!doc.contains(ptr)) return "absent";
  const json& value = doc.at(ptr);
  if (value.is_array()) return "array[" + std::to_string(value.size()) + "]";
  return value.type_name();
}

json interactionsWithoutIds(const json& doc) {
  if (!doc.is_object() || !doc.contains("interactions")) return json();
  std::vector<std::string> items;
  for (auto interaction : doc["interactions"]) {
    interaction.erase("_id");
    items.push_back(interaction.dump());
  }
  std::sort(items.begin(), items.end());
  return items;
}

std::string pathOf(const std::string& href) {
  auto scheme = href.find("://");
  if (scheme == std::string::npos) return href;
  auto slash = href.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : href.substr(slash);
}

std::string pactJson(const std::string& consumer, const std::string& provider, std::vector<std::string> paths,
                     const std::string& metadataExtra = {}) {
  json interactions = json::array();
  for (const auto& p : paths)
    interactions.push_back({{"description", "get " + p},
                            {"providerState", "a secret exists"},
                            {"request", {{"method", "GET"}, {"path", p}}},
                            {"response", {{"status", 200}, {"body", {{"path", p}}}}}});
  json metadata = {{"pactSpecification", {{"version", "3.0.0"}}}};
  if (!metadataExtra.empty()) metadata["pactRust"] = {{"models", metadataExtra}};
  return json{{"consumer", {{"name", consumer}}}, {"provider", {{"name", provider}}}, {"interactions", interactions},
              {"metadata", metadata}}
      .dump();
}

}  // namespace

TEST_CASE("the broker stand-in answers every call the project makes as the real Pact Broker does",
          "[real-broker][differential]") {
  auto& stage = realbroker::RealBrokerStage::get();
  auto& real = stage.shared();

  ProcessOptions standinOptions;
  standinOptions.executable = builtExecutable("pact-broker-standin");
  std::uint16_t standinPort = freePort();
  standinOptions.args = {"--port", std::to_string(standinPort), "--address", "127.0.0.1"};
  if (!real.username().empty())
    standinOptions.args.insert(standinOptions.args.end(), {"--username", real.username(), "--password", real.password()});
  auto standin = TestProcess::start(standinOptions);
  REQUIRE(waitForHttpStatus(standinPort, "/diagnostic/status/heartbeat", 200, 10s));

  const std::string consumer = "Diff-Consumer-" + stage.runId();
  const std::string provider = "Diff-Provider-" + stage.runId();
  const std::string pacts = "/pacts/provider/" + provider + "/consumer/" + consumer;
  const std::string branch = "/pacticipants/" + consumer + "/branches/main/versions/";
  const std::string accept = broker::kBrokerAccept;
  const Headers auth{{"Authorization", "Basic " + base64Encode(real.username() + ":" + real.password())}};
  auto with = [](Headers a, const Headers& b) {
    for (const auto& [k, v] : b) a[k] = v;
    return a;
  };
  const Headers write = with(auth, {{"Content-Type", "application/json"}, {"Accept", accept}});
  auto fixed = [](std::string p) { return [p](const Target&) { return p; }; };

  const std::string v1 = pactJson(consumer, provider, {"/a", "/b"});
  const std::string v1Reordered = pactJson(consumer, provider, {"/b", "/a"}, "1.2.3");
  const std::string v1Changed = pactJson(consumer, provider, {"/a", "/c"});
  const std::string v2 = pactJson(consumer, provider, {"/a", "/b", "/d"});

  const std::string hookUuid = "pactmocks-differential-" + stage.runId();
  // https: the broker's default scheme whitelist; no host whitelist: any host.
  auto webhook = [&](const std::string& hookProvider) {
    return json{{"description", "differential " + stage.runId()},
                {"events", {{{"name", "contract_content_changed"}}}},
                {"provider", {{"name", hookProvider}}},
                {"enabled", true},
                {"request",
                 {{"method", "POST"},
                  {"url", "https://127.0.0.1:9/hook"},
                  {"headers", {{"Content-Type", "application/json"}}},
                  {"body", {{"pact", "${pactbroker.pactUrl}"}}}}}}
        .dump();
  };
  // Links returned by the latest-pacts list, per target, for the follow-up fetch.
  std::map<std::string, std::string> firstPactHref;

  const bool authOn = !real.username().empty();
  std::vector<Call> calls = {
      {"heartbeat with the project's Accept", "GET", fixed("/diagnostic/status/heartbeat"), "", {{"Accept", accept}},
       {"/ok"}},
      {"heartbeat with Accept: application/json alone", "GET", fixed("/diagnostic/status/heartbeat"), "",
       {{"Accept", "application/json"}}},
      {"heartbeat without Accept", "GET", fixed("/diagnostic/status/heartbeat"), "", {}, {"/ok"}},
      {"heartbeat with Accept: */*", "GET", fixed("/diagnostic/status/heartbeat"), "", {{"Accept", "*/*"}}, {"/ok"}},
      {"heartbeat with Accept: text/plain", "GET", fixed("/diagnostic/status/heartbeat"), "", {{"Accept", "text/plain"}}},
      {"publish without credentials", "PUT", fixed(pacts + "/version/1"), v1,
       {{"Content-Type", "application/json"}, {"Accept", accept}}, {}, {"www-authenticate"}},
      {"publish with wrong credentials", "PUT", fixed(pacts + "/version/1"), v1,
       {{"Content-Type", "application/json"}, {"Accept", accept}, {"Authorization", "Basic " + base64Encode("pact:wrong")}},
       {}, {"www-authenticate"}},
      {"publish without Content-Type", "PUT", fixed(pacts + "/version/1"), v1, with(auth, {{"Accept", accept}})},
      {"publish invalid JSON", "PUT", fixed(pacts + "/version/1"), "{\"consumer\":", write, {"/error"}},
      {"publish with names not matching the URL", "PUT",
       fixed("/pacts/provider/Other-" + provider + "/consumer/Other-" + consumer + "/version/1"), v1, write,
       {"/errors/consumer.name/0", "/errors/provider.name/0"}},
      {"publish a new version", "PUT", fixed(pacts + "/version/1"), v1, write,
       {"/interactions/0/_id", "/interactions", "/consumer/name", "/provider/name", "/_links/pb:consumer-version/name"},
       {"location"}},
      {"publish the same content again", "PUT", fixed(pacts + "/version/1"), v1, write, {"/interactions"}},
      {"publish reordered interactions and new metadata under the same version", "PUT", fixed(pacts + "/version/1"),
       v1Reordered, write, {"/interactions"}},
      {"publish changed content under an existing version", "PUT", fixed(pacts + "/version/1"), v1Changed, write,
       {"/error"}},
      {"publish with Accept: text/plain", "PUT", fixed(pacts + "/version/2"), v2,
       with(write, {{"Accept", "text/plain"}})},
      {"latest after a refused publish is still version 1", "GET", fixed(pacts + "/latest"), "", {{"Accept", accept}},
       {"/interactions"}, {}, {"x-pact-consumer-version"}},
      {"publish with Accept: application/json alone", "PUT", fixed(pacts + "/version/2"), v2,
       with(write, {{"Accept", "application/json"}}), {"/interactions"}},
      {"record a branch with Accept: application/json alone", "PUT", fixed(branch + "2"), "{}",
       with(write, {{"Accept", "application/json"}})},
      {"record a branch without credentials", "PUT", fixed(branch + "2"), "{}",
       {{"Content-Type", "application/json"}, {"Accept", accept}}},
      {"record a branch without Content-Type", "PUT", fixed(branch + "2"), "{}", with(auth, {{"Accept", accept}})},
      {"record a branch", "PUT", fixed(branch + "2"), "{}", write,
       {"/createdAt", "/_links/self/href", "/_links/pb:branch/name", "/_links/pb:version/name"}, {"location"}},
      {"record the same branch again", "PUT", fixed(branch + "2"), "{}", write, {"/createdAt"}},
      {"latest pact of the pair", "GET", fixed(pacts + "/latest"), "", {{"Accept", accept}},
       {"/consumer/name", "/provider/name", "/interactions", "/interactions/0/_id", "/interactions/0/request/method",
        "/createdAt", "/_links/pb:consumer-version/name"},
       {}, {"x-pact-consumer-version"}, true},
      {"latest pact with Accept: application/json alone", "GET", fixed(pacts + "/latest"), "",
       {{"Accept", "application/json"}}, {"/interactions"}, {}, {"x-pact-consumer-version"}, true},
      {"latest pact with Accept: text/plain", "GET", fixed(pacts + "/latest"), "", {{"Accept", "text/plain"}}},
      {"latest pact of an unknown pair", "GET", fixed("/pacts/provider/" + provider + "/consumer/Nobody/latest"), "",
       {{"Accept", accept}}, {"/error"}},
      {"a pact version", "GET", fixed(pacts + "/version/1"), "", {{"Accept", accept}}, {"/interactions"}, {},
       {"x-pact-consumer-version"}, true},
      {"an unknown pact version", "GET", fixed(pacts + "/version/999"), "", {{"Accept", accept}}, {"/error"}},
      {"latest pacts of the provider", "GET", fixed("/pacts/provider/" + provider + "/latest"), "",
       {{"Accept", accept}},
       {"/_links/pb:pacts", "/_links/pb:pacts/0/href", "/_links/pb:pacts/0/name", "/_links/pacts",
        "/_links/pacts/0/href", "/_links/pb:provider/name"}},
      {"latest pacts of the provider with Accept: application/json alone", "GET",
       fixed("/pacts/provider/" + provider + "/latest"), "", {{"Accept", "application/json"}}},
      {"latest pacts of a pacticipant that is only a consumer", "GET", fixed("/pacts/provider/" + consumer + "/latest"),
       "", {{"Accept", accept}}, {"/_links/pb:pacts", "/_links/pacts"}},
      {"latest pacts of an unknown provider", "GET", fixed("/pacts/provider/Nobody-" + provider + "/latest"), "",
       {{"Accept", accept}}, {"/error"}},
      {"the pact behind the provider list's link", "GET",
       [&](const Target& t) { return firstPactHref.at(t.name); }, "", {{"Accept", accept}},
       {"/interactions", "/consumer/name"}, {}, {"x-pact-consumer-version"}, true},
      // The webhook API (webhooks declared in the ConfigMap's webhooks.json).
      {"create a pacticipant for a webhook filter", "POST", fixed("/pacticipants"),
       json{{"name", "Hooked-" + provider}}.dump(), write, {"/name"}},
      {"create a webhook", "PUT", fixed("/webhooks/" + hookUuid), webhook("Hooked-" + provider), write,
       {"/uuid", "/description", "/enabled", "/request/url", "/_links/self/href"}},
      {"update the webhook", "PUT", fixed("/webhooks/" + hookUuid), webhook("Hooked-" + provider), write,
       {"/uuid", "/enabled"}},
      {"create a webhook without credentials", "PUT", fixed("/webhooks/" + hookUuid), webhook("Hooked-" + provider),
       {{"Content-Type", "application/json"}, {"Accept", accept}}},
      {"create a webhook with Accept: application/json alone", "PUT", fixed("/webhooks/" + hookUuid),
       webhook("Hooked-" + provider), with(write, {{"Accept", "application/json"}})},
      {"create a webhook with a short UUID", "PUT", fixed("/webhooks/short"), webhook("Hooked-" + provider), write,
       {"/errors/uuid/0"}},
      {"create a webhook for an unknown provider", "PUT", fixed("/webhooks/" + hookUuid + "-x"),
       webhook("Nobody-" + provider), write, {"/errors/provider.name/0"}},
      {"list webhooks", "GET", fixed("/webhooks"), "", {{"Accept", accept}},
       {"/_links/pb:webhooks", "/_links/pb:webhooks/0/href", "/_links/pb:webhooks/0/name"}},
      {"list webhooks with Accept: application/json alone", "GET", fixed("/webhooks"), "",
       {{"Accept", "application/json"}}},
      {"delete the webhook", "DELETE", fixed("/webhooks/" + hookUuid), "", with(auth, {{"Accept", accept}})},
      {"delete it again", "DELETE", fixed("/webhooks/" + hookUuid), "", with(auth, {{"Accept", accept}}), {"/error"}},
      {"list webhooks after the delete", "GET", fixed("/webhooks"), "", {{"Accept", accept}}, {"/_links/pb:webhooks"}},
  };

  const Target targets[] = {{"real broker", real.port()}, {"stand-in", standinPort}};
  std::ostringstream differences;
  int compared = 0;
  std::cout << "real broker / stand-in:\n";
  for (const auto& call : calls) {
    std::map<std::string, HttpReply> replies;
    std::map<std::string, json> bodies;
    for (const auto& target : targets) {
      auto reply = httpRequest(target.port, call.method, call.path(target), call.body, call.headers, 15s);
      INFO(target.name << ": " << call.what << " -> " << reply.status << " " << reply.error);
      REQUIRE(reply.status != 0);
      bodies[target.name] = json::parse(reply.body, nullptr, false);
      if (call.what == "latest pacts of the provider") {
        const json& doc = bodies[target.name];
        if (doc.is_object() && doc.contains(json::json_pointer("/_links/pb:pacts/0/href")))
          firstPactHref[target.name] = pathOf(doc.at(json::json_pointer("/_links/pb:pacts/0/href")).get<std::string>());
      }
      replies[target.name] = std::move(reply);
    }
    const auto& r = replies["real broker"];
    const auto& s = replies["stand-in"];
    ++compared;
    std::cout << "  " << r.status << " / " << s.status << "  " << call.method << " " << call.what << "\n";
    auto differ = [&](const std::string& aspect, const std::string& realValue, const std::string& standinValue) {
      if (realValue != standinValue)
        differences << "- " << call.what << ": " << aspect << ": real broker " << realValue << ", stand-in "
                    << standinValue << "\n";
    };
    // Without basic auth on the real broker (an external one), the auth cases cannot differ.
    if (!authOn && r.status / 100 == 2 && s.status / 100 == 2) continue;
    differ("status", std::to_string(r.status), std::to_string(s.status));
    if (r.status != s.status) continue;
    for (const auto& pointer : call.pointers)
      differ(pointer, shapeOf(bodies["real broker"], pointer), shapeOf(bodies["stand-in"], pointer));
    for (const auto& name : call.headerNames)
      differ("header " + name, r.headers.count(name) ? "present" : "absent", s.headers.count(name) ? "present" : "absent");
    for (const auto& name : call.headerValues) differ("header " + name, r.header(name), s.header(name));
    if (call.compareInteractions)
      differ("interactions", interactionsWithoutIds(bodies["real broker"]).dump(),
             interactionsWithoutIds(bodies["stand-in"]).dump());
  }
  // The version the stand-in says it reproduces is the real broker's.
  ProcessOptions versionOptions;
  versionOptions.executable = standinOptions.executable;
  versionOptions.args = {"--version"};
  auto version = TestProcess::start(versionOptions);
  REQUIRE(version.waitForExit(10s) == 0);
  const auto realVersion = httpGet(real.port(), "/diagnostic/status/heartbeat").header("x-pact-broker-version");
  CHECK_THAT(version.output(), Catch::Contains("answers as pact_broker " + realVersion + ")"));
  CHECK_FALSE(realVersion.empty());

  INFO("differences between the real broker and the stand-in:\n" << differences.str());
  CHECK(differences.str().empty());
  CHECK(compared == static_cast<int>(calls.size()));
  standin.stop();
}
