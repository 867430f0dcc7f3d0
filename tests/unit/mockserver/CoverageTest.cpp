#include <catch2/catch.hpp>

#include <thread>
#include <utility>

#include "mockserver/Coverage.h"
#include "pact/PactParser.h"
#include "TestPacts.h"

using namespace pactmocks;
using namespace pactmocks::mockserver;
using nlohmann::json;

namespace {

std::vector<pact::Pact> pacts(const std::string& description = "get secret test-secret") {
  std::vector<pact::Pact> out;
  out.push_back(pact::parsePact(testing::smallPact("Azure-Key-Vault", "Secret-Manager-Controller", description), "a.json"));
  return out;
}

// The index's view of test-owned pacts (non-owning: the test's vector outlives the tracker's use).
std::vector<std::shared_ptr<const pact::Pact>> view(const std::vector<pact::Pact>& pacts) {
  std::vector<std::shared_ptr<const pact::Pact>> out;
  for (const auto& p : pacts) out.emplace_back(std::shared_ptr<const pact::Pact>(), &p);
  return out;
}

const InteractionCoverage& find(const CoverageSnapshot& s, const std::string& description) {
  for (const auto& c : s.interactions)
    if (c.description == description) return c;
  FAIL("no interaction " << description);
  throw std::logic_error("unreachable");
}

const std::string kHostile = std::string("<script>alert(1)</script>\"'&\x01\xff\xc3") + std::string(10000, 'x');

}  // namespace

TEST_CASE("a hit is counted on the interaction the index matched, with first and last time and faults") {
  CoverageTracker tracker;
  const auto loaded = pacts();
  const auto slots = tracker.install(view(loaded));
  const auto& p = loaded[0];
  const auto t0 = CoverageClock::time_point(std::chrono::seconds(1000));
  REQUIRE(tracker.recordHit(*slots, &p, 1, &p.interactions[1], {}, t0));
  REQUIRE(tracker.recordHit(*slots, &p, 1, &p.interactions[1], "rate-limit", t0 + std::chrono::seconds(5)));
  const auto s = tracker.snapshot();
  REQUIRE(s.interactions.size() == 3);
  const auto& gone = s.interactions[1];
  CHECK(gone.description == "get secret test-secret when it is gone");
  CHECK(gone.consumer == "Secret-Manager-Controller");
  CHECK(gone.provider == "Azure-Key-Vault");
  CHECK(gone.providerStates == std::vector<std::string>{"secret deleted"});
  CHECK(gone.hits == 2);
  CHECK(*gone.firstHit == t0);
  CHECK(*gone.lastHit == t0 + std::chrono::seconds(5));
  CHECK(gone.faults == std::map<std::string, std::uint64_t>{{"rate-limit", 1}});
  CHECK(s.interactions[0].hits == 0);
  CHECK(!s.interactions[0].firstHit);
  CHECK(s.exercised() == 1);
}

TEST_CASE("a hit on an interaction outside the installed pacts is refused, not misattributed") {
  CoverageTracker tracker;
  const auto loaded = pacts();
  const auto other = pacts();
  const auto slots = tracker.install(view(loaded));
  CHECK_FALSE(tracker.recordHit(*slots, &other[0], 0, &other[0].interactions[0]));
  CHECK_FALSE(tracker.recordHit(*slots, &loaded[0], 0, &other[0].interactions[0]));
  CHECK_FALSE(tracker.recordHit(*slots, nullptr, 0, nullptr));
  // The prefetch before a hit is only a hint: on what is not installed it touches nothing.
  tracker.prefetchHit(*slots, &other[0], 0);
  tracker.prefetchHit(*slots, &loaded[0], loaded[0].interactions.size());
  tracker.prefetchHit(*slots, nullptr, 0);
  CHECK(tracker.snapshot().exercised() == 0);
}

TEST_CASE("fault names are bounded per interaction") {
  CoverageTracker tracker(CoverageLimits{.maxFaultNames = 2});
  const auto loaded = pacts();
  const auto slots = tracker.install(view(loaded));
  const auto& p = loaded[0];
  for (const char* f : {"a", "b", "c", "d", "a"}) REQUIRE(tracker.recordHit(*slots, &p, 0, &p.interactions[0], f));
  const auto faults = tracker.snapshot().interactions[0].faults;
  CHECK(faults == std::map<std::string, std::uint64_t>{{"a", 2}, {"b", 1}, {"other", 2}});
}

TEST_CASE("a reload keeps the counts of unchanged interactions and restarts changed ones") {
  CoverageTracker tracker;
  auto first = pacts();
  const auto firstSlots = tracker.install(view(first));
  for (std::size_t i = 0; i < first[0].interactions.size(); ++i)
    REQUIRE(tracker.recordHit(*firstSlots, &first[0], i, &std::as_const(first[0]).interactions[i]));

  // Same contract re-read from the broker (new objects), with one response edited.
  auto second = pacts();
  second[0].interactions[2].response.status = 201;
  second[0].interactions[2].response.serializedJsonBody = R"({"value":"newer"})";
  const auto secondSlots = tracker.install(view(second));
  auto s = tracker.snapshot();
  CHECK(s.interactions[0].hits == 1);
  CHECK(s.interactions[1].hits == 1);
  CHECK(s.interactions[2].hits == 0);

  // A request still served by the replaced index counts on an unchanged interaction (the
  // counters are shared), not on the edited one; the new index counts as well.
  CHECK(tracker.recordHit(*firstSlots, &first[0], 0, &first[0].interactions[0]));
  CHECK(tracker.recordHit(*firstSlots, &first[0], 2, &first[0].interactions[2]));
  CHECK(tracker.recordHit(*secondSlots, &second[0], 0, &second[0].interactions[0]));
  s = tracker.snapshot();
  CHECK(s.interactions[0].hits == 3);
  CHECK(s.interactions[2].hits == 0);
  // Slots only know their own index's interactions.
  CHECK_FALSE(tracker.recordHit(*secondSlots, &first[0], 0, &first[0].interactions[0]));

  SECTION("a renamed interaction is a new one") {
    auto third = pacts("get secret renamed");
    tracker.install(view(third));
    s = tracker.snapshot();
    CHECK(find(s, "get secret renamed").hits == 0);
    CHECK(find(s, "get secret test-secret when it is gone").hits == 1);
  }
  SECTION("changed provider-state params are a new interaction") {
    auto third = pacts();
    third[0].interactions[1].providerStates[0].params = {{"name", "other"}};
    tracker.install(view(third));
    CHECK(tracker.snapshot().interactions[1].hits == 0);
  }
}

TEST_CASE("two generations sharing an interaction count it by their own pact and position") {
  CoverageTracker tracker;
  const auto text = testing::smallPact("Azure-Key-Vault");
  std::vector<pact::Pact> first;
  first.push_back(pact::parsePact(text, "a.json"));
  std::vector<pact::Pact> second;  // the same file with its first interaction edited
  second.push_back(pact::parsePact(testing::smallPact("Azure-Key-Vault", "Secret-Manager-Controller", "renamed"),
                                   "a.json", &first[0]));
  const auto& shared = std::as_const(second[0]).interactions[1];
  REQUIRE(&shared == &std::as_const(first[0]).interactions[1]);

  const auto firstSlots = tracker.install(view(first));
  REQUIRE(tracker.recordHit(*firstSlots, &first[0], 1, &shared));
  const auto secondSlots = tracker.install(view(second));
  CHECK(tracker.recordHit(*secondSlots, &second[0], 1, &shared));
  CHECK_FALSE(tracker.recordHit(*secondSlots, &second[0], 2, &shared));  // a position that is another interaction
  CHECK_FALSE(tracker.recordHit(*secondSlots, &second[0], 3, &shared));  // past the end
  CHECK(find(tracker.snapshot(), "get secret test-secret when it is gone").hits == 2);
}

TEST_CASE("the fingerprint changes with what the interaction promises") {
  const auto a = pacts();
  auto b = pacts();
  CHECK(interactionFingerprint(a[0].interactions[0]) == interactionFingerprint(b[0].interactions[0]));
  CHECK(interactionFingerprint(a[0].interactions[0]) != interactionFingerprint(a[0].interactions[1]));
  b[0].interactions[0].request.path = "/secrets/other";
  CHECK(interactionFingerprint(a[0].interactions[0]) != interactionFingerprint(b[0].interactions[0]));
  b = pacts();
  b[0].interactions[0].response.generators.edit().body.clear();
  CHECK(interactionFingerprint(a[0].interactions[0]) != interactionFingerprint(b[0].interactions[0]));
}

TEST_CASE("unmatched requests are grouped by nearest interaction, bounded, with one example each") {
  CoverageTracker tracker(CoverageLimits{.maxUnmatchedGroups = 2, .maxMismatchLines = 2, .maxLineBytes = 50});
  const auto loaded = pacts();
  const auto slots = tracker.install(view(loaded));
  const auto& p = loaded[0];
  tracker.recordUnmatched({"GET", "/secrets/x", &p, &p.interactions[0], {"path: expected a", "query: b", "header: c"}});
  tracker.recordUnmatched({"GET", "/secrets/y", &p, &p.interactions[0], {"other"}});
  tracker.recordUnmatched({"DELETE", std::string(200, 'p'), nullptr, nullptr, {}});
  tracker.recordUnmatched({"POST", "/third-group", &p, &p.interactions[2], {}});
  const auto s = tracker.snapshot();
  REQUIRE(s.unmatched.size() == 2);
  CHECK(s.unmatchedRequests == 4);
  CHECK(s.unmatchedOverflow == 1);
  CHECK(s.unmatched[0].nearestDescription == "get secret test-secret");
  CHECK(s.unmatched[0].nearestConsumer == "Secret-Manager-Controller");
  CHECK(s.unmatched[0].count == 2);
  CHECK(s.unmatched[0].examplePath == "/secrets/x");
  CHECK(s.unmatched[0].mismatches == std::vector<std::string>{"path: expected a", "query: b"});
  CHECK(s.unmatched[1].nearestDescription.empty());
  CHECK(s.unmatched[1].examplePath.size() == 50);
}

TEST_CASE("reset zeroes counts and forgets unmatched requests; the set of interactions stays") {
  CoverageTracker tracker(CoverageLimits{}, CoverageClock::time_point(std::chrono::seconds(1)));
  const auto loaded = pacts();
  const auto slots = tracker.install(view(loaded));
  const auto& p = loaded[0];
  REQUIRE(tracker.recordHit(*slots, &p, 0, &p.interactions[0], "x"));
  tracker.recordUnmatched({"GET", "/", nullptr, nullptr, {}});
  const auto later = CoverageClock::time_point(std::chrono::seconds(50));
  tracker.reset(later);
  const auto s = tracker.snapshot();
  CHECK(s.interactions.size() == 3);
  CHECK(s.exercised() == 0);
  CHECK(s.interactions[0].faults.empty());
  CHECK(!s.interactions[0].lastHit);
  CHECK(s.unmatched.empty());
  CHECK(s.unmatchedRequests == 0);
  CHECK(s.since == later);
}

TEST_CASE("hits from many threads are all counted") {
  CoverageTracker tracker;
  const auto loaded = pacts();
  const auto slots = tracker.install(view(loaded));
  const auto& p = loaded[0];
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) (void)tracker.recordHit(*slots, &p, i % 3, &p.interactions[i % 3]);
    });
  // Reloads of the same contract meanwhile must not lose counts.
  for (int r = 0; r < 20; ++r) tracker.install(view(loaded));
  for (auto& t : threads) t.join();
  std::uint64_t total = 0;
  for (const auto& c : tracker.snapshot().interactions) total += c.hits;
  CHECK(total == 40000);
}

TEST_CASE("coverage JSON has per-interaction counts, groups and totals") {
  CoverageTracker tracker;
  const auto loaded = pacts();
  const auto slots = tracker.install(view(loaded));
  const auto& p = loaded[0];
  REQUIRE(tracker.recordHit(*slots, &p, 0, &p.interactions[0], {}, CoverageClock::time_point(std::chrono::seconds(0)) + std::chrono::hours(24)));
  tracker.recordUnmatched({"GET", "/nope", &p, &p.interactions[1], {"path mismatch"}});
  const auto doc = json::parse(coverageJsonText(tracker.snapshot()));
  CHECK(doc["totals"] == json{{"interactions", 3}, {"exercised", 1}, {"unexercised", 2}, {"unmatched_requests", 1}});
  CHECK(doc["interactions"][0]["hits"] == 1);
  CHECK(doc["interactions"][0]["first_hit"] == "1970-01-02T00:00:00.000Z");
  CHECK(doc["interactions"][1]["first_hit"].is_null());
  CHECK(doc["interactions"][1]["provider_states"] == json{"secret deleted"});
  CHECK(doc["unmatched"][0]["nearest"]["description"] == "get secret test-secret when it is gone");
  CHECK(doc["unmatched"][0]["example"] == json{{"method", "GET"}, {"path", "/nope"}});
  CHECK(doc["unmatched"][0]["mismatches"] == json{"path mismatch"});
}

TEST_CASE("hostile descriptions keep the JSON and the XML valid") {
  CoverageTracker tracker;
  auto loaded = pacts();
  loaded[0].interactions[0].description = kHostile;
  const auto slots = tracker.install(view(loaded));
  const auto& p = loaded[0];
  tracker.recordUnmatched({"GET", "/\xfe", &p, &p.interactions[0], {kHostile}});
  const auto s = tracker.snapshot();

  json doc;
  REQUIRE_NOTHROW(doc = json::parse(coverageJsonText(s)));
  const auto description = doc["interactions"][0]["description"].get<std::string>();
  CHECK(description.rfind("<script>alert(1)</script>\"'&\x01\xEF\xBF\xBD\xEF\xBF\xBD", 0) == 0);
  REQUIRE_NOTHROW(json::parse(verifyJsonText(verify(s))));

  const auto xml = coverageJunitXml(s);
  CHECK(xml.find("<script>") == std::string::npos);
  CHECK(xml.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;\xEF\xBF\xBD") != std::string::npos);
  CHECK(xml.find('\x01') == std::string::npos);
  CHECK(xml.find('\xff') == std::string::npos);
}

TEST_CASE("verify is ok only when everything was exercised and nothing went unmatched") {
  CoverageTracker tracker;
  const auto loaded = pacts();
  const auto slots = tracker.install(view(loaded));
  const auto& p = loaded[0];
  auto r = verify(tracker.snapshot());
  CHECK_FALSE(r.ok);
  CHECK(verifyStatus(r) == 409);
  CHECK(r.unexercised.size() == 3);
  for (std::size_t i = 0; i < p.interactions.size(); ++i) REQUIRE(tracker.recordHit(*slots, &p, i, &p.interactions[i]));
  r = verify(tracker.snapshot());
  CHECK(r.ok);
  CHECK(verifyStatus(r) == 200);
  CHECK(json::parse(verifyJsonText(r))["ok"] == true);

  tracker.recordUnmatched({"GET", "/x", nullptr, nullptr, {}});
  r = verify(tracker.snapshot());
  CHECK_FALSE(r.ok);
  CHECK(r.unmatched.size() == 1);
  CHECK(json::parse(verifyJsonText(r))["unmatched"][0]["nearest"].is_null());
}

TEST_CASE("verify filters by consumer and provider state") {
  CoverageTracker tracker;
  auto loaded = pacts();
  loaded.push_back(pact::parsePact(testing::smallPact("Azure-Key-Vault", "Other-Consumer"), "b.json"));
  const auto slots = tracker.install(view(loaded));
  for (std::size_t i = 0; i < loaded[0].interactions.size(); ++i)
    REQUIRE(tracker.recordHit(*slots, &loaded[0], i, &std::as_const(loaded[0]).interactions[i]));
  tracker.recordUnmatched({"GET", "/x", nullptr, nullptr, {}});
  tracker.recordUnmatched({"GET", "/y", &loaded[1], &loaded[1].interactions[1], {}});
  const auto s = tracker.snapshot();

  auto r = verify(s, {.consumer = "Secret-Manager-Controller", .state = std::nullopt});
  CHECK(r.ok);
  CHECK(r.interactions == 3);
  r = verify(s, {.consumer = "Other-Consumer", .state = std::nullopt});
  CHECK_FALSE(r.ok);
  CHECK(r.unexercised.size() == 3);
  CHECK(r.unmatched.size() == 1);
  r = verify(s, {.consumer = std::nullopt, .state = "secret exists"});
  CHECK(r.interactions == 4);
  CHECK(r.unexercised.size() == 2);
  CHECK(r.unmatched.empty());
  r = verify(s, {.consumer = std::nullopt, .state = "secret deleted"});
  CHECK(r.unmatched.size() == 1);
}

TEST_CASE("JUnit XML has one case per interaction and one failed case per unmatched group") {
  CoverageTracker tracker;
  const auto loaded = pacts();
  const auto slots = tracker.install(view(loaded));
  const auto& p = loaded[0];
  REQUIRE(tracker.recordHit(*slots, &p, 0, &p.interactions[0]));
  tracker.recordUnmatched({"GET", "/nope", &p, &p.interactions[1], {"path: expected /secrets/test-secret"}});
  const auto xml = coverageJunitXml(tracker.snapshot());
  CHECK(xml.find("<testsuites tests=\"4\" failures=\"3\">") != std::string::npos);
  CHECK(xml.find("<testsuite name=\"Azure-Key-Vault\" tests=\"3\" failures=\"2\"") != std::string::npos);
  CHECK(xml.find("<testcase classname=\"Secret-Manager-Controller\" name=\"get secret test-secret\"/>") !=
        std::string::npos);
  CHECK(xml.find("name=\"set secret test-secret\">\n      <failure message=\"not exercised\">given secret exists") !=
        std::string::npos);
  CHECK(xml.find("requests near: get secret test-secret when it is gone") != std::string::npos);
  CHECK(xml.find("1 request(s) matched no interaction, e.g. GET /nope") != std::string::npos);
  CHECK(xml.find("path: expected /secrets/test-secret") != std::string::npos);
}

TEST_CASE("metrics count requests per interaction with bounded series, and unmatched requests") {
  CoverageTracker tracker;
  auto loaded = pacts();
  loaded[0].interactions[2].description = "set \"secret\"\\\nnow\xff";
  const auto slots = tracker.install(view(loaded));
  const auto& p = loaded[0];
  REQUIRE(tracker.recordHit(*slots, &p, 0, &p.interactions[0]));
  REQUIRE(tracker.recordHit(*slots, &p, 2, &p.interactions[2]));
  REQUIRE(tracker.recordHit(*slots, &p, 2, &p.interactions[2]));
  tracker.recordUnmatched({"GET", "/", nullptr, nullptr, {}});
  const auto s = tracker.snapshot();

  const auto text = coverageMetricsText(s);
  CHECK(text.find("# TYPE pactmocks_interaction_requests_total counter\n") != std::string::npos);
  CHECK(text.find("pactmocks_interaction_requests_total{consumer=\"Secret-Manager-Controller\",interaction=\"get "
                  "secret test-secret\"} 1\n") != std::string::npos);
  CHECK(text.find("interaction=\"get secret test-secret when it is gone\"} 0\n") != std::string::npos);
  CHECK(text.find("interaction=\"set \\\"secret\\\"\\\\\\nnow\xEF\xBF\xBD\"} 2\n") != std::string::npos);
  CHECK(text.find("pactmocks_unmatched_requests_total 1\n") != std::string::npos);
  CHECK(text.find("(other)") == std::string::npos);

  const auto capped = coverageMetricsText(s, 1);
  CHECK(capped.find("interaction=\"get secret test-secret\"} 1\n") != std::string::npos);
  CHECK(capped.find("when it is gone") == std::string::npos);
  CHECK(capped.find("pactmocks_interaction_requests_total{consumer=\"(other)\",interaction=\"(other)\"} 2\n") !=
        std::string::npos);
}

TEST_CASE("interactions differing only by provider state share one metric series") {
  CoverageTracker tracker;
  auto loaded = pacts();
  loaded[0].interactions[1].description = loaded[0].interactions[0].description;
  const auto slots = tracker.install(view(loaded));
  const auto& p = loaded[0];
  REQUIRE(tracker.recordHit(*slots, &p, 0, &p.interactions[0]));
  REQUIRE(tracker.recordHit(*slots, &p, 1, &p.interactions[1]));
  const auto text = coverageMetricsText(tracker.snapshot());
  CHECK(text.find("interaction=\"get secret test-secret\"} 2\n") != std::string::npos);
  CHECK(text.find("interaction=\"get secret test-secret\"}", text.find("} 2\n")) == std::string::npos);
}

TEST_CASE("an unmatched request's nearest interaction is attributed to the consumer of its pact") {
  CoverageTracker tracker;
  auto loaded = pacts();
  loaded.push_back(pact::parsePact(testing::smallPact("Azure-Key-Vault", "Other-Consumer"), "b.json"));
  const auto slots = tracker.install(view(loaded));
  tracker.recordUnmatched({"GET", "/x", &loaded[1], &loaded[1].interactions[2], {"method: expected PUT"}});
  const auto s = tracker.snapshot();
  REQUIRE(s.unmatched.size() == 1);
  CHECK(s.unmatched[0].nearestConsumer == "Other-Consumer");
  CHECK(s.unmatched[0].nearestDescription == "set secret test-secret");
}
