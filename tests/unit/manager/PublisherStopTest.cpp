// Stopping the publisher while the broker hangs: the pass ends after the call in flight instead
// of running every remaining call into its timeout.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "ManagerStatus.h"
#include "Publisher.h"
#include "TestProcess.h"

using namespace pactmocks::manager;
using namespace pactmocks::testsupport;
using namespace std::chrono_literals;

namespace {

// A broker that accepts connections and never answers.
class HungBroker {
 public:
  HungBroker() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listener_, 64) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] {
      for (;;) {
        int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) return;  // shut down
        held_.push_back(fd);
        ++connections_;
      }
    });
  }
  ~HungBroker() {
    ::shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    ::close(listener_);
    for (int fd : held_) ::close(fd);
  }
  std::uint16_t port() const { return port_; }
  int connections() const { return connections_; }

 private:
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  std::vector<int> held_;  // only the acceptor thread touches it until the join
  std::thread acceptor_;
};

std::string pactJson(const std::string& provider) {
  return R"({"consumer":{"name":"C"},"provider":{"name":")" + provider +
         R"("},"interactions":[{"description":"d","request":{"method":"GET","path":"/a"},"response":{"status":200}}],)"
         R"("metadata":{"pactSpecification":{"version":"3.0.0"}}})";
}

}  // namespace

TEST_CASE("Publisher: stop ends a pass after the broker call in flight", "[manager][publisher]") {
  HungBroker broker;
  TempDir dir;
  const std::string pacts = dir / "pacts";
  std::filesystem::create_directories(pacts);
  constexpr int kPacts = 20;
  for (int i = 0; i < kPacts; ++i) writeFile(pacts + "/p" + std::to_string(i) + ".json", pactJson("P" + std::to_string(i)));

  ManagerConfig config;
  config.brokerUrl = "http://127.0.0.1:" + std::to_string(broker.port());
  config.brokerTimeout = 300ms;  // each hung call; without the stop check the pass has ~20 more
  config.configMapPath = pacts;
  config.publishedFlagPath = dir / "flag";
  ManagerStatus status;
  status.setBrokerHealth(true, "");
  Publisher publisher(config, status);
  publisher.start();
  publisher.requestRescan();
  // The webhook listing, then the first publication: the pass is under way.
  REQUIRE(eventually([&] { return broker.connections() >= 2; }, 10s));

  const int atStop = broker.connections();
  const auto started = std::chrono::steady_clock::now();
  publisher.stop();
  const auto took = std::chrono::steady_clock::now() - started;
  // At most the call in flight, and the one that may have begun meanwhile.
  CHECK(broker.connections() <= atStop + 1);
  CHECK(took < 2s);  // the remaining calls would take about kPacts × 300 ms
  CHECK_FALSE(status.snapshot().pactsPublished);
}
