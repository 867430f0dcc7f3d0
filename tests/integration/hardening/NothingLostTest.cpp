// Nothing lost (issue 18): a ConfigMap change made while the broker is away is published once it
// is back, and no request in flight while a mock swaps its pacts or shuts down gets a truncated or
// wrong answer. Real binaries on loopback; the load runs on client threads with keep-alive
// connections, and every answer is checked against the interaction its request was built for.
// Labelled `concurrency`: these also run under ThreadSanitizer, so the load is sized by
// NOTHING_LOST_CLIENTS (default 4) and NOTHING_LOST_SWAPS (default 10); each test ends its
// processes with SIGTERM and checks exit 0, so a sanitizer report in a child fails the test.
#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "PodStack.h"
#include "RawConnection.h"
#include "TestProcess.h"
#include "core/Sha256.h"

using namespace pactmocks;
using namespace pactmocks::hardening;
using namespace pactmocks::testsupport;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr auto kConverge = 20s;

unsigned envCount(const char* name, unsigned fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  const long value = std::strtol(text, nullptr, 10);
  return value > 0 ? static_cast<unsigned>(value) : fallback;
}

// ---- the manager: a change made while the broker is away ----------------------------------

// `/providers/{p}/ready` describes exactly this content: ready, its sha256, a newer generation.
bool providerReadyFor(std::uint16_t managerPort, const std::string& provider, const std::string& content,
                      std::uint64_t generationBefore) {
  auto reply = getJsonReply(managerPort, "/providers/" + provider + "/ready", 3s);
  return reply.status == 200 && reply.body.value("ready", false) &&
         reply.body.value("sha256", "") == sha256Hex(content) &&
         reply.body.value("generation", std::uint64_t{0}) > generationBefore;
}

std::uint64_t providerGeneration(std::uint16_t managerPort, const std::string& provider) {
  return getJson(managerPort, "/providers/" + provider + "/ready", 3s).value("generation", std::uint64_t{0});
}

std::string providerOf(const std::string& pactJson) { return json::parse(pactJson)["provider"]["name"]; }

// ---- a mock under load --------------------------------------------------------------------

constexpr int kSecrets = 8;
const std::string kSetA = "A", kSetB = "B";

std::string secretName(int i) { return "soak-secret-" + std::to_string(i); }
std::string interactionFor(int i) { return "get secret " + secretName(i); }

// The same interactions (same descriptions and requests) in two sets that answer differently,
// so a swap really replaces the index and an answer shows which set built it. The padding makes
// answers span several TCP segments: a truncated one cannot pass for a whole one.
std::string pactSet(const std::string& set) {
  json interactions = json::array();
  for (int i = 0; i < kSecrets; ++i) {
    interactions.push_back(
        {{"description", interactionFor(i)},
         {"request", {{"method", "GET"}, {"path", "/secrets/" + secretName(i)}}},
         {"response",
          {{"status", 200},
           {"headers", {{"Content-Type", "application/json"}}},
           {"body", {{"name", secretName(i)}, {"set", set}, {"padding", std::string(4096 + 512 * i, 'x')}}}}}});
  }
  if (set == kSetB) {  // B also has one interaction more: the index differs in size too
    interactions.push_back({{"description", "list secrets"},
                            {"request", {{"method", "GET"}, {"path", "/secrets"}}},
                            {"response", {{"status", 200}, {"body", json::array()}}}});
  }
  return json{{"consumer", {{"name", kConsumer}}},
              {"provider", {{"name", "AWS-Secrets-Manager"}}},
              {"interactions", interactions},
              {"metadata", {{"pactSpecification", {{"version", "3.0.0"}}}}}}
      .dump();
}

// What the load saw; every field is written by the client threads, read after they stopped.
struct LoadTally {
  std::atomic<std::uint64_t> answers{0}, setA{0}, setB{0};
  std::atomic<std::uint64_t> wrong{0};         // incomplete, wrong interaction, wrong body, not 200
  std::atomic<std::uint64_t> halfAnswers{0};   // the connection ended with part of an answer received
  std::atomic<std::uint64_t> cleanCloses{0};   // FIN between answers
  std::atomic<std::uint64_t> resets{0};        // RST between answers (no byte of an answer lost)
  // RST on a connection that never got an answer: accepted by the kernel into the listen backlog
  // as the listener closed (the kernel resets those; the server never saw them).
  std::atomic<std::uint64_t> backlogResets{0};
  std::atomic<std::uint64_t> closeAnnounced{0};  // answers carrying Connection: close
  std::mutex mutex;
  std::vector<std::string> firstProblems;  // the first few, for the failure message

  void problem(std::atomic<std::uint64_t>& counter, const std::string& what) {
    ++counter;
    std::lock_guard lock(mutex);
    if (firstProblems.size() < 10) firstProblems.push_back(what);
  }
  std::string problems() {
    std::lock_guard lock(mutex);
    std::string text;
    for (const auto& p : firstProblems) text += p + "\n";
    return text;
  }
};

// Checks one answer against the interaction `i` the request was built for.
void checkAnswer(const RawResponse& response, int i, LoadTally& tally) {
  const std::string expected = interactionFor(i);
  auto header = response.headers.find("x-pact-interaction");
  const std::string got = header == response.headers.end() ? "(none)" : header->second;
  if (response.status != 200 || got != expected) {
    return tally.problem(tally.wrong, "status " + std::to_string(response.status) + ", interaction \"" + got +
                                          "\" for a request built for \"" + expected + "\"");
  }
  const json body = json::parse(response.body, nullptr, false);
  if (body.is_discarded() || body.value("name", "") != secretName(i)) {
    return tally.problem(tally.wrong, "body of " + std::to_string(response.body.size()) + " bytes is not " +
                                          secretName(i) + "'s: " + response.body.substr(0, 80));
  }
  const std::string set = body.value("set", "");
  if (set == kSetA) ++tally.setA;
  else if (set == kSetB) ++tally.setB;
  else return tally.problem(tally.wrong, "answer from no known set: \"" + set + "\"");
  if (auto connection = response.headers.find("connection");
      connection != response.headers.end() && connection->second == "close")
    ++tally.closeAnnounced;
  ++tally.answers;
}

// Client threads, each with one keep-alive connection at a time, cycling through the secrets;
// every eighth request carries a short X-Fault-Delay-Ms so that some are always being handled
// (not only read or written) when a swap or a shutdown happens. A connection the server ends is
// replaced; a refused connect (the listener is gone) ends the thread.
class Load {
 public:
  Load(std::uint16_t port, unsigned clients, LoadTally& tally) : port_(port), tally_(tally) {
    for (unsigned c = 0; c < clients; ++c) threads_.emplace_back([this, c](std::stop_token stop) { run(stop, c); });
  }
  ~Load() { stop(); }
  void stop() {
    for (auto& t : threads_) t.request_stop();
    threads_.clear();  // joins
  }
  // Threads still running (those that have not met a refused connect).
  unsigned running() const { return running_.load(); }

 private:
  void run(std::stop_token stop, unsigned client) {
    ++running_;
    int next = static_cast<int>(client);
    while (!stop.stop_requested()) {
      std::optional<RawConnection> connection;
      try {
        connection.emplace(port_, 10s);
      } catch (const std::runtime_error&) {
        break;  // nobody listens any more
      }
      bool answered = false;  // whether this connection got an answer yet
      auto reset = [&] { ++(answered ? tally_.resets : tally_.backlogResets); };
      while (!stop.stop_requested()) {
        const int i = next++ % kSecrets;
        const std::string delay = next % 8 == 0 ? "X-Fault-Delay-Ms: 10\r\n" : "";
        if (!connection->send(getRequest("/secrets/" + secretName(i), delay))) {
          reset();  // the server closed before reading: nothing of an answer existed
          break;
        }
        auto response = connection->readResponse();
        if (!response) {
          if (connection->pendingBytes() > 0 || connection->lastErrno() == EAGAIN) {
            tally_.problem(tally_.halfAnswers, std::to_string(connection->pendingBytes()) +
                                                   " bytes of an answer, then " +
                                                   (connection->lastErrno() == EAGAIN ? "silence" : "a close"));
          } else if (connection->lastErrno() == 0) {
            ++tally_.cleanCloses;
          } else {
            reset();
          }
          break;
        }
        answered = true;
        checkAnswer(*response, i, tally_);
        if (auto c = response->headers.find("connection"); c != response->headers.end() && c->second == "close") {
          if (connection->waitForClose(5s)) ++tally_.cleanCloses;
          else tally_.problem(tally_.wrong, "Connection: close announced, but the connection stayed open");
          break;
        }
      }
    }
    --running_;
  }

  std::uint16_t port_;
  LoadTally& tally_;
  std::atomic<unsigned> running_{0};
  std::vector<std::jthread> threads_;
};

std::string servedSet(std::uint16_t port) {
  auto reply = httpGet(port, "/secrets/" + secretName(0), 3s);
  return json::parse(reply.body, nullptr, false).value("set", "");
}

ServerProcess startLoadedMock(const std::string& pactsDir) {
  // warn: the info line per request would make the log the bottleneck of the load.
  return startServingMock("aws-mock-server", {{"PACTS_DIR", pactsDir}, {"LOG_LEVEL", "warn"}});
}

}  // namespace

TEST_CASE("a ConfigMap change made while the broker is away is published once it is back",
          "[hardening][faults][nothing-lost]") {
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  auto payload = examplePayload();
  volume.update(payload);
  const auto brokerPort = freePort();
  auto broker = startBroker({brokerPort, tmp / "broker-data", true});
  auto manager = startManager({brokerPort, volume.mountDir(), kBrokerPassword, {}});
  REQUIRE(eventually([&] { return allPublished(manager.port, brokerPort); }, kConverge));
  std::map<std::string, std::uint64_t> generations;
  for (const char* provider : kProviders) generations[provider] = providerGeneration(manager.port, provider);

  for (auto& [name, content] : payload) content = withMarker(content, "v2");
  SECTION("the broker dies while the change is being published") {
    const auto scansBefore = scansWithWork(manager.process);
    volume.update(payload);
    // The debounced scan found the change: its publication is starting.
    REQUIRE(eventually([&] { return scansWithWork(manager.process) > scansBefore; }, 10s, "a scan with the change"));
    broker.kill();
    broker.waitForExit(5s);
    CHECK(eventually([&] { return getReady(manager.port).status == 503; }, 10s));
  }
  SECTION("the change is made while the broker is down (and known to be)") {
    broker.kill();
    broker.waitForExit(5s);
    REQUIRE(eventually([&] { return getReady(manager.port).body.value("broker_healthy", true) == false; }, 10s,
                       "the manager noticed the outage"));
    const auto scansBefore = scansWithWork(manager.process);
    volume.update(payload);
    REQUIRE(eventually([&] { return scansWithWork(manager.process) > scansBefore; }, 10s, "a scan with the change"));
    CHECK(getReady(manager.port).status == 503);
  }
  // The same port and the same data: the manager was not restarted and must not need to be.
  broker = startBroker({brokerPort, tmp / "broker-data", true});
  CHECK(eventually(
      [&] {
        if (!allPublished(manager.port, brokerPort)) return false;
        for (const char* provider : kProviders)
          if (brokerMarker(brokerPort, provider) != "v2") return false;
        return true;
      },
      kConverge, "every pact published with the change"));
  for (const auto& [name, content] : payload) {
    const std::string provider = providerOf(content);
    INFO(provider << ": " << getJson(manager.port, "/providers/" + provider + "/ready").dump());
    CHECK(eventually([&] { return providerReadyFor(manager.port, provider, content, generations[provider]); }, 5s,
                     "/providers/" + provider + "/ready describes the changed pact"));
  }
  CHECK(manager.process.stop(10s) == 0);  // a sanitizer report in the manager would show here
}

TEST_CASE("under load, requests in flight during pact swaps get whole answers from the right interaction",
          "[hardening][reload][concurrency][nothing-lost]") {
  const unsigned clients = envCount("NOTHING_LOST_CLIENTS", 4);
  const unsigned swaps = envCount("NOTHING_LOST_SWAPS", 10);
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  volume.update({{"aws.json", pactSet(kSetA)}});
  auto mock = startLoadedMock(volume.mountDir());
  REQUIRE(servedSet(mock.port) == kSetA);

  LoadTally tally;
  Load load(mock.port, clients, tally);
  REQUIRE(eventually([&] { return tally.answers.load() >= 50 * clients; }, 10s, "the load is running"));
  for (unsigned swap = 1; swap <= swaps; ++swap) {
    // Alternate: the kubelet's ..data swap, and POST /__admin/reload after it.
    const std::string& set = swap % 2 ? kSetB : kSetA;
    const auto before = tally.answers.load();
    volume.update({{"aws.json", pactSet(set)}});
    REQUIRE(eventually([&] { return servedSet(mock.port) == set; }, 10s, "set " + set + " served after swap"));
    auto reload = httpRequest(mock.port, "POST", "/__admin/reload", {}, {}, 10s);
    CHECK(reload.status == 200);
    // Load kept flowing through the swap (not a pause of all clients).
    REQUIRE(eventually([&] { return tally.answers.load() >= before + 20 * clients; }, 10s, "answers after the swap"));
  }
  load.stop();

  INFO(tally.problems());
  INFO("answers " << tally.answers << " (A " << tally.setA << ", B " << tally.setB << "), closes " << tally.cleanCloses
                  << ", resets " << tally.resets);
  CHECK(tally.wrong == 0);
  CHECK(tally.halfAnswers == 0);
  CHECK(tally.setA > 0);
  CHECK(tally.setB > 0);
  // No connection was ended by the server while it served: swaps are invisible to clients.
  CHECK(tally.cleanCloses == 0);
  CHECK(tally.resets == 0);
  // A clean exit: under a sanitizer build, a report in the mock makes its exit code non-zero.
  CHECK(mock.process.stop(10s) == 0);
}

TEST_CASE("SIGTERM under load: every answer sent is whole and right, connections end between answers",
          "[hardening][shutdown][concurrency][nothing-lost]") {
  const unsigned clients = envCount("NOTHING_LOST_CLIENTS", 4);
  TempDir tmp;
  KubeletVolume volume(tmp / "configmap");
  volume.update({{"aws.json", pactSet(kSetA)}});
  auto mock = startLoadedMock(volume.mountDir());

  LoadTally tally;
  Load load(mock.port, clients, tally);
  REQUIRE(eventually([&] { return tally.answers.load() >= 100 * clients; }, 10s, "the load is running"));
  mock.process.terminate();
  const auto exit = mock.process.waitForExit(10s);
  // Every client met the closed listener: none is left waiting on a connection.
  CHECK(eventually([&] { return load.running() == 0; }, 10s, "every client saw the listener close"));
  load.stop();

  INFO(tally.problems());
  INFO("answers " << tally.answers << ", Connection: close " << tally.closeAnnounced << ", closes " << tally.cleanCloses
                  << ", resets " << tally.resets << ", resets in the listen backlog " << tally.backlogResets);
  CHECK(exit == std::optional<int>(0));
  CHECK(tally.wrong == 0);
  CHECK(tally.halfAnswers == 0);
  // Each connection open at the signal ended once, between two answers, with a FIN: an RST
  // (a request already sent to a connection closed as idle) could destroy an answer in flight.
  // Connections still in the listen backlog are reset by the kernel: they never had an answer.
  CHECK(tally.cleanCloses >= clients);
  CHECK(tally.resets == 0);
}
