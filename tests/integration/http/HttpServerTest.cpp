// The server over real loopback sockets: well-behaved clients through HttpClient, misbehaving
// ones through RawSocket (tests/support/RawConnection.h).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "Eventually.h"
#include "RawConnection.h"
#include "TestServer.h"
#include "http/HttpClient.h"

using namespace pactmocks;
using namespace pactmocks::http;
using namespace std::chrono_literals;
using RawSocket = pactmocks::testsupport::RawConnection;
using pactmocks::testsupport::eventually;
using pactmocks::testsupport::TestServer;
using Clock = std::chrono::steady_clock;

namespace {

// Echoes what the server understood of the request as JSON.
Response describeRequest(Request& r) {
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [name, value] : r.headers.fields()) headers[name] = value;
  return Response::json(200, {{"method", r.method},
                              {"target", r.target},
                              {"path", r.path},
                              {"query", r.query},
                              {"headers", headers},
                              {"body", r.body},
                              {"remote", r.remoteAddress}});
}

std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

}  // namespace

TEST_CASE("server answers and hands the handler the parsed request", "[http][server]") {
  TestServer server(describeRequest);
  HttpClient client(server.url());
  Headers extra;
  extra.add("X-Custom", "yes");
  auto result = client.get("/a%20b/c?x=1&y=2", extra);
  REQUIRE(result.error.empty());
  REQUIRE(result.status() == 200);
  auto seen = nlohmann::json::parse(result.response->body);
  CHECK(seen["method"] == "GET");
  CHECK(seen["target"] == "/a%20b/c?x=1&y=2");
  CHECK(seen["path"] == "/a%20b/c");
  CHECK(seen["query"] == "x=1&y=2");
  CHECK(seen["headers"]["X-Custom"] == "yes");
  CHECK(seen["remote"] == "127.0.0.1");
  CHECK(result.response->headers.get("Server") == std::optional<std::string_view>("pact-mocks"));
  CHECK(result.response->headers.get("Content-Type") == std::optional<std::string_view>("application/json"));
}

TEST_CASE("client sends basic and bearer credentials", "[http][client]") {
  TestServer server(describeRequest);
  SECTION("basic") {
    HttpClient client(server.url(), Credentials{"pact", "s3cret", ""});
    auto seen = nlohmann::json::parse(client.get("/").response->body);
    CHECK(seen["headers"]["Authorization"] == "Basic cGFjdDpzM2NyZXQ=");
  }
  SECTION("bearer wins over basic") {
    HttpClient client(server.url(), Credentials{"pact", "s3cret", "tok-123"});
    auto seen = nlohmann::json::parse(client.get("/").response->body);
    CHECK(seen["headers"]["Authorization"] == "Bearer tok-123");
  }
  SECTION("none") {
    HttpClient client(server.url());
    auto seen = nlohmann::json::parse(client.get("/").response->body);
    CHECK_FALSE(seen["headers"].contains("Authorization"));
  }
}

TEST_CASE("JSON body round trip with the base path prepended", "[http][client]") {
  TestServer server(describeRequest);
  HttpClient client(server.url() + "/base/");
  const nlohmann::json payload = {{"consumer", "app"}, {"n", 3}, {"text", "caf\xc3\xa9 \"quoted\""}};
  auto result = client.put("/pacts/provider/AWS", payload.dump());
  REQUIRE(result.ok());
  auto seen = nlohmann::json::parse(result.response->body);
  CHECK(seen["method"] == "PUT");
  CHECK(seen["path"] == "/base/pacts/provider/AWS");
  CHECK(seen["headers"]["Content-Type"] == "application/json");
  CHECK(nlohmann::json::parse(seen["body"].get<std::string>()) == payload);

  Headers textType;
  textType.add("Content-Type", "text/plain");
  auto overridden = client.post("/x", "plain", textType);
  CHECK(nlohmann::json::parse(overridden.response->body)["headers"]["Content-Type"] == "text/plain");
}

TEST_CASE("client keeps one connection alive across requests", "[http][client][keepalive]") {
  TestServer server([](Request&) { return Response::text(200, "ok"); });
  HttpClient client(server.url());
  for (int i = 0; i < 5; ++i) {
    auto result = client.get("/n/" + std::to_string(i));
    REQUIRE(result.ok());
    CHECK(result.response->body == "ok");
  }
  CHECK(server.server().connectionCount() == 1);
}

TEST_CASE("client reconnects transparently when the server closed the idle connection", "[http][client][keepalive]") {
  ServerOptions options;
  options.idleTimeout = 100ms;
  TestServer server([](Request&) { return Response::text(200, "ok"); }, options);
  HttpClient client(server.url());
  REQUIRE(client.get("/").ok());
  REQUIRE(eventually([&] { return server.server().connectionCount() == 0; }, 3s,
                     "the server dropped the idle connection"));
  auto again = client.get("/");
  CHECK(again.error.empty());
  CHECK(again.ok());
}

TEST_CASE("client reports connection refused and timeouts as values", "[http][client]") {
  std::uint16_t closedPort;
  {
    TestServer gone([](Request&) { return Response::text(200, ""); });
    closedPort = gone.port();
  }
  HttpClient refused("http://127.0.0.1:" + std::to_string(closedPort), {}, 2000ms);
  auto r = refused.get("/");
  CHECK_FALSE(r.response);
  CHECK_THAT(r.error, Catch::Contains("connect to 127.0.0.1:" + std::to_string(closedPort)) &&
                          Catch::Contains("refused"));

  TestServer slow([](Request&) {
    Response res = Response::text(200, "late");
    res.delay = 3000ms;
    return res;
  });
  HttpClient impatient(slow.url(), {}, 200ms);
  const auto start = Clock::now();
  auto t = impatient.get("/");
  const auto elapsed = Clock::now() - start;
  CHECK_FALSE(t.response);
  CHECK_THAT(t.error, Catch::Contains("timeout after 200 ms"));
  CHECK(elapsed < 2500ms);

  HttpClient https("https://127.0.0.1:1");
  CHECK_THAT(https.get("/").error, Catch::Contains("https"));
}

TEST_CASE("handler exceptions become 500 JSON and the connection stays usable", "[http][server]") {
  TestServer server([](Request& r) -> Response {
    if (r.path == "/boom") throw std::runtime_error("kaputt");
    return Response::text(200, "fine");
  });
  HttpClient client(server.url());
  auto boom = client.get("/boom");
  REQUIRE(boom.response);
  CHECK(boom.status() == 500);
  CHECK_THAT(nlohmann::json::parse(boom.response->body)["error"].get<std::string>(), Catch::Contains("kaputt"));
  auto fine = client.get("/fine");
  CHECK(fine.ok());
  CHECK(server.server().connectionCount() == 1);
}

TEST_CASE("oversized body gets 413 without reading it", "[http][server][limits]") {
  ServerOptions options;
  options.maxBodyBytes = 1024;
  TestServer server(describeRequest, options);

  SECTION("declared by Content-Length, body never sent") {
    RawSocket raw(server.port());
    raw.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 10485760\r\n\r\n");
    auto res = raw.readResponse();
    REQUIRE(res);
    CHECK(res->status == 413);
    CHECK(res->headerContains("Connection: close"));
    CHECK(nlohmann::json::parse(res->body).contains("error"));
  }
  SECTION("through the client, body partly sent") {
    HttpClient client(server.url());
    auto res = client.post("/upload", std::string(64 * 1024, 'x'));
    REQUIRE(res.response);
    CHECK(res.status() == 413);
    // Within the limit is fine.
    HttpClient again(server.url());
    CHECK(again.post("/upload", std::string(1024, 'x')).ok());
  }
}

TEST_CASE("oversized header section gets 431", "[http][server][limits]") {
  ServerOptions options;
  options.maxHeaderBytes = 2048;
  TestServer server(describeRequest, options);
  RawSocket raw(server.port());
  raw.send(get("/", "X-Big: " + std::string(4096, 'a') + "\r\n"));
  auto res = raw.readResponse();
  REQUIRE(res);
  CHECK(res->status == 431);
  CHECK(res->headerContains("Connection: close"));
}

TEST_CASE("malformed request gets 400 JSON, then the server serves the next connection", "[http][server]") {
  TestServer server(describeRequest);
  for (const std::string bad : {"THIS IS NOT HTTP\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                                "GET / HTTP/1.1\r\nBad Header Without Colon\r\n\r\n",
                                "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"}) {
    CAPTURE(bad);
    RawSocket raw(server.port());
    raw.send(bad);
    auto res = raw.readResponse();
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(nlohmann::json::parse(res->body).contains("error"));
    std::string rest;
    CHECK(raw.recvSome(rest) == 0);  // closed after the error
  }
  HttpClient client(server.url());
  CHECK(client.get("/still-alive").ok());
}

TEST_CASE("pipelined requests are answered in order", "[http][server][pipelining]") {
  TestServer server([](Request& r) {
    Response res = Response::text(200, r.path);
    // The first one is slow: order must not depend on completion time.
    if (r.path == "/1") res.delay = 100ms;
    return res;
  });
  RawSocket raw(server.port());
  raw.send(get("/1") + get("/2") + "POST /3 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello" + get("/4"));
  for (const char* expected : {"/1", "/2", "/3", "/4"}) {
    auto res = raw.readResponse();
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == expected);
  }
}

TEST_CASE("a client dripping a request is cut after the read timeout while others are served",
          "[http][server][timeouts]") {
  ServerOptions options;
  options.readTimeout = 300ms;
  TestServer server([](Request&) { return Response::text(200, "ok"); }, options);

  RawSocket slow(server.port(), 3000ms);
  std::atomic<bool> stopDripping{false};
  std::atomic<int> dripped{0};
  std::thread dripper([&] {
    const std::string request = get("/slow", "X-Filler: " + std::string(200, 'f') + "\r\n");
    for (char c : request) {
      if (stopDripping || !slow.send(std::string(1, c))) return;
      ++dripped;
      std::this_thread::sleep_for(20ms);  // the slow peer under test, not a synchronisation
    }
  });
  // Meanwhile, a normal client is served promptly.
  HttpClient client(server.url(), {}, 2000ms);
  for (int i = 0; i < 3; ++i) CHECK(client.get("/").ok());

  std::string received;
  const auto n = slow.recvSome(received);  // blocks until the server cuts the connection
  stopDripping = true;
  dripper.join();
  CHECK(n <= 0);
  CHECK(received.empty());
  CHECK(slow.lastErrno() != EAGAIN);  // cut by the server, not our receive timeout
  CHECK(dripped < 200);               // far fewer than the full request
}

TEST_CASE("idle keep-alive connections are closed after the idle timeout", "[http][server][timeouts]") {
  ServerOptions options;
  options.idleTimeout = 200ms;
  TestServer server([](Request&) { return Response::text(200, "ok"); }, options);
  RawSocket raw(server.port(), 3000ms);
  raw.send(get("/"));
  REQUIRE(raw.readResponse());
  std::string rest;
  CHECK(raw.recvSome(rest) == 0);
  CHECK(raw.lastErrno() == 0);
}

TEST_CASE("Response::delay is applied without blocking other connections, capped by maxDelay",
          "[http][server][delay]") {
  ServerOptions options;
  options.maxDelay = 400ms;
  std::atomic<bool> delayedArrived{false};
  TestServer server([&](Request& r) {
    Response res = Response::text(200, "done");
    if (r.path == "/delayed") {
      res.delay = 300ms;
      delayedArrived = true;
    }
    if (r.path == "/forever") res.delay = 60s;
    return res;
  }, options);

  auto delayed = std::async(std::launch::async, [&] {
    HttpClient client(server.url());
    const auto start = Clock::now();
    auto r = client.get("/delayed");
    return std::make_pair(r.ok(), Clock::now() - start);
  });
  REQUIRE(eventually([&] { return delayedArrived.load(); }, 5s, "the delayed request reached the handler"));
  // The single loop thread is free while the delayed one waits.
  HttpClient fast(server.url());
  const auto fastStart = Clock::now();
  CHECK(fast.get("/fast").ok());
  CHECK(Clock::now() - fastStart < 250ms);

  auto [ok, elapsed] = delayed.get();
  CHECK(ok);
  CHECK(elapsed >= 300ms);

  HttpClient capped(server.url(), {}, 5000ms);
  const auto start = Clock::now();
  CHECK(capped.get("/forever").ok());
  CHECK(Clock::now() - start < 3000ms);
}

TEST_CASE("reset fault closes the connection with an RST", "[http][server][faults]") {
  TestServer server([](Request&) {
    Response res = Response::text(200, "never sent");
    res.fault = Response::Fault::ResetConnection;
    return res;
  });
  RawSocket raw(server.port());
  raw.send(get("/"));
  std::string received;
  const auto n = raw.recvSome(received);
  CHECK(n == -1);
  CHECK(raw.lastErrno() == ECONNRESET);
  CHECK(received.empty());

  HttpClient client(server.url());
  auto r = client.get("/");
  CHECK_FALSE(r.response);
  CHECK_FALSE(r.error.empty());
}

TEST_CASE("malformed-body fault promises more than it sends", "[http][server][faults]") {
  TestServer server([](Request&) {
    Response res = Response::json(200, {{"secret", "value"}});
    res.fault = Response::Fault::MalformedBody;
    return res;
  });
  RawSocket raw(server.port());
  raw.send(get("/"));
  const std::string all = raw.readUntilClose();
  const auto headEnd = all.find("\r\n\r\n");
  REQUIRE(headEnd != std::string::npos);
  const auto lengthAt = all.find("Content-Length: ");
  REQUIRE(lengthAt != std::string::npos);
  const auto promised = std::stoul(all.substr(lengthAt + 16));
  CHECK(all.size() - headEnd - 4 < promised);
  CHECK_THROWS(nlohmann::json::parse(all.substr(headEnd + 4)));

  HttpClient client(server.url());
  auto r = client.get("/");
  CHECK_FALSE(r.response);
  CHECK_FALSE(r.error.empty());
}

TEST_CASE("graceful stop finishes the in-flight request and refuses new connections", "[http][server][stop]") {
  std::atomic<bool> inFlight{false};
  TestServer server([&](Request&) {
    inFlight = true;
    Response res = Response::text(200, "finished");
    res.delay = 300ms;
    return res;
  });
  RawSocket idle(server.port());  // an idle keep-alive connection: closed by stop
  RawSocket busy(server.port());
  busy.send(get("/"));
  REQUIRE(eventually([&] { return inFlight.load(); }, 5s, "the request reached the handler"));
  server.server().stop(3000ms);

  auto res = busy.readResponse();
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == "finished");
  CHECK(res->headerContains("Connection: close"));

  std::string rest;
  CHECK(idle.recvSome(rest) == 0);
  CHECK_THROWS(RawSocket(server.port()));
}

TEST_CASE("HEAD gets headers only; 100-continue is honoured; HTTP/1.0 closes", "[http][server]") {
  TestServer server([](Request& r) { return Response::text(200, "body:" + r.body); });
  {
    RawSocket raw(server.port());
    raw.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n" + get("/"));
    // The HEAD response announces the length but carries no body: the next bytes are the GET's.
    std::string all;
    while (all.find("body:", all.find("\r\n\r\n")) == std::string::npos && raw.recvSome(all) > 0) {
    }
    CHECK(all.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    const auto second = all.find("HTTP/1.1 200 OK", 10);
    REQUIRE(second != std::string::npos);
    CHECK(all.substr(0, second).find("body:") == std::string::npos);
  }
  {
    RawSocket raw(server.port());
    raw.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
    std::string interim;
    raw.recvSome(interim);
    CHECK(interim.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
    raw.send("data");
    auto res = raw.readResponse();
    REQUIRE(res);
    CHECK(res->body == "body:data");
  }
  {
    RawSocket raw(server.port());
    raw.send("GET / HTTP/1.0\r\n\r\n");
    const std::string all = raw.readUntilClose();
    CHECK(all.rfind("HTTP/1.0 200 OK\r\n", 0) == 0);
    CHECK(all.find("Connection: close") != std::string::npos);
  }
}

TEST_CASE("several loop threads serve many concurrent clients", "[http][server][threads]") {
  TestServer server([](Request& r) { return Response::text(200, r.path); }, {}, 2);
  std::vector<std::future<int>> clients;
  for (int c = 0; c < 8; ++c) {
    clients.push_back(std::async(std::launch::async, [&, c] {
      HttpClient client(server.url());
      int good = 0;
      for (int i = 0; i < 50; ++i) {
        const std::string path = "/c" + std::to_string(c) + "/" + std::to_string(i);
        auto r = client.get(path);
        if (r.ok() && r.response->body == path) ++good;
      }
      return good;
    }));
  }
  for (auto& f : clients) CHECK(f.get() == 50);
}
