// Every example pact parses with the project's parser as V3 and each interaction is reachable by a
// request of its own (no two share method, path, query, headers and body).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "pact/PactParser.h"

namespace fs = std::filesystem;
using namespace pactmocks::pact;

namespace {

std::vector<fs::path> examplePacts() {
  const char* src = std::getenv("PACTMOCKS_SOURCE_DIR");
  REQUIRE(src != nullptr);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(src) / "examples/pacts"))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("example pacts parse as V3 with the project parser", "[examples]") {
  const auto files = examplePacts();
  REQUIRE(files.size() == 3);
  std::set<std::string> providers;
  for (const auto& file : files) {
    INFO(file.string());
    Pact pact;
    try {
      const std::string text = slurp(file);
      pact = parsePact(std::string_view(text), file.string());
    } catch (const PactParseError& e) {
      FAIL("parse error at " << e.pointer() << ": " << e.reason());
    }
    CHECK(pact.specVersion == SpecVersion::V3);
    CHECK(pact.consumer == "Secret-Manager-Controller");
    CHECK(file.filename().string() == pact.consumer + "-" + pact.provider + ".json");
    CHECK(pact.interactions.size() >= 6);
    CHECK(pact.notes.empty());
    providers.insert(pact.provider);

    std::set<std::string> descriptions;
    std::set<std::string> requests;
    for (const auto& i : pact.interactions) {
      INFO(i.description);
      CHECK(descriptions.insert(i.description).second);
      CHECK_FALSE(i.providerStates.empty());
      nlohmann::json key = {{"method", i.request.method}, {"path", i.request.path}, {"query", i.request.query->params},
                            {"body", i.request.body.present ? i.request.body.value : nlohmann::json()}};
      for (const auto& [name, value] : i.request.headers) key["headers"][name] = value;
      CHECK(requests.insert(key.dump()).second);
    }
  }
  CHECK(providers == std::set<std::string>{"AWS-Secrets-Manager", "GCP-Secret-Manager", "Azure-Key-Vault"});
}
