// Limits and abuse against a real mock server binary on loopback: what a misbehaving or hostile
// client can send must end in a clear status or a closed connection, never in a crash, a hang
// or other clients being starved.
#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "PodStack.h"
#include "core/OpenFileLimit.h"
#include "RawConnection.h"
#include "TestProcess.h"

using namespace pactmocks::hardening;
using namespace pactmocks::testsupport;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string kAwsCreate =
    "Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: secretsmanager.CreateSecret\r\n";

// The server is still alive and answering after the abuse.
void requireStillServing(const ServerProcess& mock) {
  auto health = httpGet(mock.port, "/health", 5s);
  REQUIRE(health.status == 200);
}

}  // namespace

TEST_CASE("a header section over the limit is answered 431 and the server keeps serving", "[hardening][limits]") {
  auto mock = startDirMock("aws-mock-server", examplePactsDir());
  RawConnection connection(mock.port);
  REQUIRE(connection.send(getRequest("/health", "X-Padding: " + std::string(64 * 1024, 'a') + "\r\n")));
  auto response = connection.readResponse(5s);
  REQUIRE(response);
  CHECK(response->status == 431);
  CHECK(connection.waitForClose(5s));

  // Many small headers add up the same way.
  RawConnection many(mock.port);
  std::string headers;
  for (int i = 0; i < 2000; ++i) headers += "X-H" + std::to_string(i) + ": v\r\n";
  REQUIRE(many.send(getRequest("/health", headers)));
  auto manyResponse = many.readResponse(5s);
  REQUIRE(manyResponse);
  CHECK(manyResponse->status == 431);
  requireStillServing(mock);
}

TEST_CASE("a body over the limit is answered 413, with Content-Length or chunked", "[hardening][limits]") {
  auto mock = startDirMock("aws-mock-server", examplePactsDir(), {{"MAX_BODY_BYTES", "2048"}});
  SECTION("declared by Content-Length") {
    RawConnection connection(mock.port);
    connection.send(postRequest("/", std::string(10'000, 'x'), kAwsCreate));
    auto response = connection.readResponse(5s);
    REQUIRE(response);
    CHECK(response->status == 413);
    // In the AWS error format, as the SDK expects every error; and logged by the mock.
    CHECK(response->headers["x-amzn-errortype"] == "RequestEntityTooLargeException");
    CHECK(response->body.find("\"__type\":\"RequestEntityTooLargeException\"") != std::string::npos);
    CHECK(mock.process.waitForOutput("rejected a request", 5s));
  }
  SECTION("Content-Length announced far over the limit, body never sent") {
    RawConnection connection(mock.port);
    connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n");
    auto response = connection.readResponse(5s);
    REQUIRE(response);
    CHECK(response->status == 413);
  }
  SECTION("chunked") {
    RawConnection connection(mock.port);
    std::string chunk(1000, 'y');
    std::string request = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 5; ++i) request += "3e8\r\n" + chunk + "\r\n";
    request += "0\r\n\r\n";
    connection.send(request);
    auto response = connection.readResponse(5s);
    REQUIRE(response);
    CHECK(response->status == 413);
  }
  requireStillServing(mock);
}

TEST_CASE("slow-drip clients are cut after the read timeout while others are served", "[hardening][slowloris]") {
  auto mock = startDirMock("aws-mock-server", examplePactsDir());
  constexpr int kSlowClients = 50;
  std::vector<RawConnection> slow;
  for (int i = 0; i < kSlowClients; ++i) {
    slow.emplace_back(mock.port);
    REQUIRE(slow.back().send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  }
  // The server's read timeout is 10 s: drip a header byte per client every 500 ms for up to 16 s
  // and check that a normal client is served promptly all along.
  const auto start = std::chrono::steady_clock::now();
  int cut = 0;
  std::vector<bool> closed(kSlowClients, false);
  int served = 0;
  while (std::chrono::steady_clock::now() - start < 16s && cut < kSlowClients) {
    for (int i = 0; i < kSlowClients; ++i) {
      if (closed[i]) continue;
      if (!slow[i].send("X") || slow[i].waitForClose(1ms)) {
        closed[i] = true;
        ++cut;
      }
    }
    const auto before = std::chrono::steady_clock::now();
    auto health = httpGet(mock.port, "/health", 3s);
    REQUIRE(health.status == 200);
    // Generous bound: being served at all while 50 connections drip is the point.
    CHECK(std::chrono::steady_clock::now() - before < 2s);
    ++served;
    std::this_thread::sleep_for(500ms);  // the drip interval: the slow clients under test
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  INFO("cut " << cut << " of " << kSlowClients << " after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms");
  CHECK(cut == kSlowClients);
  CHECK(elapsed >= 9s);  // not before the read timeout (10 s, minus the check granularity)
  CHECK(served > 10);
  requireStillServing(mock);
}

TEST_CASE("1000 concurrent keep-alive connections are held and served", "[hardening][connections]") {
  pactmocks::raiseOpenFileLimit(8192);  // the test's own 1,000 client sockets
  auto mock = startDirMock("aws-mock-server", examplePactsDir());
  constexpr int kConnections = 1000;
  std::vector<RawConnection> connections;
  connections.reserve(kConnections);
  for (int i = 0; i < kConnections; ++i) connections.emplace_back(mock.port);
  // Two rounds on every connection: the second proves the first left them open (keep-alive).
  for (int round = 0; round < 2; ++round) {
    for (auto& c : connections) REQUIRE(c.send(getRequest("/health")));
    int ok = 0;
    for (auto& c : connections) {
      auto response = c.readResponse(10s);
      if (response && response->status == 200) ++ok;
    }
    INFO("round " << round);
    CHECK(ok == kConnections);
  }
  requireStillServing(mock);
}

TEST_CASE("pipelined requests are answered in order on one connection", "[hardening][pipelining]") {
  auto mock = startDirMock("aws-mock-server", examplePactsDir());
  RawConnection connection(mock.port);
  const std::string create =
      R"({"Name":"test-secret","SecretString":"v","ClientRequestToken":"1eb1bdf8-bf80-4749-9743-ebeae7188eaf"})";
  std::string burst = getRequest("/health") + postRequest("/", create, kAwsCreate) + getRequest("/__admin/interactions") +
                      postRequest("/", "{}", kAwsCreate) + getRequest("/health");
  REQUIRE(connection.send(burst));
  std::vector<int> statuses;
  for (int i = 0; i < 5; ++i) {
    auto response = connection.readResponse(5s);
    REQUIRE(response);
    statuses.push_back(response->status);
    if (i == 1) CHECK(json::parse(response->body).value("Name", "") == "test-secret");
  }
  CHECK(statuses == std::vector<int>{200, 200, 200, 500, 200});
}

TEST_CASE("invalid UTF-8 and invalid JSON bodies are a no-match report, not a crash", "[hardening][bodies]") {
  auto mock = startDirMock("aws-mock-server", examplePactsDir());
  const std::vector<std::string> bodies = {
      "{\"Name\":\"\xff\xfe\xc3\x28\"}",     // invalid UTF-8 inside a JSON string
      "\xc0\xaf\xed\xa0\x80\xf8\x88\x80\x80\x80",  // overlong / surrogate / 5-byte sequences
      "{\"Name\": ",                          // truncated JSON
      "{\"Name\":\"test-secret\",}",          // trailing comma
      std::string(1, '\0') + "{}",            // NUL byte
      std::string(5000, '['),                 // deep nesting
  };
  for (const auto& body : bodies) {
    auto reply = httpRequest(mock.port, "POST", "/", body,
                             {{"Content-Type", "application/x-amz-json-1.1"},
                              {"X-Amz-Target", "secretsmanager.CreateSecret"}},
                             5s);
    INFO("body of " << body.size() << " bytes");
    REQUIRE(reply.status == 500);
    auto report = json::parse(reply.body);
    CHECK(report.value("__type", "") == "PactRequestMismatch");
    CHECK(report.value("message", "").starts_with("No matching interaction found"));
    CHECK(report.contains("closest"));
  }
  // A header value with invalid UTF-8 too.
  auto reply = httpRequest(mock.port, "GET", "/", {}, {{"X-Amz-Target", "\xff\xfe"}}, 5s);
  CHECK(reply.status == 500);
  requireStillServing(mock);
}

TEST_CASE("malformed request lines and framing get 400 or a closed connection", "[hardening][framing]") {
  auto mock = startDirMock("aws-mock-server", examplePactsDir());
  const std::vector<std::string> garbage = {
      "GARBAGE\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
      std::string("GET /\0 HTTP/1.1\r\n\r\n", 19),
  };
  for (const auto& bytes : garbage) {
    RawConnection connection(mock.port);
    connection.send(bytes);
    auto response = connection.readResponse(5s);
    if (response) CHECK(response->status == 400);
    CHECK(connection.waitForClose(5s));
  }
  requireStillServing(mock);
}
