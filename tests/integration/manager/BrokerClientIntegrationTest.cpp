// BrokerClient against the stand-in process (real sockets).
#include <catch2/catch.hpp>

#include "Harness.h"
#include "broker/BrokerClient.h"

using namespace manager_it;
using namespace std::chrono_literals;
using pactmocks::broker::BrokerClient;
using pactmocks::broker::BrokerSettings;

TEST_CASE("BrokerClient publishes, lists and fetches pacts", "[integration][broker]") {
  Broker broker(freePort());
  BrokerSettings settings;
  settings.url = broker.url();
  settings.credentials.username = "pact";
  settings.credentials.password = "pact";
  settings.timeout = 2s;
  BrokerClient client(settings);

  auto down = client.heartbeat();
  CHECK_FALSE(down);
  CHECK_FALSE(down.error().empty());
  broker.start();
  REQUIRE(eventually([&] { return client.heartbeat().ok(); }, 5s));

  const std::string consumer = "Secret Manager/Controller";  // needs percent-encoding
  auto put = client.publishPact("Azure-Key-Vault", consumer, "main-1", pactJson(consumer, "Azure-Key-Vault", "/s").dump());
  CHECK(put.status() == 201);
  CHECK(client.publishPact("Azure-Key-Vault", consumer, "main-1", pactJson(consumer, "Azure-Key-Vault", "/s").dump())
            .status() == 200);
  CHECK(client.publishPact("Azure-Key-Vault", consumer, "main-1", pactJson(consumer, "Azure-Key-Vault", "/t").dump())
            .status() == 409);
  CHECK(client.recordBranch(consumer, "main", "main-1").status() == 201);
  CHECK(client.latestPact("Azure-Key-Vault", consumer).status() == 200);
  CHECK(client.latestPact("Azure-Key-Vault", "nobody").status() == 404);

  auto refs = client.latestPactsForProvider("Azure-Key-Vault");
  REQUIRE(refs);
  REQUIRE(refs->size() == 1);
  CHECK((*refs)[0].consumer == consumer);
  auto fetched = client.fetch((*refs)[0].href);
  REQUIRE(fetched.ok());
  CHECK(interactionsOf(fetched.response->body) == pactJson(consumer, "Azure-Key-Vault", "/s")["interactions"]);
  CHECK_FALSE(client.latestPactsForProvider("Unknown"));

  BrokerClient anonymous(BrokerSettings{broker.url(), {}, "/diagnostic/status/heartbeat", 2s});
  CHECK(anonymous.publishPact("Azure-Key-Vault", consumer, "main-2", pactJson(consumer, "Azure-Key-Vault", "/s").dump())
            .status() == 401);
}
