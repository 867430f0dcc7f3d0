#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "KubeletVolume.h"
#include "TestProcess.h"
#include "pactdir/PactDirectory.h"

using namespace pactmocks::pactdir;
using namespace pactmocks::testsupport;
namespace fs = std::filesystem;

namespace {
std::vector<std::string> names(const PactSnapshot& s) {
  std::vector<std::string> out;
  for (const auto& f : s.files) out.push_back(f.name);
  return out;
}
}  // namespace

TEST_CASE("A missing directory is an empty snapshot, not an error", "[pactdir]") {
  TempDir dir;
  PactDirectory missing(dir / "absent");
  auto snap = missing.read();
  CHECK_FALSE(snap.directoryExists);
  CHECK(snap.files.empty());
  CHECK(snap.unreadable.empty());
  // Listing it is an error (the mocks report it); its fingerprint is the empty one.
  auto listed = missing.list();
  REQUIRE_FALSE(listed);
  CHECK_THAT(listed.error(), Catch::Contains("absent"));
  CHECK(missing.fingerprint() == "empty");
}

TEST_CASE("A plain directory: regular *.json files, hidden and other entries skipped", "[pactdir]") {
  TempDir dir;
  writeFile(dir / "b.json", "B");
  writeFile(dir / "a.json", "A");
  writeFile(dir / ".hidden.json", "H");
  writeFile(dir / "notes.txt", "T");
  writeFile(dir / ".json", "too short to be a pact file name");
  fs::create_directory(dir / "sub.json");
  PactDirectory pacts(dir.path());
  auto snap = pacts.read();
  CHECK(snap.directoryExists);
  CHECK(snap.generation.empty());
  CHECK(names(snap) == std::vector<std::string>{"a.json", "b.json"});
  CHECK(snap.files[0].content == "A");
  CHECK(pacts.list().value() == std::vector<std::string>{"a.json", "b.json"});

  SECTION("symlinks to files are followed") {
    writeFile(dir / "elsewhere.txt", "L");
    fs::create_symlink(dir / "elsewhere.txt", dir / "linked.json");
    auto linked = pacts.read();
    REQUIRE(names(linked) == std::vector<std::string>{"a.json", "b.json", "linked.json"});
    CHECK(linked.files[2].content == "L");
  }
  SECTION("the fingerprint follows rewrites, additions and removals") {
    const auto before = pacts.fingerprint();
    CHECK(before == pacts.fingerprint());
    writeFile(dir / "a.json", "A, rewritten");
    const auto rewritten = pacts.fingerprint();
    CHECK(rewritten != before);
    writeFile(dir / "c.json", "C");
    const auto added = pacts.fingerprint();
    CHECK(added != rewritten);
    fs::remove(dir / "c.json");
    CHECK(pacts.fingerprint() != added);
  }
}

TEST_CASE("Kubelet layout: files are read through the current ..data generation", "[pactdir]") {
  TempDir dir;
  KubeletVolume volume(dir.path());
  volume.update({{"aws.json", "v1"}, {"gcp.json", "g1"}});
  PactDirectory pacts(dir.path());
  auto first = pacts.read();
  CHECK(first.generation == volume.currentGeneration());
  CHECK(names(first) == std::vector<std::string>{"aws.json", "gcp.json"});
  CHECK(first.files[0].content == "v1");
  CHECK(first.files[0].path.find(volume.currentGeneration()) != std::string::npos);
  CHECK(pacts.list().value() == std::vector<std::string>{"aws.json", "gcp.json"});  // ..data and ..<timestamp> hidden
  const auto fingerprint = pacts.fingerprint();
  CHECK(fingerprint == pacts.fingerprint());

  SECTION("an update swaps every file at once") {
    volume.update({{"aws.json", "v2"}, {"azure.json", "z1"}});
    auto second = pacts.read();
    CHECK(second.generation == volume.currentGeneration());
    CHECK(names(second) == std::vector<std::string>{"aws.json", "azure.json"});
    CHECK(second.files[0].content == "v2");
    CHECK_FALSE(fs::exists(dir / first.generation));
    CHECK(pacts.fingerprint() != fingerprint);
  }
  SECTION("an update with the same keys changes the fingerprint") {
    volume.update({{"aws.json", "v1, edited"}, {"gcp.json", "g1"}});
    CHECK(pacts.fingerprint() != fingerprint);
  }
  SECTION("an empty payload yields no files") {
    volume.update({});
    CHECK(pacts.read().files.empty());
    CHECK(pacts.fingerprint() == "empty");
  }
}

TEST_CASE("Kubelet layout: opened files are read as of their generation, whatever swaps meanwhile", "[pactdir]") {
  TempDir dir;
  KubeletVolume volume(dir.path());
  volume.update({{"aws.json", "v1"}, {"gcp.json", "g1"}});
  PactDirectory pacts(dir.path());
  auto opened = pacts.open();
  REQUIRE(opened.files.size() == 2);
  CHECK(opened.generation == volume.currentGeneration());
  const std::string generation = opened.generation;

  volume.update({{"aws.json", "v2"}, {"gcp.json", "g2"}});  // swaps ..data and removes the old generation
  REQUIRE_FALSE(fs::exists(dir / generation));
  CHECK(opened.files[0].name == "aws.json");
  CHECK(opened.files[0].text.readAll().value() == "v1");
  CHECK(opened.files[1].text.readAll().value() == "g1");
  CHECK_FALSE(opened.files[0].text.changedSinceOpen());
  CHECK(pacts.read().files[0].content == "v2");
}

TEST_CASE("Participants from an open file, which is read only up to them", "[pactdir]") {
  TempDir dir;
  writeFile(dir / "p.json", R"({"consumer":{"name":"C"},"interactions":[{"a":1}],"provider":{"name":"P"}})");
  auto text = pactmocks::TextSource::openFile(dir / "p.json");
  REQUIRE(text);
  auto names = pactParticipants(*text);
  REQUIRE(names);
  CHECK(names->consumer == "C");
  CHECK(names->provider == "P");
  writeFile(dir / "bad.json", R"({"consumer":)");
  CHECK(pactParticipants(pactmocks::TextSource::openFile(dir / "bad.json").value()).error() == "not a JSON object");
}

TEST_CASE("Participants: consumer.name and provider.name, or why not", "[pactdir]") {
  auto names = [](const char* text) { return pactParticipants(nlohmann::json::parse(text)); };
  auto both = names(R"({"consumer":{"name":"C"},"provider":{"name":"P"}})");
  REQUIRE(both);
  CHECK(both->consumer == "C");
  CHECK(both->provider == "P");
  auto error = [&](const char* text) {
    auto r = names(text);
    REQUIRE_FALSE(r);
    return r.error();
  };
  CHECK(error("[1]") == "not a JSON object");
  CHECK(error(R"({"provider":{"name":"P"}})") == "missing \"consumer\" object");
  CHECK(error(R"({"consumer":{"name":""},"provider":{"name":"P"}})") == "missing or empty \"consumer.name\"");
  CHECK(error(R"({"consumer":{"name":"C"},"provider":{"name":7}})") == "missing or empty \"provider.name\"");
  CHECK(error(R"({"consumer":{"name":"C"},"provider":"P"})") == "missing \"provider\" object");
}
