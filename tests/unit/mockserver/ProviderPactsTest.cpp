#include <catch2/catch.hpp>

#include <filesystem>

#include "KubeletVolume.h"
#include "TestPacts.h"
#include "TestProcess.h"
#include "mockserver/ProviderPacts.h"

using namespace pactmocks;
using namespace pactmocks::mockserver;
using pactmocks::mockserver::testing::smallPact;

namespace {
Result<LoadResult> loadDir(const std::string& dir, const PactFilter& filter) {
  return loadPactsFromDirectory(pactdir::PactDirectory(dir), filter);
}
}  // namespace

TEST_CASE("directory loading keeps the provider's pacts and reports broken files", "[loader]") {
  testsupport::TempDir dir;
  testsupport::writeFile(dir / "azure.json", smallPact("Azure-Key-Vault"));
  testsupport::writeFile(dir / "aws.json", smallPact("AWS-Secrets-Manager"));
  testsupport::writeFile(dir / "broken.json", "{ not json");
  testsupport::writeFile(dir / "notes.txt", "not a pact");
  testsupport::writeFile(dir / ".hidden.json", smallPact("Azure-Key-Vault"));
  testsupport::writeFile(dir / "webhooks.json", R"({"webhooks":[]})");  // a ConfigMap key that is no pact
  auto result = loadDir(dir.path(), {"Azure-Key-Vault", std::nullopt});
  REQUIRE(result);
  REQUIRE(result->pacts.size() == 1);
  CHECK(result->pacts[0]->provider == "Azure-Key-Vault");
  CHECK(result->pacts[0]->interactions.size() == 3);
  REQUIRE(result->problems.size() == 1);
  CHECK_THAT(result->problems[0], Catch::Contains("broken.json"));
}

TEST_CASE("directory loading filters by consumer", "[loader]") {
  testsupport::TempDir dir;
  testsupport::writeFile(dir / "a.json", smallPact("Azure-Key-Vault", "A"));
  testsupport::writeFile(dir / "b.json", smallPact("Azure-Key-Vault", "B"));
  auto all = loadDir(dir.path(), {"Azure-Key-Vault", std::nullopt});
  REQUIRE(all);
  CHECK(all->pacts.size() == 2);
  auto onlyB = loadDir(dir.path(), {"Azure-Key-Vault", std::string("B")});
  REQUIRE(onlyB);
  REQUIRE(onlyB->pacts.size() == 1);
  CHECK(onlyB->pacts[0]->consumer == "B");
}

TEST_CASE("a kubelet ConfigMap volume loads through ..data and follows updates", "[loader]") {
  testsupport::TempDir dir;
  testsupport::KubeletVolume volume(dir / "mount");
  volume.update({{"azure.json", smallPact("Azure-Key-Vault")}, {"aws.json", smallPact("AWS-Secrets-Manager")}});
  auto result = loadDir(volume.mountDir(), {"azure-key-vault", std::nullopt});
  REQUIRE(result);
  REQUIRE(result->pacts.size() == 1);
  CHECK(result->problems.empty());  // the ..timestamp directory and ..data are hidden
  volume.update({{"azure.json", smallPact("Azure-Key-Vault", "Secret-Manager-Controller", "changed")}});
  auto after = loadDir(volume.mountDir(), {"Azure-Key-Vault", std::nullopt});
  REQUIRE(after);
  REQUIRE(after->pacts.size() == 1);
  CHECK(after->pacts[0]->interactions[0].description == "changed");
}

TEST_CASE("missing directory or no usable pact is an error", "[loader]") {
  auto missing = loadDir("/nonexistent/pacts", {"Azure-Key-Vault", std::nullopt});
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error(), Catch::Contains("/nonexistent/pacts"));
  testsupport::TempDir dir;
  testsupport::writeFile(dir / "aws.json", smallPact("AWS-Secrets-Manager"));
  testsupport::writeFile(dir / "broken.json", "{ not json");
  auto none = loadDir(dir.path(), {"Azure-Key-Vault", std::nullopt});
  REQUIRE_FALSE(none);
  CHECK_THAT(none.error(), Catch::Contains("Azure-Key-Vault"));
  CHECK_THAT(none.error(), Catch::Contains("broken.json"));  // what was skipped is the reason
}

TEST_CASE("pacts from the broker: other providers and documents that are no pact are reported", "[loader]") {
  std::vector<std::string> problems;
  const PactFilter filter{"Azure-Key-Vault", std::nullopt};
  CHECK(acceptPact(smallPact("Azure-Key-Vault"), "a", filter, problems, true));
  CHECK_FALSE(acceptPact(smallPact("AWS-Secrets-Manager"), "b", filter, problems, true));
  CHECK_FALSE(acceptPact(R"({"webhooks":[]})", "c", filter, problems, true));
  REQUIRE(problems.size() == 2);
  CHECK_THAT(problems[0], Catch::Contains("AWS-Secrets-Manager"));
  CHECK_THAT(problems[1], Catch::Contains("not a pact"));
  problems.clear();
  CHECK_FALSE(acceptPact(smallPact("AWS-Secrets-Manager"), "b", filter, problems, false));
  CHECK_FALSE(acceptPact(R"({"webhooks":[]})", "c", filter, problems, false));
  CHECK(problems.empty());
}

TEST_CASE("a reload of an edited pact keeps its unchanged interactions", "[loader][reuse]") {
  testsupport::TempDir dir;
  testsupport::writeFile(dir / "azure.json", smallPact("Azure-Key-Vault"));
  const PactFilter filter{"Azure-Key-Vault", std::nullopt};
  const pactdir::PactDirectory directory(dir.path());
  auto first = loadPactsFromDirectory(directory, filter);
  REQUIRE(first);
  const auto& before = first->pacts.at(0)->interactions;

  testsupport::writeFile(dir / "azure.json", smallPact("Azure-Key-Vault", "Secret-Manager-Controller", "changed"));
  auto second = loadPactsFromDirectory(directory, filter, first->byDigest);
  REQUIRE(second);
  REQUIRE(second->pacts.size() == 1);
  const auto& after = second->pacts[0]->interactions;
  REQUIRE(after.size() == 3);
  CHECK(after[0].description == "changed");
  CHECK(after.shared(0) != before.shared(0));
  CHECK(after.shared(1) == before.shared(1));
  CHECK(after.shared(2) == before.shared(2));
}

TEST_CASE("a pact under a new name (a broker's new pact version) keeps the interactions of the same consumer's last one",
          "[loader][reuse]") {
  const PactFilter filter{"Azure-Key-Vault", std::nullopt};
  std::vector<std::string> problems;
  auto first = acceptPact(smallPact("Azure-Key-Vault"), "/pacts/provider/Azure-Key-Vault/consumer/C/pact-version/1",
                          filter, problems, true);
  REQUIRE(first);
  ParsedPacts reusable{{"digest-1", std::make_shared<const pact::Pact>(std::move(*first))}};
  const auto& before = reusable.begin()->second->interactions;
  auto next = acceptPact(smallPact("Azure-Key-Vault", "Secret-Manager-Controller", "changed"),
                         "/pacts/provider/Azure-Key-Vault/consumer/C/pact-version/2", filter, problems, true, reusable);
  REQUIRE(next);
  CHECK(next->interactions.shared(1) == before.shared(1));
  // Another consumer's pact keeps nothing of it.
  auto other = acceptPact(smallPact("Azure-Key-Vault", "Other", "changed"), "other", filter, problems, true, reusable);
  REQUIRE(other);
  CHECK(other->interactions.shared(1) != before.shared(1));
  CHECK(problems.empty());
}
