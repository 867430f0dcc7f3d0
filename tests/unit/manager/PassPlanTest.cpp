// The decisions of one publication pass (planPass, passOutcome, decideRetry), without a broker.
#include <catch2/catch.hpp>

#include "PublicationPlan.h"

using namespace pactmocks::manager;

namespace {

const std::string kPrefix = "pactmocks-0123456789ab-";

std::string pactJson(const std::string& consumer, const std::string& provider) {
  return R"({"consumer":{"name":")" + consumer + R"("},"provider":{"name":")" + provider +
         R"("},"interactions":[{"description":"d","request":{"method":"GET","path":"/a"},"response":{"status":200}}],)"
         R"("metadata":{"pactSpecification":{"version":"3.0.0"}}})";
}

ValidPact pact(const std::string& file, const std::string& provider, char sha) {
  return ValidPact{file, "C", provider, "{}", std::string(64, sha)};
}

PublishedPact published(const ValidPact& p, std::string version = "main-abc") {
  return PublishedPact{p.provider, p.consumer, std::move(version), p.sha256, "t", p.file, 1};
}

// What the publisher knows between passes, for the tests to set up.
struct Known {
  std::map<PactKey, PublishedPact> published;
  std::map<PactKey, std::string> publishErrors;
  std::optional<std::string> webhooksFingerprint = "none;";  // no webhooks.json, applied already
  PassPlan plan(const ScannedPacts& scan, bool verify = false, bool healthy = true) const {
    return planPass(scan, {.published = published,
                           .publishErrors = publishErrors,
                           .webhooksFingerprint = webhooksFingerprint,
                           .webhookPrefix = kPrefix,
                           .verify = verify,
                           .brokerHealthy = healthy});
  }
};

std::vector<BrokerAction::Kind> kinds(const PassPlan& plan) {
  std::vector<BrokerAction::Kind> out;
  for (const auto& a : plan.actions) out.push_back(a.kind);
  return out;
}

using Kind = BrokerAction::Kind;

}  // namespace

TEST_CASE("planPass: a first publication publishes every pact", "[manager][plan]") {
  Known known;
  known.webhooksFingerprint.reset();  // nothing applied yet
  ScannedPacts scan{{pact("a.json", "P1", 'a'), pact("b.json", "P2", 'b')}, {}, std::nullopt};
  auto plan = known.plan(scan);
  CHECK(plan.callBroker);
  // Without a webhooks.json the broker's webhooks of this ConfigMap are still cleaned up once.
  CHECK(kinds(plan) == std::vector{Kind::ApplyWebhooks, Kind::Publish, Kind::Publish});
  CHECK(plan.actions[1].pact.provider == "P1");
  CHECK(plan.actions[2].pact.provider == "P2");
  CHECK(plan.toWithdraw.empty());
  CHECK(plan.wanted == std::set<PactKey>{{"P1", "C"}, {"P2", "C"}});
  CHECK_FALSE(plan.okWithoutBroker);

  // Nothing published yet: not ready, no flag.
  auto outcome = passOutcome(plan, scan.valid, {}, {});
  CHECK_FALSE(outcome.allPublished);
  CHECK_FALSE(outcome.writeFlag);
}

TEST_CASE("planPass: an unchanged rescan makes no broker call", "[manager][plan]") {
  Known known;
  auto a = pact("a.json", "P1", 'a');
  known.published[{"P1", "C"}] = published(a);
  ScannedPacts scan{{a}, {}, std::nullopt};
  auto plan = known.plan(scan);
  CHECK(plan.actions.empty());
  CHECK(plan.toPublish.empty());
  CHECK(plan.toWithdraw.empty());
  auto outcome = passOutcome(plan, scan.valid, known.published, known.publishErrors);
  CHECK(outcome.allPublished);
  CHECK(outcome.writeFlag);
  REQUIRE(outcome.published.size() == 1);
  CHECK(outcome.published[0].version == "main-abc");
}

TEST_CASE("planPass: changed content is published again", "[manager][plan]") {
  Known known;
  known.published[{"P1", "C"}] = published(pact("a.json", "P1", 'a'));
  ScannedPacts scan{{pact("a.json", "P1", 'b')}, {}, std::nullopt};
  auto plan = known.plan(scan);
  REQUIRE(kinds(plan) == std::vector{Kind::Publish});
  CHECK(plan.actions[0].pact.sha256 == std::string(64, 'b'));
  // Until it is published, the old content does not count.
  CHECK_FALSE(passOutcome(plan, scan.valid, known.published, known.publishErrors).allPublished);
}

TEST_CASE("planPass: a removed file is withdrawn and its failure forgotten", "[manager][plan]") {
  Known known;
  auto a = pact("a.json", "P1", 'a');
  known.published[{"P1", "C"}] = published(a);
  known.published[{"P2", "C"}] = published(pact("b.json", "P2", 'b'));
  known.publishErrors[{"P2", "C"}] = "HTTP 500";
  known.publishErrors[{"P3", "C"}] = "HTTP 401";  // never published, file gone too
  auto plan = known.plan({{a}, {}, std::nullopt});
  CHECK(plan.toWithdraw == std::vector<PactKey>{{"P2", "C"}});
  CHECK(plan.forgetErrors == std::vector<PactKey>{{"P2", "C"}, {"P3", "C"}});
  CHECK(plan.wanted == std::set<PactKey>{{"P1", "C"}});
  CHECK(plan.actions.empty());
  // Withdrawals do not need the broker.
  auto down = known.plan({{a}, {}, std::nullopt}, false, false);
  CHECK(down.toWithdraw == plan.toWithdraw);
  CHECK(down.okWithoutBroker);
}

TEST_CASE("planPass: verify after an outage checks every unchanged pact and re-applies webhooks", "[manager][plan]") {
  Known known;
  auto a = pact("a.json", "P1", 'a'), b = pact("b.json", "P2", 'b');
  known.published[{"P1", "C"}] = published(a);
  known.published[{"P2", "C"}] = published(pact("b.json", "P2", 'x'));  // changed meanwhile
  ScannedPacts scan{{a, b}, {}, std::nullopt};
  auto plan = known.plan(scan, true);
  CHECK(kinds(plan) == std::vector{Kind::ApplyWebhooks, Kind::Verify, Kind::Publish});
  CHECK(plan.webhooks.reapply);
  CHECK(plan.actions[1].pact.provider == "P1");
  CHECK(plan.actions[2].pact.provider == "P2");

  SECTION("while the broker is still down nothing is called and the pass is owed") {
    auto down = known.plan(scan, true, false);
    CHECK(down.actions.empty());
    CHECK_FALSE(down.okWithoutBroker);
    CHECK_FALSE(passOutcome(down, scan.valid, known.published, known.publishErrors).writeFlag);
  }
  SECTION("a pact that could not be verified keeps the pass from being ready") {
    known.publishErrors[{"P1", "C"}] = "cannot verify: timeout";
    auto outcome = passOutcome(plan, scan.valid, known.published, known.publishErrors);
    CHECK_FALSE(outcome.allPublished);
    REQUIRE(outcome.errors.size() == 1);
    CHECK(outcome.errors[0].file == "a.json");
    CHECK(outcome.errors[0].reason == "publishing C -> P1 failed: cannot verify: timeout");
  }
}

TEST_CASE("planPass: a malformed file beside good ones", "[manager][plan]") {
  std::vector<pactmocks::pactdir::PactFile> files{{"a.json", "/d/a.json", pactJson("C", "P1")},
                                   {"bad.json", "/d/bad.json", "{not json"},
                                   {"c.json", "/d/c.json", pactJson("C", "P1")}};
  auto scan = classifyFiles(files, {{"gone.json", "vanished"}});
  REQUIRE(scan.valid.size() == 2);
  REQUIRE(scan.problems.size() == 2);
  CHECK(scan.problems[0].file == "gone.json");
  CHECK(scan.problems[1].file == "bad.json");

  Known known;
  auto plan = known.plan(scan);
  // The good file is published; the bad one and the second file of the same pair are reported.
  REQUIRE(kinds(plan) == std::vector{Kind::Publish});
  CHECK(plan.actions[0].pact.file == "a.json");
  REQUIRE(plan.problems.size() == 3);
  CHECK(plan.problems[2].file == "c.json");
  CHECK_THAT(plan.problems[2].reason, Catch::Contains("duplicate"));

  // Once the good one is published the pass is ready, with the problems listed.
  known.published[{"P1", "C"}] = published(scan.valid[0]);
  auto outcome = passOutcome(plan, scan.valid, known.published, known.publishErrors);
  CHECK(outcome.allPublished);
  CHECK(outcome.errors.size() == 3);
}

TEST_CASE("planPass: webhooks are applied before any pact, and only when they changed", "[manager][plan]") {
  const std::string declarations =
      R"({"webhooks":[{"id":"hook","events":["contract_published"],"request":{"url":"http://127.0.0.1:1237/x"}}]})";
  auto files = std::vector<pactmocks::pactdir::PactFile>{{"a.json", "/d/a.json", pactJson("C", "P1")},
                                          {"webhooks.json", "/d/webhooks.json", declarations}};
  auto scan = classifyFiles(files, {});
  CHECK(scan.valid.size() == 1);  // webhooks.json is not a pact
  REQUIRE(scan.webhooks);

  Known known;
  auto plan = known.plan(scan);
  REQUIRE(kinds(plan) == std::vector{Kind::ApplyWebhooks, Kind::Publish});
  REQUIRE(plan.webhooks.declared.webhooks.size() == 1);
  CHECK(plan.webhooks.declared.webhooks[0].uuid == kPrefix + "hook");
  CHECK_FALSE(plan.webhooks.reapply);

  // Applied in full: the next pass leaves them alone.
  known.webhooksFingerprint = plan.webhooks.fingerprint;
  known.published[{"P1", "C"}] = published(scan.valid[0]);
  CHECK(known.plan(scan).actions.empty());
  // Not while the broker is down.
  known.webhooksFingerprint.reset();
  CHECK_FALSE(known.plan(scan, false, false).webhooks.apply);
}

TEST_CASE("decideRetry: backoff while the broker is healthy, wait for it otherwise", "[manager][plan]") {
  auto done = decideRetry(true, true, true, true);
  CHECK(done.next == NextPass::WhenAsked);
  CHECK_FALSE(done.pendingVerify);

  auto retry = decideRetry(false, true, false, false);
  CHECK(retry.next == NextPass::RetryWithBackoff);
  CHECK_FALSE(retry.pendingVerify);
  // A verifying pass that failed is retried as a verifying pass.
  CHECK(decideRetry(false, true, true, false).pendingVerify);
  CHECK(decideRetry(false, true, false, true).pendingVerify);

  // Broker down: no timer; the monitor's rescan when it returns verifies.
  auto down = decideRetry(false, false, false, false);
  CHECK(down.next == NextPass::WhenBrokerReturns);
  CHECK(down.pendingVerify);
}
