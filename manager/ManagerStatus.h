#pragma once
// What the manager knows, shared between the publisher and broker-monitor threads (writers)
// and the health server (reader). Readers take a consistent snapshot.
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace pactmocks::manager {

struct PublishedPact {
  std::string provider, consumer, version, sha256, publishedAt, file;
  std::uint64_t generation = 0;  // the publication generation that last changed this pact
};

struct StatusProblem {
  std::string file;    // the pact file, or empty for broker-level problems
  std::string reason;
};

// A broker webhook declared in the ConfigMap (webhooks.json), as last applied.
struct WebhookState {
  std::string id, uuid, description;
  std::string state;  // "applied", "failed" (the broker refused or was unreachable), "invalid" (bad declaration)
  std::string error;
};

struct StatusSnapshot {
  // Where the pacts come from (fixed at start-up, shown in /ready).
  std::string configMapName, configMapPath, kubernetesNamespace;
  bool brokerHealthy = false;
  std::string brokerError;   // why the last heartbeat failed
  bool scanned = false;      // at least one reconciliation finished
  bool pactsPublished = false;  // every valid pact is published (vacuously true for none)
  std::uint64_t generation = 0; // increases whenever the published set changes
  std::vector<PublishedPact> published;  // sorted by provider, then consumer
  std::vector<StatusProblem> errors;
  std::vector<WebhookState> webhooks;

  bool ready() const { return brokerHealthy && scanned && pactsPublished; }
};

class ManagerStatus {
 public:
  StatusSnapshot snapshot() const {
    std::lock_guard lock(mutex_);
    return state_;
  }
  void setSource(std::string configMapName, std::string configMapPath, std::string kubernetesNamespace) {
    std::lock_guard lock(mutex_);
    state_.configMapName = std::move(configMapName);
    state_.configMapPath = std::move(configMapPath);
    state_.kubernetesNamespace = std::move(kubernetesNamespace);
  }
  void setBrokerHealth(bool healthy, std::string error) {
    std::lock_guard lock(mutex_);
    state_.brokerHealthy = healthy;
    state_.brokerError = healthy ? std::string() : std::move(error);
  }
  bool brokerHealthy() const {
    std::lock_guard lock(mutex_);
    return state_.brokerHealthy;
  }
  // Replaces the publication part of the status (the broker part is kept).
  void setPublication(bool pactsPublished, std::uint64_t generation, std::vector<PublishedPact> published,
                      std::vector<StatusProblem> errors) {
    std::lock_guard lock(mutex_);
    state_.scanned = true;
    state_.pactsPublished = pactsPublished;
    state_.generation = generation;
    state_.published = std::move(published);
    state_.errors = std::move(errors);
  }
  void setWebhooks(std::vector<WebhookState> webhooks) {
    std::lock_guard lock(mutex_);
    state_.webhooks = std::move(webhooks);
  }

 private:
  mutable std::mutex mutex_;
  StatusSnapshot state_;
};

}  // namespace pactmocks::manager
