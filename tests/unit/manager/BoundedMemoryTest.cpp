// What the publisher remembers between passes follows the ConfigMap instead of only growing.
#include <catch2/catch.hpp>

#include "ProblemLog.h"
#include "VersionPolicy.h"

using namespace pactmocks::manager;

TEST_CASE("ProblemLog: each problem is logged once while it lasts, again when it comes back", "[manager][plan]") {
  ProblemLog log;
  const FileProblem bad{"bad.json", "invalid JSON"}, dup{"b.json", "duplicate"};
  auto first = log.update({bad, dup, bad});
  REQUIRE(first.size() == 2);
  CHECK(first[0].file == "bad.json");
  CHECK(first[1].file == "b.json");
  CHECK(log.update({bad, dup}).empty());

  // bad.json fixed: forgotten.
  CHECK(log.update({dup}).empty());
  CHECK(log.size() == 1);
  // Broken again: logged again.
  auto again = log.update({dup, bad});
  REQUIRE(again.size() == 1);
  CHECK(again[0].file == "bad.json");
  // Another reason for the same file is another problem.
  CHECK(log.update({dup, {"bad.json", "no consumer"}}).size() == 1);
  CHECK(log.update({}).empty());
  CHECK(log.size() == 0);
}

TEST_CASE("VersionPolicy::retain forgets the pairs no longer in the ConfigMap", "[manager][plan]") {
  VersionPolicy v("main-abc");
  const std::string shaA(64, 'a'), shaB(64, 'b');
  const PactKey kept{"P1", "C"}, gone{"P2", "C"};
  for (const auto& key : {kept, gone}) {
    v.recordPublished(key, shaA, "main-abc");
    v.recordPublished(key, shaB, "main-abc+bbbbbbbbbbbb");
  }
  REQUIRE(v.pairCount() == 2);
  v.retain({kept});
  CHECK(v.pairCount() == 1);
  // The kept pair keeps its history (diverged: suffixed even for its first content) ...
  CHECK(v.versionFor(kept, shaA) == "main-abc+aaaaaaaaaaaa");
  // ... the forgotten one starts again from the base version.
  CHECK(v.versionFor(gone, shaA) == "main-abc");
  v.retain({});
  CHECK(v.pairCount() == 0);
}
