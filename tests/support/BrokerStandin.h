#pragma once
// A Pact Broker stand-in: the endpoints of ARCHITECTURE.md ("Pact Broker API") with the
// behaviour observed on pact_broker 2.113 (status codes, 409 on changed content under an
// existing version, 401/415/400 rules, HAL links). The state lives in memory and, with a data
// file, is saved after every change so a test can restart the process with or without its data.
// The handler is usable in-process (router()) and behind an HttpServer (broker_standin.cpp).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "http/Router.h"

namespace pactmocks::testsupport {

struct BrokerStandinOptions {
  std::string username, password;  // writes need these (basic auth) when username is non-empty
  std::string dataFile;            // empty: memory only
};

class BrokerStandin {
 public:
  explicit BrokerStandin(BrokerStandinOptions options);
  // Routes for every supported endpoint; the standin must outlive the router.
  http::Router router();

  // Number of stored pact versions (for logs and tests).
  std::size_t pactCount() const;

  // The content hash the real broker uses to decide whether a pact "changed": only the sorted
  // interactions/messages (without broker-assigned `_id`s) and the specification version.
  static std::string verificationContentKey(const nlohmann::json& pact);

 private:
  struct StoredPact {
    nlohmann::json content;
    std::string createdAt;
    std::uint64_t sequence = 0;  // creation order of the consumer version
  };
  struct State {
    std::uint64_t nextSequence = 1;
    // consumer → version → creation sequence
    std::map<std::string, std::map<std::string, std::uint64_t>> versions;
    // consumer → branch → versions
    std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> branches;
    // every consumer and provider name seen (the real broker's pacticipants)
    std::set<std::string> pacticipants;
    // webhook UUID → the webhook as stored (no delivery: the stand-in never calls them)
    std::map<std::string, nlohmann::json> webhooks;
    // provider → consumer → version → pact
    std::map<std::string, std::map<std::string, std::map<std::string, StoredPact>>> pacts;
  };

  http::Response heartbeat(http::Request& request);
  http::Response index(http::Request& request);
  http::Response putPact(http::Request& request);
  http::Response getPactVersion(http::Request& request);
  http::Response getLatestPact(http::Request& request);
  http::Response getLatestProviderPacts(http::Request& request);
  http::Response getAllLatest(http::Request& request);
  http::Response putBranchVersion(http::Request& request);
  http::Response postPacticipant(http::Request& request);
  http::Response putWebhook(http::Request& request);
  http::Response getWebhook(http::Request& request);
  http::Response deleteWebhook(http::Request& request);
  http::Response listWebhooks(http::Request& request);

  std::optional<http::Response> checkWriteAuth(const http::Request& request) const;
  std::uint64_t ensureVersion(const std::string& consumer, const std::string& version);
  const StoredPact* latestFor(const std::string& provider, const std::string& consumer, std::string* version) const;
  nlohmann::json pactBody(const std::string& base, const std::string& provider, const std::string& consumer,
                          const std::string& version, const StoredPact& pact) const;
  void load();
  void save() const;

  BrokerStandinOptions options_;
  mutable std::mutex mutex_;
  State state_;
};

}  // namespace pactmocks::testsupport
