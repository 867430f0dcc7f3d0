// webhooks.json: what a declaration must hold, the broker document it becomes, and the plan
// (what to create, update and delete) against what the broker lists.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "WebhookDeclarations.h"

using namespace pactmocks::manager;
using nlohmann::json;

namespace {

const std::string kPrefix = webhookUuidPrefix("ns", "pact-contracts");

json declaration(const std::string& id) {
  return {{"id", id},
          {"description", "tell CI about " + id},
          {"events", {"contract_content_changed"}},
          {"provider", "AWS-Secrets-Manager"},
          {"request",
           {{"method", "POST"},
            {"url", "http://127.0.0.1:1237/broker/" + id},
            {"headers", {{"Content-Type", "application/json"}}},
            {"body", {{"pact", "${pactbroker.pactUrl}"}}}}}};
}

WebhookDeclarations parse(const json& doc) { return parseWebhookDeclarations(doc.dump(), kPrefix); }

}  // namespace

TEST_CASE("Webhook UUIDs are stable, owned by one ConfigMap and valid for the broker", "[manager][webhooks]") {
  CHECK(webhookUuidPrefix("ns", "pact-contracts") == kPrefix);
  CHECK(webhookUuidPrefix("other-ns", "pact-contracts") != kPrefix);
  CHECK(kPrefix.rfind("pactmocks-", 0) == 0);
  auto parsed = parse({{"webhooks", {declaration("ci")}}});
  REQUIRE(parsed.webhooks.size() == 1);
  const auto& w = parsed.webhooks[0];
  CHECK(w.uuid == kPrefix + "ci");
  CHECK(w.uuid.size() >= 16);  // pact_broker's UUID rule: [A-Za-z0-9_-]{16,}
  CHECK(w.uuid.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") ==
        std::string::npos);
  CHECK(parse({{"webhooks", {declaration("ci")}}}).webhooks[0].sha256 == w.sha256);
}

TEST_CASE("A declaration becomes the broker's webhook document", "[manager][webhooks]") {
  auto parsed = parse(json::array({declaration("ci")}));  // a bare array works too
  REQUIRE(parsed.problems.empty());
  REQUIRE(parsed.webhooks.size() == 1);
  json body = json::parse(parsed.webhooks[0].body);
  CHECK(body["description"] == "tell CI about ci");
  CHECK(body["events"] == json::array({{{"name", "contract_content_changed"}}}));
  CHECK(body["provider"] == json{{"name", "AWS-Secrets-Manager"}});
  CHECK_FALSE(body.contains("consumer"));
  CHECK(body["enabled"] == true);
  CHECK(body["request"]["url"] == "http://127.0.0.1:1237/broker/ci");
  CHECK(body["request"]["body"]["pact"] == "${pactbroker.pactUrl}");
  CHECK(parsed.webhooks[0].provider == "AWS-Secrets-Manager");
}

TEST_CASE("Bad declarations are reported one by one and the rest still apply", "[manager][webhooks]") {
  auto noId = declaration("x");
  noId.erase("id");
  auto badId = declaration("has space");
  auto noEvents = declaration("no-events");
  noEvents["events"] = json::array();
  auto unknownEvent = declaration("unknown-event");
  unknownEvent["events"] = {"contract_exploded"};
  auto badUrl = declaration("bad-url");
  badUrl["request"]["url"] = "ftp://example";
  auto badHeader = declaration("bad-header");
  badHeader["request"]["headers"]["X-Count"] = 3;
  auto parsed = parse({{"webhooks", {noId, badId, declaration("good"), noEvents, unknownEvent, badUrl, badHeader,
                                     declaration("good")}}});
  REQUIRE(parsed.webhooks.size() == 1);
  CHECK(parsed.webhooks[0].id == "good");
  REQUIRE(parsed.problems.size() == 7);
  CHECK(parsed.problems[0].id == "#1");
  CHECK_THAT(parsed.problems[0].reason, Catch::Contains("\"id\""));
  CHECK(parsed.problems[1].id == "has space");
  CHECK_THAT(parsed.problems[2].reason, Catch::Contains("events"));
  CHECK_THAT(parsed.problems[3].reason, Catch::Contains("contract_exploded"));
  CHECK_THAT(parsed.problems[4].reason, Catch::Contains("ftp://example"));
  CHECK_THAT(parsed.problems[5].reason, Catch::Contains("X-Count"));
  CHECK_THAT(parsed.problems[6].reason, Catch::Contains("declared twice"));

  CHECK(parseWebhookDeclarations("{not json", kPrefix).problems.size() == 1);
  CHECK(parseWebhookDeclarations("{\"hooks\":[]}", kPrefix).problems.size() == 1);
  CHECK(parseWebhookDeclarations("7", kPrefix).problems.size() == 1);
}

TEST_CASE("The plan creates new and changed webhooks and deletes only its own undeclared ones", "[manager][webhooks]") {
  auto declared = parse({{"webhooks", {declaration("a"), declaration("b")}}}).webhooks;
  const auto& a = declared[0];
  const auto& b = declared[1];

  SECTION("first run: everything is created, stale ones of ours are deleted, others' are kept") {
    auto plan = planWebhooks(declared, {}, {kPrefix + "old", "someone-elses-webhook-uuid"}, kPrefix, false);
    REQUIRE(plan.toPut.size() == 2);
    CHECK(plan.toDelete == std::vector<std::string>{kPrefix + "old"});
  }
  SECTION("unchanged and present: nothing to do") {
    auto plan = planWebhooks(declared, {{a.uuid, a.sha256}, {b.uuid, b.sha256}}, {a.uuid, b.uuid}, kPrefix, false);
    CHECK(plan.toPut.empty());
    CHECK(plan.toDelete.empty());
  }
  SECTION("changed content or gone from the broker: put again") {
    auto plan = planWebhooks(declared, {{a.uuid, "stale"}, {b.uuid, b.sha256}}, {a.uuid}, kPrefix, false);
    REQUIRE(plan.toPut.size() == 2);
  }
  SECTION("re-apply after a broker outage: everything again") {
    auto plan = planWebhooks(declared, {{a.uuid, a.sha256}, {b.uuid, b.sha256}}, {a.uuid, b.uuid}, kPrefix, true);
    CHECK(plan.toPut.size() == 2);
  }
  SECTION("no declarations: every webhook of ours goes") {
    auto plan = planWebhooks({}, {{a.uuid, a.sha256}}, {a.uuid, "foreign-0123456789"}, kPrefix, false);
    CHECK(plan.toDelete == std::vector<std::string>{a.uuid});
  }
}
