// Broker and ConfigMap faults against the real manager and broker stand-in on loopback. After
// each fault the state must converge (every pact in the broker, /ready 200) and, while it has
// not, /ready must say so (503 with the reason).
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "BrokerStandin.h"
#include "PodStack.h"
#include "TestProcess.h"
#include "TestServer.h"
#include "http/HttpServer.h"

using namespace pactmocks;
using namespace pactmocks::hardening;
using namespace pactmocks::testsupport;
using namespace std::chrono_literals;

namespace {

constexpr auto kConverge = 20s;

// A listener that accepts connections and never answers: a hung broker.
class SilentListener {
 public:
  explicit SilentListener(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 128) == 0);
    // The kernel completes handshakes into the backlog; nobody ever reads: requests hang.
  }
  ~SilentListener() { ::close(fd_); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

 private:
  int fd_ = -1;
};

// The broker stand-in in-process with switchable faults in front of it.
class FaultyBroker {
 public:
  enum class Mode { Healthy, Error500, HangOnPut, HeartbeatNotAcceptable };

  FaultyBroker()
      : standin_({kBrokerUser, kBrokerPassword, ""}),
        router_(standin_.router()),
        server_([this](http::Request& request) { return handle(request); }, options()) {}
  std::uint16_t port() const { return server_.port(); }
  void setMode(Mode mode) { mode_ = mode; }
  int putsRefused() const { return refused_; }
  std::string lastHeartbeatAccept() {
    std::lock_guard lock(mutex_);
    return heartbeatAccept_;
  }

 private:
  static http::ServerOptions options() {
    http::ServerOptions options;
    options.maxDelay = 120s;
    return options;
  }
  http::Response handle(http::Request& request) {
    const bool write = request.method == "PUT";
    if (request.path == "/diagnostic/status/heartbeat") {
      std::lock_guard lock(mutex_);
      auto accept = request.headers.get("Accept");
      heartbeatAccept_ = accept ? std::string(*accept) : "";
    }
    switch (mode_.load()) {
      case Mode::HeartbeatNotAcceptable:
        // What a broker that serves none of the listed media types answers (webmachine: empty body).
        if (request.path == "/diagnostic/status/heartbeat") return http::Response::text(406, "");
        break;
      case Mode::Error500:
        if (write) {
          ++refused_;
          return http::Response::json(500, {{"error", "internal server error (injected)"}});
        }
        break;
      case Mode::HangOnPut:
        if (write) {
          ++refused_;
          http::Response r = http::Response::json(201, {});
          r.delay = 100s;  // far beyond the manager's 1 s broker timeout
          return r;
        }
        break;
      case Mode::Healthy:
        break;
    }
    return router_.handle(request);
  }

  BrokerStandin standin_;
  http::Router router_;
  std::atomic<Mode> mode_{Mode::Healthy};
  std::atomic<int> refused_{0};
  std::mutex mutex_;
  std::string heartbeatAccept_;
  TestServer server_;  // last: serving stops before the state it reads goes away
};

}  // namespace

TEST_CASE("broker down at start: health is served at once, pacts go out when the broker comes up",
          "[hardening][faults]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  volume.update(examplePayload());
  const auto brokerPort = freePort();
  auto manager = startManager({brokerPort, volume.mountDir(), kBrokerPassword, {}});

  CHECK(httpGet(manager.port, "/liveness").status == 200);
  REQUIRE(eventually([&] { return getReady(manager.port).errorsText().find("broker") != std::string::npos; }, 10s,
                     "/ready reports the unreachable broker"));
  auto ready = getReady(manager.port);
  CHECK(ready.status == 503);
  CHECK(ready.body.value("broker_healthy", true) == false);
  CHECK(ready.errorsText().find("broker") != std::string::npos);

  auto broker = startBroker({brokerPort, "", true});
  CHECK(eventually([&] { return allPublished(manager.port, brokerPort); }, kConverge));
}

TEST_CASE("broker answering 500 to publications: not ready with the reason, then converges", "[hardening][faults]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  volume.update(examplePayload());
  FaultyBroker broker;
  broker.setMode(FaultyBroker::Mode::Error500);
  auto manager = startManager({broker.port(), volume.mountDir(), kBrokerPassword, {}});

  REQUIRE(eventually([&] { return broker.putsRefused() > 0; }, 10s));
  REQUIRE(eventually([&] { return getReady(manager.port).errorsText().find("500") != std::string::npos; }, 10s,
                     "/ready reports the 500"));
  auto ready = getReady(manager.port);
  INFO(ready.body.dump());
  CHECK(ready.status == 503);
  CHECK(ready.body.value("pacts_published", true) == false);
  CHECK(ready.errorsText().find("500") != std::string::npos);

  broker.setMode(FaultyBroker::Mode::Healthy);
  CHECK(eventually([&] { return allPublished(manager.port, broker.port()); }, kConverge));
}

TEST_CASE("a heartbeat answered 406: /ready and the log name the status and the Accept sent, then it converges",
          "[hardening][faults]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  volume.update(examplePayload());
  FaultyBroker broker;
  broker.setMode(FaultyBroker::Mode::HeartbeatNotAcceptable);
  auto manager = startManager({broker.port(), volume.mountDir(), kBrokerPassword, {}});

  const std::string expected = "HTTP 406 Not Acceptable (Accept: application/hal+json, application/json)";
  REQUIRE(eventually([&] { return getReady(manager.port).errorsText().find(expected) != std::string::npos; }, 10s));
  auto ready = getReady(manager.port);
  INFO(ready.body.dump());
  CHECK(ready.status == 503);
  CHECK(ready.body.value("broker_healthy", true) == false);
  CHECK(manager.process.waitForOutput(expected, 5s));
  // The Accept that the real broker serves on its HAL resources, not `application/json` alone.
  CHECK(broker.lastHeartbeatAccept() == "application/hal+json, application/json");

  broker.setMode(FaultyBroker::Mode::Healthy);
  CHECK(eventually([&] { return allPublished(manager.port, broker.port()); }, kConverge));
}

TEST_CASE("broker answering 401 (wrong credentials): not ready, reason given, password never shown",
          "[hardening][faults][security]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  volume.update(examplePayload());
  const auto brokerPort = freePort();
  auto broker = startBroker({brokerPort, "", true});
  const std::string wrongPassword = "wrong-Pa55word-xyz";
  auto manager = startManager({brokerPort, volume.mountDir(), wrongPassword, {}});

  REQUIRE(eventually([&] { return getReady(manager.port).errorsText().find("401") != std::string::npos; }, 10s));
  auto ready = getReady(manager.port);
  CHECK(ready.status == 503);
  CHECK(ready.body.dump().find(wrongPassword) == std::string::npos);
  CHECK(manager.process.output().find(wrongPassword) == std::string::npos);
  CHECK_FALSE(brokerLatest(brokerPort, kProviders[0], kConsumer).has_value());

  // Fixed credentials (a redeploy): converges.
  const auto healthPort = manager.port;
  manager.process.stop();
  manager = startManager({brokerPort, volume.mountDir(), kBrokerPassword, {}}, healthPort);
  CHECK(eventually([&] { return allPublished(manager.port, brokerPort); }, kConverge));
  CHECK(manager.process.output().find(kBrokerPassword) == std::string::npos);
}

TEST_CASE("broker hanging without answering: timeouts, health stays responsive, then converges",
          "[hardening][faults]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  volume.update(examplePayload());

  SECTION("heartbeat hangs") {
    const auto brokerPort = freePort();
    std::optional<SilentListener> silent(std::in_place, brokerPort);
    auto manager = startManager({brokerPort, volume.mountDir(), kBrokerPassword, {}});
    // Several 1 s heartbeat timeouts (the first failures are logged one by one).
    REQUIRE(manager.process.waitForOutput("broker not healthy yet (2)", 10s));
    const auto before = std::chrono::steady_clock::now();
    auto ready = getReady(manager.port);
    CHECK(std::chrono::steady_clock::now() - before < 2s);  // /ready never waits on the broker
    CHECK(ready.status == 503);
    CHECK(ready.body.value("broker_healthy", true) == false);
    CHECK(httpGet(manager.port, "/liveness").status == 200);

    silent.reset();
    auto broker = startBroker({brokerPort, "", true});
    CHECK(eventually([&] { return allPublished(manager.port, brokerPort); }, kConverge));
  }
  SECTION("publication hangs") {
    FaultyBroker broker;
    broker.setMode(FaultyBroker::Mode::HangOnPut);
    auto manager = startManager({broker.port(), volume.mountDir(), kBrokerPassword, {}});
    REQUIRE(eventually([&] { return broker.putsRefused() > 0; }, 10s));
    // The hanging publication timed out (1 s): the manager schedules a retry.
    REQUIRE(manager.process.waitForOutput("retrying publication", 10s));
    auto ready = getReady(manager.port);
    INFO(ready.body.dump());
    CHECK(ready.status == 503);
    CHECK(ready.body.value("pacts_published", true) == false);
    broker.setMode(FaultyBroker::Mode::Healthy);
    CHECK(eventually([&] { return allPublished(manager.port, broker.port()); }, kConverge));
  }
}

TEST_CASE("broker restarting empty: everything is re-published", "[hardening][faults]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  volume.update(examplePayload());
  const auto brokerPort = freePort();
  auto broker = startBroker({brokerPort, "", true});
  auto manager = startManager({brokerPort, volume.mountDir(), kBrokerPassword, {}});
  REQUIRE(eventually([&] { return allPublished(manager.port, brokerPort); }, kConverge));

  SECTION("down long enough to be noticed") {
    broker.kill();
    broker.waitForExit(5s);
    CHECK(eventually([&] { return getReady(manager.port).status == 503; }, 10s));
  }
  SECTION("quick restart between two heartbeats") {
    broker.kill();
    broker.waitForExit(5s);
  }
  broker = startBroker({brokerPort, "", true});  // memory only: empty
  CHECK_FALSE(brokerLatest(brokerPort, kProviders[0], kConsumer).has_value());
  CHECK(eventually([&] { return allPublished(manager.port, brokerPort); }, kConverge));
}

TEST_CASE("ConfigMap swapped many times per second: final state published, nothing lost", "[hardening][faults]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  auto base = examplePayload();
  volume.update(base);
  const auto brokerPort = freePort();
  auto broker = startBroker({brokerPort, "", true});
  auto manager = startManager({brokerPort, volume.mountDir(), kBrokerPassword, {}});
  REQUIRE(eventually([&] { return allPublished(manager.port, brokerPort); }, kConverge));

  // 100 generations at ~50 per second, some dropping a file and bringing it back.
  auto payload = base;
  for (int i = 1; i <= 100; ++i) {
    payload = base;
    for (auto& [name, content] : payload) content = withMarker(content, "gen" + std::to_string(i));
    if (i % 7 == 0) payload.erase(payload.begin());
    volume.update(payload);
    std::this_thread::sleep_for(20ms);  // the swap rate under test (~50 per second), not a synchronisation
  }
  CHECK(eventually(
      [&] {
        if (!allPublished(manager.port, brokerPort)) return false;
        for (const char* provider : kProviders)
          if (brokerMarker(brokerPort, provider) != "gen100") return false;
        return true;
      },
      kConverge));
  auto ready = getReady(manager.port);
  CHECK(ready.body["errors"].empty());
}

TEST_CASE("a pact file truncated mid-write is reported, the others stay published, the full file converges",
          "[hardening][faults]") {
  TempDir tmp;
  // A plain directory (not the kubelet's atomic swap): a writer that is not atomic.
  const std::string dir = tmp / "pacts";
  std::filesystem::create_directories(dir);
  auto payload = examplePayload();
  for (const auto& [name, content] : payload) writeFile(dir + "/" + name, content);
  const auto brokerPort = freePort();
  auto broker = startBroker({brokerPort, "", true});
  auto manager = startManager({brokerPort, dir, kBrokerPassword, {}});
  REQUIRE(eventually([&] { return allPublished(manager.port, brokerPort); }, kConverge));

  const auto& [name, content] = *payload.begin();
  const std::string changed = withMarker(content, "complete");
  writeFile(dir + "/" + name, changed.substr(0, changed.size() / 2));
  CHECK(eventually([&] { return getReady(manager.port).errorsText().find(name) != std::string::npos; }, 10s));
  auto ready = getReady(manager.port);
  INFO(ready.body.dump());
  for (const char* provider : kProviders) CHECK(brokerLatest(brokerPort, provider, kConsumer).has_value());

  writeFile(dir + "/" + name, changed);
  CHECK(eventually(
      [&] {
        auto r = getReady(manager.port);
        if (!r.ready() || r.errorsText().find(name) != std::string::npos) return false;
        for (const char* provider : kProviders)
          if (brokerMarker(brokerPort, provider) == "complete") return true;
        return false;
      },
      kConverge));
}
