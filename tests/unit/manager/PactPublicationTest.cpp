// Publishing one pact as a sequence of broker calls, decided from the answers (no broker), and
// the verification of a published pact.
#include <catch2/catch.hpp>

#include <algorithm>

#include "PactPublication.h"

using namespace pactmocks::manager;
using Kind = PublishCall::Kind;

namespace {

const std::string kShaA(64, 'a'), kShaB(64, 'b');

ValidPact pact(const std::string& sha) { return ValidPact{"a.json", "C", "P", "{}", sha}; }

BrokerAnswer status(int code) { return BrokerAnswer{code, code >= 300 ? "HTTP " + std::to_string(code) : "", ""}; }
BrokerAnswer serving(const std::string& version) { return BrokerAnswer{200, "", version}; }

// Answers each call from `answers` in order; returns the calls made.
std::vector<PublishCall> run(PactPublication& publication, const std::vector<BrokerAnswer>& answers) {
  std::vector<PublishCall> calls;
  for (const auto& answer : answers) {
    auto call = publication.next();
    if (!call) break;
    calls.push_back(*call);
    publication.answer(answer);
  }
  return calls;
}

}  // namespace

TEST_CASE("PactPublication: first publication under the base version", "[manager][plan]") {
  VersionPolicy versions("main-abc");
  auto p = pact(kShaA);
  PactPublication publication(p, versions, "main");
  auto calls = run(publication, {status(201), serving("main-abc"), status(201)});
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].kind == Kind::PutPact);
  CHECK(calls[0].version == "main-abc");
  CHECK(calls[1].kind == Kind::CheckLatest);
  CHECK(calls[2].kind == Kind::RecordBranch);
  CHECK_FALSE(publication.next());
  REQUIRE(publication.result());
  CHECK(*publication.result() == "main-abc");
  CHECK(versions.versionFor({"P", "C"}, kShaA) == "main-abc");
}

TEST_CASE("PactPublication: changed content under the same commit gets the suffixed version", "[manager][plan]") {
  VersionPolicy versions("main-abc");
  versions.recordPublished({"P", "C"}, kShaA, "main-abc");
  auto p = pact(kShaB);
  PactPublication publication(p, versions, "main");
  auto calls = run(publication, {status(200), serving("main-abc+bbbbbbbbbbbb"), status(201)});
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].version == "main-abc+bbbbbbbbbbbb");
  CHECK(*publication.result() == "main-abc+bbbbbbbbbbbb");
  // Back to the first content: suffixed too, so that it becomes the latest again.
  CHECK(versions.versionFor({"P", "C"}, kShaA) == "main-abc+aaaaaaaaaaaa");
}

TEST_CASE("PactPublication: a 409 under the base version switches to the suffixed version", "[manager][plan]") {
  VersionPolicy versions("main-abc");
  auto p = pact(kShaA);
  PactPublication publication(p, versions, "main");
  REQUIRE(run(publication, {status(409)}).size() == 1);
  CHECK_THAT(publication.note(), Catch::Contains("content-hash version"));
  auto calls = run(publication, {status(201), serving("main-abc+aaaaaaaaaaaa"), status(201)});
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].kind == Kind::PutPact);
  CHECK(calls[0].version == "main-abc+aaaaaaaaaaaa");
  CHECK(*publication.result() == "main-abc+aaaaaaaaaaaa");
}

TEST_CASE("PactPublication: a 409 under a suffixed version is a failure", "[manager][plan]") {
  VersionPolicy versions("main-abc");
  auto p = pact(kShaA);
  PactPublication publication(p, versions, "main");
  auto calls = run(publication, {status(409), status(409), status(201)});
  CHECK(calls.size() == 2);
  auto result = publication.result();
  REQUIRE_FALSE(result);
  CHECK(result.error().status == 409);
  CHECK(result.error().reason ==
        "the broker refuses to change the content of version main-abc+aaaaaaaaaaaa: HTTP 409");
}

TEST_CASE("PactPublication: a stale latest leads to .2 … .5, then the broker's answer is taken", "[manager][plan]") {
  VersionPolicy versions("main-abc");
  versions.markConflict({"P", "C"});
  auto p = pact(kShaA);
  PactPublication publication(p, versions, "main");
  std::vector<BrokerAnswer> answers;
  for (int i = 0; i < 5; ++i) answers.insert(answers.end(), {status(200), serving("main-abc+other")});
  answers.push_back(status(201));
  auto calls = run(publication, answers);
  std::vector<std::string> puts;
  for (const auto& c : calls)
    if (c.kind == Kind::PutPact) puts.push_back(c.version);
  CHECK(puts == std::vector<std::string>{"main-abc+aaaaaaaaaaaa", "main-abc+aaaaaaaaaaaa.2", "main-abc+aaaaaaaaaaaa.3",
                                         "main-abc+aaaaaaaaaaaa.4", "main-abc+aaaaaaaaaaaa.5"});
  CHECK(calls.back().kind == Kind::RecordBranch);
  CHECK(*publication.result() == "main-abc+aaaaaaaaaaaa.5");
}

TEST_CASE("PactPublication: content the ConfigMap returns to many times becomes the latest each time",
          "[manager][plan]") {
  // A ConfigMap toggled between two contents under one commit: every return to a content needs a
  // version the broker has not seen, or its older version stays behind the other content's.
  VersionPolicy versions("main-abc");
  versions.markConflict({"P", "C"});
  std::vector<std::string> published;
  for (int toggle = 0; toggle < 8; ++toggle) {
    auto p = pact(toggle % 2 ? kShaB : kShaA);
    PactPublication publication(p, versions, "main");
    const std::string hashVersion = VersionPolicy::suffixed("main-abc", p.sha256);
    std::string version = hashVersion;
    if (toggle >= 2) {
      // The hash version exists already (201 the first time, 200 now) and is not the latest.
      auto calls = run(publication, {status(200), serving("main-abc+other")});
      REQUIRE(calls.size() == 2);
      CHECK(calls[0].version == hashVersion);
      version = publication.next()->version;
      CHECK(std::find(published.begin(), published.end(), version) == published.end());
    }
    run(publication, {status(201), serving(version), status(201)});
    REQUIRE(publication.result());
    CHECK(*publication.result() == version);
    published.push_back(version);
  }
  CHECK(published[6] == "main-abc+aaaaaaaaaaaa.6");  // .2 to .5 went to the returns before
}

TEST_CASE("PactPublication: retry decisions of the failures", "[manager][plan]") {
  VersionPolicy versions("main-abc");
  auto p = pact(kShaA);
  SECTION("an unreachable broker fails the PUT with its description") {
    PactPublication publication(p, versions, "main");
    run(publication, {BrokerAnswer{0, "timeout after 5000 ms", ""}});
    REQUIRE_FALSE(publication.result());
    CHECK(publication.result().error().reason == "timeout after 5000 ms");
    CHECK(publication.result().error().call.kind == Kind::PutPact);
  }
  SECTION("an unanswered latest check is no failure") {
    PactPublication publication(p, versions, "main");
    auto calls = run(publication, {status(201), status(503), status(201)});
    CHECK(calls.back().kind == Kind::RecordBranch);
    CHECK(publication.result());
  }
  SECTION("a failed branch record fails the publication and records nothing") {
    PactPublication publication(p, versions, "main");
    run(publication, {status(201), serving("main-abc"), status(500)});
    REQUIRE_FALSE(publication.result());
    CHECK(publication.result().error().reason == "recording branch main for version main-abc failed: HTTP 500");
    VersionPolicy fresh("main-abc");
    CHECK(versions.versionFor({"P", "C"}, kShaB) == fresh.versionFor({"P", "C"}, kShaB));
  }
}

TEST_CASE("checkStillServed: served, lost, or cannot tell", "[manager][plan]") {
  CHECK(checkStillServed(serving("v1"), "v1"));
  CHECK(checkStillServed(serving(""), "v1"));  // no version in the answer: taken as served
  auto other = checkStillServed(serving("v2"), "v1");
  REQUIRE_FALSE(other);
  CHECK_FALSE(other.error().unreachable);
  CHECK(other.error().reason == "latest is version v2");
  auto gone = checkStillServed(status(404), "v1");
  REQUIRE_FALSE(gone);
  CHECK_FALSE(gone.error().unreachable);
  CHECK(gone.error().reason == "404 not found");
  for (int code : {0, 502}) {
    auto unknown = checkStillServed(BrokerAnswer{code, "down", ""}, "v1");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().unreachable);
    CHECK(unknown.error().reason == "cannot verify: down");
  }
}
