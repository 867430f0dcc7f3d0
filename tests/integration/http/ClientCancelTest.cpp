// HttpClient::cancel / BrokerClient::cancel: from another thread, abort the call in flight at once
// and make every later call fail at once, with an error that says so.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <random>
#include <thread>

#include "HungPeer.h"
#include "TestProcess.h"
#include "broker/BrokerClient.h"
#include "http/HttpClient.h"

using namespace pactmocks;
using namespace std::chrono_literals;

namespace {
template <class Call>
auto inBackground(Call&& call) {
  return std::async(std::launch::async, std::forward<Call>(call));
}
}  // namespace

TEST_CASE("HttpClient::cancel aborts the call in flight and, sticky, every later one", "[http][client][cancel]") {
  testsupport::HungPeer peer;
  http::HttpClient client(peer.url(), {}, 30s);
  auto pending = inBackground([&] { return client.get("/slow"); });
  REQUIRE(testsupport::eventually([&] { return peer.accepted() >= 1; }, 5s));
  CHECK(pending.wait_for(100ms) == std::future_status::timeout);  // really hanging

  const auto start = std::chrono::steady_clock::now();
  client.cancel();
  REQUIRE(pending.wait_for(2s) == std::future_status::ready);
  auto result = pending.get();
  CHECK_FALSE(result.response);
  CHECK_THAT(result.error, Catch::Contains("cancelled"));
  CHECK(std::chrono::steady_clock::now() - start < 1s);

  auto later = client.get("/again");
  CHECK_FALSE(later.response);
  CHECK_THAT(later.error, Catch::Contains("cancelled"));
  CHECK(peer.accepted() == 1);  // not even a connection for the later call
}

TEST_CASE("a shared Cancellation stops every client that uses it, including the broker's", "[http][client][cancel]") {
  testsupport::HungPeer peer;
  auto cancellation = std::make_shared<http::Cancellation>();
  broker::BrokerSettings settings;
  settings.url = peer.url();
  settings.timeout = 30s;
  settings.cancellation = cancellation;
  broker::BrokerClient broker(settings);
  http::HttpClient other(peer.url(), {}, 30s, cancellation);

  auto heartbeat = inBackground([&] {
    const auto healthy = broker.heartbeat();
    return std::make_pair(healthy.ok(), healthy ? std::string() : healthy.error());
  });
  auto get = inBackground([&] { return other.get("/x"); });
  REQUIRE(testsupport::eventually([&] { return peer.accepted() >= 2; }, 5s));

  broker.cancel();
  REQUIRE(heartbeat.wait_for(2s) == std::future_status::ready);
  REQUIRE(get.wait_for(2s) == std::future_status::ready);
  auto [healthy, error] = heartbeat.get();
  CHECK_FALSE(healthy);
  CHECK_THAT(error, Catch::Contains("cancelled"));
  CHECK_THAT(get.get().error, Catch::Contains("cancelled"));
  CHECK(cancellation->cancelled());
}

// The abort is posted to the client's loop; landing between two operations (after connect, before
// the write) must still end the call, not leave the next operation to wait for its deadline.
TEST_CASE("a cancel landing at any point of a call ends it at once", "[http][client][cancel]") {
  testsupport::HungPeer peer;
  std::mt19937 random(7);
  std::uniform_int_distribution<int> delayUs(0, 1500);
  int slow = 0;
  for (int i = 0; i < 150; ++i) {
    http::HttpClient client(peer.url(), {}, 10s);
    auto pending = inBackground([&] { return client.get("/slow"); });
    std::this_thread::sleep_for(std::chrono::microseconds(delayUs(random)));  // the race's offset, not a wait
    client.cancel();
    if (pending.wait_for(2s) != std::future_status::ready) ++slow;
    pending.wait();
  }
  CHECK(slow == 0);
}
