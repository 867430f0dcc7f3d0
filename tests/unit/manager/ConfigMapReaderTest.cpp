#include <filesystem>

#include <catch2/catch.hpp>

#include "ConfigMapReader.h"
#include "KubeletVolume.h"
#include "TestProcess.h"

using namespace pactmocks::manager;
using namespace pactmocks::testsupport;
namespace fs = std::filesystem;

namespace {
std::vector<std::string> names(const ConfigMapSnapshot& s) {
  std::vector<std::string> out;
  for (const auto& f : s.files) out.push_back(f.name);
  return out;
}
}  // namespace

TEST_CASE("A missing directory is an empty snapshot, not an error", "[manager][configmap]") {
  TempDir dir;
  auto snap = readConfigMap(dir / "absent");
  CHECK_FALSE(snap.directoryExists);
  CHECK(snap.files.empty());
  CHECK(snap.unreadable.empty());
}

TEST_CASE("A plain directory: regular *.json files, hidden and other entries skipped", "[manager][configmap]") {
  TempDir dir;
  writeFile(dir / "b.json", "B");
  writeFile(dir / "a.json", "A");
  writeFile(dir / ".hidden.json", "H");
  writeFile(dir / "notes.txt", "T");
  fs::create_directory(dir / "sub.json");
  auto snap = readConfigMap(dir.path());
  CHECK(snap.directoryExists);
  CHECK(snap.generation.empty());
  CHECK(names(snap) == std::vector<std::string>{"a.json", "b.json"});
  CHECK(snap.files[0].content == "A");
}

TEST_CASE("Kubelet layout: files are read through the current ..data generation", "[manager][configmap]") {
  TempDir dir;
  KubeletVolume volume(dir.path());
  volume.update({{"aws.json", "v1"}, {"gcp.json", "g1"}});
  auto first = readConfigMap(dir.path());
  CHECK(first.generation == volume.currentGeneration());
  CHECK(names(first) == std::vector<std::string>{"aws.json", "gcp.json"});
  CHECK(first.files[0].content == "v1");
  CHECK(first.files[0].path.find(volume.currentGeneration()) != std::string::npos);

  SECTION("an update swaps every file at once") {
    volume.update({{"aws.json", "v2"}, {"azure.json", "z1"}});
    auto second = readConfigMap(dir.path());
    CHECK(second.generation == volume.currentGeneration());
    CHECK(names(second) == std::vector<std::string>{"aws.json", "azure.json"});
    CHECK(second.files[0].content == "v2");
    CHECK_FALSE(fs::exists(dir / first.generation));
  }
  SECTION("an empty payload yields no files") {
    volume.update({});
    CHECK(readConfigMap(dir.path()).files.empty());
  }
}
