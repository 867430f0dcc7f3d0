// A contract with an invalid regex is rejected at load time with a clear error, and the good
// contracts next to it are still served.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "PodStack.h"
#include "TestProcess.h"
#include "pact/PactParser.h"

using namespace pactmocks::hardening;
using namespace pactmocks::testsupport;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

json examplePact() {
  return json::parse(readFile(examplePactsDir() + "/Secret-Manager-Controller-AWS-Secrets-Manager.json"));
}

// The example with one regex replaced by an invalid one (unbalanced group).
json pactWithInvalidRegex() {
  json pact = examplePact();
  pact["consumer"]["name"] = "Broken-Consumer";
  auto& rule = pact["interactions"][0]["request"]["matchingRules"]["body"]["$.ClientRequestToken"]["matchers"][0];
  rule["regex"] = "^([0-9a-f{8}";
  return pact;
}

}  // namespace

TEST_CASE("the parser rejects an invalid regex naming the file and the rule", "[hardening][contracts]") {
  const auto text = pactWithInvalidRegex().dump();
  try {
    (void)pactmocks::pact::parsePact(text, "broken.json");
    FAIL("an invalid regex was accepted");
  } catch (const pactmocks::pact::PactParseError& e) {
    const std::string message = e.what();
    INFO(message);
    CHECK(e.source() == "broken.json");
    CHECK(message.find("broken.json") != std::string::npos);
    CHECK(message.find("regex") != std::string::npos);
    CHECK(e.pointer().find("/interactions/0") != std::string::npos);
  }
}

TEST_CASE("a mock server skips a pact with an invalid regex and serves the good ones", "[hardening][contracts]") {
  TempDir dir;
  writeFile(dir / "good.json", examplePact().dump(2));
  writeFile(dir / "broken.json", pactWithInvalidRegex().dump(2));
  auto mock = startDirMock("aws-mock-server", dir.path());
  auto health = httpGet(mock.port, "/health");
  REQUIRE(health.status == 200);
  const auto body = json::parse(health.body);
  INFO(health.body);
  CHECK(body.value("interactions", 0) == static_cast<int>(examplePact()["interactions"].size()));
  CHECK(body.value("source", "") == "dir");
  REQUIRE(body.contains("problems"));
  const std::string problems = body["problems"].dump();
  CHECK(problems.find("broken.json") != std::string::npos);
  CHECK(problems.find("regex") != std::string::npos);
  // The good contract answers.
  auto reply = httpRequest(mock.port, "POST", "/",
                           R"({"Name":"test-secret","SecretString":"x","ClientRequestToken":"1eb1bdf8-bf80-4749-9743-ebeae7188eaf"})",
                           {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "secretsmanager.CreateSecret"}});
  CHECK(reply.status == 200);
}
