#include <catch2/catch.hpp>

#include "PublicationPlan.h"

using namespace pactmocks::manager;

namespace {
ValidPact pact(std::string file, std::string consumer, std::string provider, std::string sha) {
  return ValidPact{std::move(file), std::move(consumer), std::move(provider), "{}", std::move(sha)};
}
PublishedPact published(std::string provider, std::string consumer, std::string sha) {
  PublishedPact p;
  p.provider = std::move(provider);
  p.consumer = std::move(consumer);
  p.sha256 = std::move(sha);
  return p;
}
}  // namespace

TEST_CASE("planReconcile publishes new and changed pacts only", "[manager][plan]") {
  std::map<PactKey, PublishedPact> current{{{"P1", "C"}, published("P1", "C", "aaa")},
                                           {{"P2", "C"}, published("P2", "C", "bbb")},
                                           {{"P3", "C"}, published("P3", "C", "ccc")}};
  auto plan = planReconcile({pact("1.json", "C", "P1", "aaa"), pact("2.json", "C", "P2", "b2"),
                             pact("4.json", "C", "P4", "ddd")},
                            current);
  REQUIRE(plan.toPublish.size() == 2);
  CHECK(plan.toPublish[0].provider == "P2");
  CHECK(plan.toPublish[1].provider == "P4");
  REQUIRE(plan.unchanged.size() == 1);
  CHECK(plan.unchanged[0].provider == "P1");
  REQUIRE(plan.toWithdraw.size() == 1);
  CHECK(plan.toWithdraw[0] == PactKey{"P3", "C"});
  CHECK(plan.problems.empty());
}

TEST_CASE("planReconcile reports a second file for the same pair", "[manager][plan]") {
  auto plan = planReconcile({pact("a.json", "C", "P", "1"), pact("b.json", "C", "P", "2")}, {});
  REQUIRE(plan.toPublish.size() == 1);
  CHECK(plan.toPublish[0].file == "a.json");
  REQUIRE(plan.problems.size() == 1);
  CHECK(plan.problems[0].file == "b.json");
  CHECK_THAT(plan.problems[0].reason, Catch::Contains("duplicate"));
}

TEST_CASE("VersionPolicy: base version first, content hash suffix for edits", "[manager][plan]") {
  VersionPolicy v("main-abc");
  PactKey key{"P", "C"};
  std::string shaA(64, 'a'), shaB(64, 'b');
  CHECK(v.versionFor(key, shaA) == "main-abc");
  v.recordPublished(key, shaA, "main-abc");
  CHECK(v.versionFor(key, shaA) == "main-abc");
  CHECK(v.versionFor(key, shaB) == "main-abc+bbbbbbbbbbbb");
  v.recordPublished(key, shaB, "main-abc+bbbbbbbbbbbb");
  // Back to the first content: a new version so that it becomes the latest again.
  CHECK(v.versionFor(key, shaA) == "main-abc+aaaaaaaaaaaa");
  // Other pairs are independent.
  CHECK(v.versionFor({"Q", "C"}, shaB) == "main-abc");
}

TEST_CASE("VersionPolicy: a conflict on the base version switches to the suffixed form", "[manager][plan]") {
  VersionPolicy v("main-abc");
  PactKey key{"P", "C"};
  std::string sha(64, 'c');
  v.markConflict(key);
  CHECK(v.versionFor(key, sha) == "main-abc+cccccccccccc");
  v.recordPublished(key, sha, "main-abc+cccccccccccc");
  CHECK(v.versionFor(key, sha) == "main-abc+cccccccccccc");
}
