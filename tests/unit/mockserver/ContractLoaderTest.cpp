#include <catch2/catch.hpp>

#include <filesystem>

#include "KubeletVolume.h"
#include "TestPacts.h"
#include "TestProcess.h"
#include "mockserver/ContractLoader.h"

using namespace pactmocks;
using namespace pactmocks::mockserver;
using pactmocks::mockserver::testing::smallPact;

TEST_CASE("directory loading keeps the provider's pacts and reports broken files", "[loader]") {
  testsupport::TempDir dir;
  testsupport::writeFile(dir / "azure.json", smallPact("Azure-Key-Vault"));
  testsupport::writeFile(dir / "aws.json", smallPact("AWS-Secrets-Manager"));
  testsupport::writeFile(dir / "broken.json", "{ not json");
  testsupport::writeFile(dir / "notes.txt", "not a pact");
  testsupport::writeFile(dir / ".hidden.json", smallPact("Azure-Key-Vault"));
  auto result = loadPactsFromDirectory(dir.path(), {"Azure-Key-Vault", std::nullopt});
  CHECK(result.error.empty());
  REQUIRE(result.pacts.size() == 1);
  CHECK(result.pacts[0].provider == "Azure-Key-Vault");
  CHECK(result.pacts[0].interactions.size() == 3);
  REQUIRE(result.problems.size() == 1);
  CHECK_THAT(result.problems[0], Catch::Contains("broken.json"));
}

TEST_CASE("directory loading filters by consumer", "[loader]") {
  testsupport::TempDir dir;
  testsupport::writeFile(dir / "a.json", smallPact("Azure-Key-Vault", "A"));
  testsupport::writeFile(dir / "b.json", smallPact("Azure-Key-Vault", "B"));
  auto all = loadPactsFromDirectory(dir.path(), {"Azure-Key-Vault", std::nullopt});
  CHECK(all.pacts.size() == 2);
  auto onlyB = loadPactsFromDirectory(dir.path(), {"Azure-Key-Vault", std::string("B")});
  REQUIRE(onlyB.pacts.size() == 1);
  CHECK(onlyB.pacts[0].consumer == "B");
}

TEST_CASE("a kubelet ConfigMap volume loads through ..data, and its fingerprint follows updates", "[loader]") {
  testsupport::TempDir dir;
  testsupport::KubeletVolume volume(dir / "mount");
  volume.update({{"azure.json", smallPact("Azure-Key-Vault")}, {"aws.json", smallPact("AWS-Secrets-Manager")}});
  auto files = listPactFiles(volume.mountDir());
  CHECK(files.size() == 2);  // the ..timestamp directory and ..data are hidden
  auto result = loadPactsFromDirectory(volume.mountDir(), {"azure-key-vault", std::nullopt});
  REQUIRE(result.pacts.size() == 1);
  const auto before = directoryFingerprint(volume.mountDir());
  CHECK(before == directoryFingerprint(volume.mountDir()));
  volume.update({{"azure.json", smallPact("Azure-Key-Vault", "Secret-Manager-Controller", "changed")}});
  CHECK(before != directoryFingerprint(volume.mountDir()));
  auto after = loadPactsFromDirectory(volume.mountDir(), {"Azure-Key-Vault", std::nullopt});
  REQUIRE(after.pacts.size() == 1);
  CHECK(after.pacts[0].interactions[0].description == "changed");
}

TEST_CASE("missing directory or no usable pact is an error", "[loader]") {
  auto missing = loadPactsFromDirectory("/nonexistent/pacts", {"Azure-Key-Vault", std::nullopt});
  CHECK_FALSE(missing.error.empty());
  testsupport::TempDir dir;
  testsupport::writeFile(dir / "aws.json", smallPact("AWS-Secrets-Manager"));
  auto none = loadPactsFromDirectory(dir.path(), {"Azure-Key-Vault", std::nullopt});
  CHECK(none.pacts.empty());
  CHECK_THAT(none.error, Catch::Contains("Azure-Key-Vault"));
}
