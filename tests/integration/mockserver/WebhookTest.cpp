// mock-webhook as a real process: deliveries are accepted and kept in a bounded journal.
#include <catch2/catch.hpp>

#include "JsonHttp.h"
#include "PodProcesses.h"

using namespace pactmocks;
using namespace std::chrono_literals;

TEST_CASE("mock-webhook records POSTs and answers {\"received\":true}", "[webhook]") {
  auto webhook = testsupport::startMockProcess("mock-webhook", {{"JOURNAL_SIZE", "3"}});
  REQUIRE(testsupport::waitForHttpStatus(webhook.port, "/health", 200, 10s));

  auto reply = testsupport::httpRequest(webhook.port, "POST", "/hooks/secret-rotated?x=1",
                                        R"({"secret":"test-secret","event":"rotated"})",
                                        {{"Content-Type", "application/json"}, {"X-Event", "rotation"}});
  CHECK(reply.status == 200);
  CHECK(nlohmann::json::parse(reply.body) == nlohmann::json{{"received", true}});
  CHECK(testsupport::httpRequest(webhook.port, "POST", "/other", "plain text").status == 200);

  auto journal = testsupport::getJson(webhook.port, "/__admin/requests");
  REQUIRE(journal["requests"].size() == 2);
  auto first = journal["requests"][0];
  CHECK(first["method"] == "POST");
  CHECK(first["path"] == "/hooks/secret-rotated");
  CHECK(first["query"] == "x=1");
  CHECK(first["headers"]["X-Event"] == "rotation");
  CHECK(first["body"]["event"] == "rotated");
  CHECK(first["time"].is_string());
  CHECK(journal["requests"][1]["body"] == "plain text");

  SECTION("the journal is bounded") {
    for (int i = 0; i < 5; ++i) testsupport::httpRequest(webhook.port, "POST", "/n/" + std::to_string(i), "{}");
    auto bounded = testsupport::getJson(webhook.port, "/__admin/requests");
    REQUIRE(bounded["requests"].size() == 3);
    CHECK(bounded["requests"][2]["path"] == "/n/4");
  }
  SECTION("DELETE clears it") {
    CHECK(testsupport::httpRequest(webhook.port, "DELETE", "/__admin/requests").status == 200);
    CHECK(testsupport::getJson(webhook.port, "/__admin/requests")["requests"].empty());
  }
  SECTION("credential headers are journaled redacted, with their scheme") {
    testsupport::httpRequest(webhook.port, "POST", "/hooks/signed", "{}",
                             {{"Authorization", "Bearer webhook-secret-token"}, {"X-Api-Key", "k3y"}});
    auto entries = testsupport::getJson(webhook.port, "/__admin/requests")["requests"];
    REQUIRE_FALSE(entries.empty());
    const auto& headers = entries.back()["headers"];
    CHECK(headers["Authorization"] == "Bearer <redacted>");
    CHECK(headers["X-Api-Key"] == "<redacted>");
    CHECK(entries.dump().find("webhook-secret-token") == std::string::npos);
  }
  SECTION("only POST is accepted on other paths") {
    CHECK(testsupport::httpRequest(webhook.port, "GET", "/hooks").status == 405);
  }
  CHECK(webhook.process.stop(5s) == 0);
}
