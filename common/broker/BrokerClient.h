#pragma once
// The Pact Broker API as the manager and the mocks use it (see ARCHITECTURE.md, "Pact Broker API").
// Blocking, one instance per worker thread (cancel() from any thread). Names in paths are percent-encoded here.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Result.h"
#include "http/HttpClient.h"

namespace pactmocks::broker {

struct BrokerSettings {
  std::string url = "http://localhost:9292";
  http::Credentials credentials;
  std::string healthPath = "/diagnostic/status/heartbeat";
  std::chrono::milliseconds timeout{5000};
  // Shared with the worker's other clients so one cancel() stops them all; unset: the client's own.
  std::shared_ptr<http::Cancellation> cancellation;
};

// The Accept sent on every broker call. The real broker's HAL resources (heartbeat, index, the
// latest-pacts list, the branch PUT, /contracts/publish) answer 406 to `application/json` alone;
// only the pact documents also serve it. The list below is served by every resource.
inline constexpr const char* kBrokerAccept = "application/hal+json, application/json";

// One line for logs and /ready: "HTTP 406 Not Acceptable (Accept: ...)", the start of the body,
// and a hint for the statuses whose cause is on our side (credentials, negotiation).
std::string describeBrokerAnswer(const http::ClientResult& result);

struct PactRef {
  std::string consumer;
  std::string href;  // absolute URL or path of the pact version
};

class BrokerClient {
 public:
  explicit BrokerClient(BrokerSettings settings);

  // GET heartbeat: a success on 2xx, else why not.
  Result<void> heartbeat();
  // PUT /pacts/provider/{p}/consumer/{c}/version/{v}: 200/201 ok, 409 content conflict, ...
  http::ClientResult publishPact(const std::string& provider, const std::string& consumer,
                                 const std::string& version, const std::string& pactJson);
  // PUT /pacticipants/{c}/branches/{b}/versions/{v} with {}.
  http::ClientResult recordBranch(const std::string& consumer, const std::string& branch, const std::string& version);
  // GET /pacts/provider/{p}/consumer/{c}/latest (404 → response with status 404).
  http::ClientResult latestPact(const std::string& provider, const std::string& consumer);
  // GET /pacts/provider/{p}/latest → one ref per consumer (pb:pacts, falling back to pacts).
  // An error on transport failure or non-2xx.
  Result<std::vector<PactRef>> latestPactsForProvider(const std::string& provider);
  // GET of an href returned by latestPactsForProvider (absolute or relative to the broker).
  http::ClientResult fetch(const std::string& href);

  // Webhooks (pact_broker's /webhooks API).
  // POST /pacticipants {"name"}: a webhook's consumer/provider filter must name an existing one.
  http::ClientResult ensurePacticipant(const std::string& name);
  // PUT /webhooks/{uuid}: 201 created, 200 updated, 400 with the broker's reasons.
  http::ClientResult putWebhook(const std::string& uuid, const std::string& webhookJson);
  // DELETE /webhooks/{uuid}: 204, or 404 when it is gone already.
  http::ClientResult deleteWebhook(const std::string& uuid);
  // GET /webhooks → the UUIDs of every webhook (from the pb:webhooks links).
  Result<std::vector<std::string>> webhookUuids();

  // Thread-safe and sticky: aborts the call in flight, every later call fails at once.
  void cancel() { client_.cancel(); }

  const BrokerSettings& settings() const { return settings_; }

 private:
  BrokerSettings settings_;
  http::HttpClient client_;
};

}  // namespace pactmocks::broker
