// Local mode (PACTS_DIR / --pacts-dir): the mock binaries as real processes on loopback.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <cerrno>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "KubeletVolume.h"
#include "JsonHttp.h"
#include "PodProcesses.h"
#include "RawConnection.h"
#include "TestPacts.h"

using namespace pactmocks;
using namespace pactmocks::mockserver::testing;
using namespace std::chrono_literals;
using testsupport::httpRequest;

namespace {

const std::string kGet = "/secrets/test-secret?api-version=7.4";

struct AzureMock {
  testsupport::TempDir dir;
  testsupport::ServerProcess mock;
  explicit AzureMock(std::map<std::string, std::string> env = {}) {
    testsupport::writeFile(dir / "azure.json", smallPact("Azure-Key-Vault"));
    testsupport::writeFile(dir / "aws.json", smallPact("AWS-Secrets-Manager"));
    testsupport::writeFile(dir / "broken.json", "{\"consumer\":");
    env.emplace("RELOAD_INTERVAL_SECONDS", "0.2");
    mock = testsupport::startMockProcess("azure-mock-server", std::move(env), {"--pacts-dir", dir.path()});
    REQUIRE(testsupport::waitForHttpStatus(mock.port, "/health", 200, 10s));
  }
  std::uint16_t port() const { return mock.port; }
};

}  // namespace

TEST_CASE("local mode serves the provider's pacts with generators applied", "[local]") {
  AzureMock azure;
  auto health = testsupport::getJson(azure.port(), "/health");
  CHECK(health["source"] == "dir");
  CHECK(health["provider"] == "Azure-Key-Vault");
  CHECK(health["interactions"] == 3);  // the AWS pact in the same directory is ignored
  CHECK(health["problems"].size() == 1);  // broken.json is reported, not fatal

  auto first = httpRequest(azure.port(), "GET", kGet, {}, {{"X-Pact-Provider-State", "secret exists"}});
  REQUIRE(first.status == 200);
  auto body = nlohmann::json::parse(first.body);
  CHECK(body["value"] == "s3cr3t");
  CHECK(body["id"].get<std::string>().size() == 36);
  auto second = httpRequest(azure.port(), "GET", kGet, {}, {{"X-Pact-Provider-State", "secret exists"}});
  CHECK(nlohmann::json::parse(second.body)["id"] != body["id"]);  // generated per response
  CHECK(first.header("x-pact-interaction") == "get secret test-secret");

  SECTION("the provider-state header selects among identical requests") {
    CHECK(httpRequest(azure.port(), "GET", kGet, {}, {{"X-Pact-Provider-State", "secret deleted"}}).status == 404);
    CHECK(httpRequest(azure.port(), "GET", kGet, {}, {{"x-pact-provider-state", "secret exists"}}).status == 200);
  }
  SECTION("a request body is matched") {
    auto ok = httpRequest(azure.port(), "PUT", kGet, R"({"value":"new"})", {{"Content-Type", "application/json"}});
    CHECK(ok.status == 200);
  }
}

TEST_CASE("no match: 500 with the request and the closest interactions", "[local]") {
  AzureMock azure;
  auto reply = httpRequest(azure.port(), "PUT", kGet, R"({"value":"other"})",
                           {{"Content-Type", "application/json"}, {"Authorization", "Bearer token"}});
  CHECK(reply.status == 500);
  CHECK(reply.header("x-pact") == "Request-Mismatch");
  auto body = nlohmann::json::parse(reply.body);
  CHECK(body["error"]["code"] == "PactRequestMismatch");
  CHECK(body["error"]["message"].get<std::string>().starts_with(
      "No matching interaction found for PUT /secrets/test-secret; nearest 'set secret test-secret': $.body.value"));
  CHECK(body["request"]["method"] == "PUT");
  CHECK(body["request"]["query"] == "api-version=7.4");
  REQUIRE_FALSE(body["closest"].empty());
  CHECK(body["closest"][0]["description"] == "set secret test-secret");
  CHECK_FALSE(body["closest"][0]["mismatches"].empty());

  auto journal = testsupport::getJson(azure.port(), "/__admin/requests");
  REQUIRE(journal["requests"].size() == 1);
  CHECK(journal["requests"][0]["outcome"] == "unmatched");
  CHECK(journal["requests"][0]["status"] == 500);
}

TEST_CASE("NO_MATCH_STATUS and the Key Vault challenge", "[local]") {
  AzureMock azure({{"NO_MATCH_STATUS", "501"}, {"AZURE_TENANT_ID", "my-tenant"}});
  auto challenge = httpRequest(azure.port(), "PUT", kGet, "", {});
  CHECK(challenge.status == 401);
  CHECK(challenge.header("www-authenticate") ==
        R"(Bearer authorization="https://login.microsoftonline.com/my-tenant", resource="https://vault.azure.net")");
  auto unmatched = httpRequest(azure.port(), "PUT", kGet, "{}", {{"Content-Type", "application/json"}, {"Authorization", "Bearer t"}});
  CHECK(unmatched.status == 501);
  auto journal = testsupport::getJson(azure.port(), "/__admin/requests");
  REQUIRE(journal["requests"].size() == 2);
  std::set<std::string> outcomes;
  for (const auto& e : journal["requests"]) outcomes.insert(e["outcome"].get<std::string>());
  CHECK(outcomes == std::set<std::string>{"challenge", "unmatched"});
}

TEST_CASE("every fault header, down to the socket", "[local][faults]") {
  AzureMock azure;
  const auto port = azure.port();
  auto code = [](const testsupport::HttpReply& r) { return nlohmann::json::parse(r.body)["error"]["code"]; };

  auto unauthorized = httpRequest(port, "GET", kGet, {}, {{"X-Auth-Failure", "unauthorized"}});
  CHECK(unauthorized.status == 401);
  CHECK(code(unauthorized) == "Unauthorized");
  CHECK(httpRequest(port, "GET", kGet, {}, {{"x-auth-failure", "403"}}).status == 403);
  auto unavailable = httpRequest(port, "GET", kGet, {}, {{"X-Service-Unavailable", "true"}});
  CHECK(unavailable.status == 503);
  CHECK(code(unavailable) == "ServiceUnavailable");
  auto limited = httpRequest(port, "GET", kGet, {}, {{"X-Rate-Limit", "true"}, {"X-Rate-Limit-Retry-After", "7"}});
  CHECK(limited.status == 429);
  CHECK(limited.header("retry-after") == "7");
  CHECK(code(limited) == "Throttled");
  // Precedence: auth beats 503 beats 429.
  CHECK(httpRequest(port, "GET", kGet, {},
                    {{"X-Rate-Limit", "true"}, {"X-Service-Unavailable", "true"}, {"X-Auth-Failure", "401"}})
            .status == 401);
  CHECK(httpRequest(port, "GET", kGet, {}, {{"X-Rate-Limit", "true"}, {"X-Service-Unavailable", "true"}}).status ==
        503);
  // Other values: no fault.
  CHECK(httpRequest(port, "GET", kGet, {}, {{"X-Rate-Limit", "false"}, {"X-Auth-Failure", "maybe"}}).status == 200);
  // Health is never faulted.
  CHECK(httpRequest(port, "GET", "/health", {}, {{"X-Service-Unavailable", "true"}}).status == 200);

  auto started = std::chrono::steady_clock::now();
  auto delayed = httpRequest(port, "GET", kGet, {}, {{"X-Fault-Delay-Ms", "300"}});
  CHECK(delayed.status == 200);
  CHECK(std::chrono::steady_clock::now() - started >= 300ms);

  const std::string request = "GET " + kGet + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Fault: ";
  testsupport::RawConnection reset(port);
  reset.send(request + "reset\r\n\r\n");
  CHECK(reset.readUntilClose().empty());
  CHECK(reset.lastErrno() == ECONNRESET);

  testsupport::RawConnection malformedConnection(port);
  malformedConnection.send(request + "malformed\r\n\r\n");
  const std::string malformed = malformedConnection.readUntilClose();
  REQUIRE(malformed.starts_with("HTTP/1.1 200"));
  const auto headerEnd = malformed.find("\r\n\r\n");
  REQUIRE(headerEnd != std::string::npos);
  const auto lengthAt = malformed.find("Content-Length: ");
  REQUIRE(lengthAt != std::string::npos);
  const auto promised = std::stoul(malformed.substr(lengthAt + 16));
  const auto delivered = malformed.size() - headerEnd - 4;
  CHECK(delivered < promised);
  CHECK(nlohmann::json::parse(malformed.substr(headerEnd + 4), nullptr, false).is_discarded());

  auto metrics = testsupport::httpGet(port, "/metrics");
  CHECK_THAT(metrics.body, Catch::Contains("outcome=\"fault\"} 7"));
}

TEST_CASE("AWS and GCP mocks answer faults in their provider's format", "[local][faults]") {
  testsupport::TempDir dir;
  testsupport::writeFile(dir / "aws.json", smallPact("AWS-Secrets-Manager"));
  testsupport::writeFile(dir / "gcp.json", smallPact("GCP-Secret-Manager"));
  auto aws = testsupport::startMockProcess("aws-mock-server", {{"PACTS_DIR", dir.path()}});
  auto gcp = testsupport::startMockProcess("gcp-mock-server", {}, {"--pacts-dir", dir.path()});
  REQUIRE(testsupport::waitForHttpStatus(aws.port, "/health", 200, 10s));
  REQUIRE(testsupport::waitForHttpStatus(gcp.port, "/health", 200, 10s));
  CHECK(testsupport::getJson(aws.port, "/health")["provider"] == "AWS-Secrets-Manager");
  CHECK(testsupport::getJson(gcp.port, "/health")["provider"] == "GCP-Secret-Manager");

  auto throttled = httpRequest(aws.port, "POST", "/", "{}", {{"X-Rate-Limit", "true"}});
  CHECK(throttled.status == 429);
  CHECK(throttled.header("x-amzn-errortype") == "ThrottlingException");
  CHECK(throttled.header("content-type") == "application/x-amz-json-1.1");
  CHECK(nlohmann::json::parse(throttled.body)["__type"] == "ThrottlingException");

  auto exhausted = httpRequest(gcp.port, "GET", kGet, {}, {{"X-Rate-Limit", "true"}});
  CHECK(exhausted.status == 429);
  auto error = nlohmann::json::parse(exhausted.body)["error"];
  CHECK(error["status"] == "RESOURCE_EXHAUSTED");
  CHECK(error["code"] == 429);
}

TEST_CASE("a kubelet ConfigMap volume is loaded and followed through ..data swaps", "[local][reload]") {
  testsupport::TempDir dir;
  testsupport::KubeletVolume volume(dir / "mount");
  volume.update({{"azure.json", smallPact("Azure-Key-Vault")}});
  // A long rescan interval: the update must be seen through inotify.
  auto mock = testsupport::startMockProcess("azure-mock-server", {{"PACTS_DIR", volume.mountDir()}, {"RELOAD_INTERVAL_SECONDS", "600"}});
  REQUIRE(testsupport::waitForHttpStatus(mock.port, "/health", 200, 10s));
  CHECK(testsupport::getJson(mock.port, "/health")["interactions"] == 3);

  volume.update({{"azure.json", smallPact("Azure-Key-Vault", "Secret-Manager-Controller", "renamed interaction")},
                 {"extra.json", smallPact("Azure-Key-Vault", "Another-Consumer")}});
  CHECK(testsupport::eventually([&] { return testsupport::getJson(mock.port, "/health")["interactions"] == 6; }, 5s));
  auto reply = httpRequest(mock.port, "GET", kGet, {}, {{"X-Pact-Provider-State", "secret exists"}});
  CHECK(reply.status == 200);
  auto list = testsupport::getJson(mock.port, "/__admin/interactions");
  CHECK(list.dump().find("renamed interaction") != std::string::npos);

  SECTION("a broken update keeps the last good contracts") {
    volume.update({{"azure.json", "{ broken"}});
    CHECK(testsupport::eventually([&] { return testsupport::getJson(mock.port, "/health")["failed_reloads"] == 1; }, 5s));
    auto health = testsupport::getJson(mock.port, "/health");
    CHECK(health["interactions"] == 6);
    CHECK(health["last_error"].is_string());
    CHECK(httpRequest(mock.port, "GET", kGet).status == 200);
  }
}

TEST_CASE("POST /__admin/reload rereads the directory; plain directories are rescanned", "[local][reload]") {
  testsupport::TempDir dir;
  testsupport::writeFile(dir / "azure.json", smallPact("Azure-Key-Vault"));
  auto mock = testsupport::startMockProcess("azure-mock-server", {{"PACTS_DIR", dir.path()}, {"RELOAD_INTERVAL_SECONDS", "600"}});
  REQUIRE(testsupport::waitForHttpStatus(mock.port, "/health", 200, 10s));
  testsupport::writeFile(dir / "second.json", smallPact("Azure-Key-Vault", "Second"));
  auto reload = httpRequest(mock.port, "POST", "/__admin/reload");
  CHECK(reload.status == 200);
  CHECK(nlohmann::json::parse(reload.body)["interactions"] == 6);
  CHECK(testsupport::getJson(mock.port, "/health")["interactions"] == 6);
}

TEST_CASE("a directory without the provider's pacts serves the default contract", "[local]") {
  testsupport::TempDir dir;
  testsupport::writeFile(dir / "aws.json", smallPact("AWS-Secrets-Manager"));
  auto mock = testsupport::startMockProcess("azure-mock-server", {{"PACTS_DIR", dir.path()}, {"RELOAD_INTERVAL_SECONDS", "0.2"}});
  REQUIRE(testsupport::waitForHttpStatus(mock.port, "/health", 200, 10s));
  auto health = testsupport::getJson(mock.port, "/health");
  CHECK(health["source"] == "default");
  CHECK(health["last_error"].is_string());
  CHECK(httpRequest(mock.port, "GET", "/secrets/anything?api-version=7.4").status == 200);
  // The real contract appears later: it replaces the default.
  testsupport::writeFile(dir / "azure.json", smallPact("Azure-Key-Vault"));
  CHECK(testsupport::eventually([&] { return testsupport::getJson(mock.port, "/health")["source"] == "dir"; }, 5s));
}

TEST_CASE("command line: --print-config, --version, bad configuration exits 2", "[local][config]") {
  auto run = [](std::map<std::string, std::string> env, std::vector<std::string> args) {
    testsupport::ProcessOptions options;
    options.executable = testsupport::builtExecutable("gcp-mock-server");
    options.args = std::move(args);
    options.env = std::move(env);
    auto process = testsupport::TestProcess::start(std::move(options));
    auto code = process.waitForExit(10s);
    return std::make_pair(code.value_or(-1), process.output());
  };
  auto [code, output] = run({{"BROKER_PASSWORD", "hunter2"}, {"BROKER_USERNAME", "pact"}}, {"--print-config"});
  CHECK(code == 0);
  auto config = nlohmann::json::parse(output);
  CHECK(config["provider"] == "GCP-Secret-Manager");
  CHECK(config["port"] == 1235);
  CHECK(config["health_path"] == "/health");
  CHECK(output.find("hunter2") == std::string::npos);

  auto [versionCode, version] = run({}, {"--version"});
  CHECK(versionCode == 0);
  CHECK_THAT(version, Catch::StartsWith("gcp-mock-server "));

  auto [badCode, badOutput] = run({{"STARTUP_TIMEOUT_SECONDS", "forever"}}, {});
  CHECK(badCode == 2);
  CHECK_THAT(badOutput, Catch::Contains("STARTUP_TIMEOUT_SECONDS"));
  auto [badFlag, badFlagOutput] = run({}, {"--port", "nope"});
  CHECK(badFlag == 2);
  CHECK_THAT(badFlagOutput, Catch::Contains("--port"));
}

TEST_CASE("SIGTERM stops a mock cleanly", "[local]") {
  AzureMock azure;
  CHECK(azure.mock.process.stop(5s) == 0);
}

TEST_CASE("a mock started under a low soft open-file limit raises it to the hard limit", "[local][limits]") {
  // Children inherit the limits: lower this process's soft limit while the mock starts.
  rlimit saved{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
  REQUIRE(saved.rlim_max > 256);
  rlimit lowered = saved;
  lowered.rlim_cur = 256;
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &lowered) == 0);
  testsupport::TempDir dir;
  testsupport::writeFile(dir / "aws.json", smallPact("AWS-Secrets-Manager"));
  auto mock = testsupport::startMockProcess("aws-mock-server", {}, {"--pacts-dir", dir.path()});
  ::setrlimit(RLIMIT_NOFILE, &saved);
  REQUIRE(testsupport::waitForHttpStatus(mock.port, "/health", 200, 10s));
  // /proc/<pid>/limits: "Max open files            <soft>               <hard>               files"
  std::ifstream limits("/proc/" + std::to_string(mock.process.pid()) + "/limits");
  std::string line, soft, hard;
  while (std::getline(limits, line))
    if (line.rfind("Max open files", 0) == 0) std::istringstream(line.substr(14)) >> soft >> hard;
  CHECK(hard == std::to_string(saved.rlim_max));
  CHECK(soft == hard);
}
