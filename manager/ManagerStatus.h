#pragma once
// What the manager knows, shared between the publisher and broker-monitor threads (writers)
// and the health server (reader). Readers take a consistent snapshot.
#include <cstdint>
#include <functional>
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
    {
      std::lock_guard lock(mutex_);
      state_.brokerHealthy = healthy;
      state_.brokerError = healthy ? std::string() : std::move(error);
    }
    notifyWaiters();
  }
  // A long-poll waiter: called with every new snapshot (outside the lock, on the writer's thread)
  // until it returns true (answered, or its request is gone). Also called once at once.
  using Waiter = std::function<bool(const StatusSnapshot&)>;
  void addWaiter(Waiter waiter) {
    const StatusSnapshot current = snapshot();
    if (waiter(current)) return;
    std::lock_guard lock(waitersMutex_);
    // Drop the waiters whose requests ended meanwhile (timed out, connection gone): without a
    // publication nobody else would, and they would pile up.
    std::erase_if(waiters_, [&](Waiter& w) { return w(current); });
    waiters_.push_back(std::move(waiter));
  }
  std::size_t waiterCount() const {
    std::lock_guard lock(waitersMutex_);
    return waiters_.size();
  }
  bool brokerHealthy() const {
    std::lock_guard lock(mutex_);
    return state_.brokerHealthy;
  }
  // Replaces the publication part of the status (the broker part is kept).
  void setPublication(bool pactsPublished, std::uint64_t generation, std::vector<PublishedPact> published,
                      std::vector<StatusProblem> errors) {
    std::unique_lock lock(mutex_);
    state_.scanned = true;
    state_.pactsPublished = pactsPublished;
    state_.generation = generation;
    state_.published = std::move(published);
    state_.errors = std::move(errors);
    lock.unlock();
    notifyWaiters();
  }
  void setWebhooks(std::vector<WebhookState> webhooks) {
    std::lock_guard lock(mutex_);
    state_.webhooks = std::move(webhooks);
  }

 private:
  void notifyWaiters() {
    std::vector<Waiter> waiting;
    {
      std::lock_guard lock(waitersMutex_);
      waiting.swap(waiters_);
    }
    if (waiting.empty()) return;
    const StatusSnapshot current = snapshot();
    std::vector<Waiter> still;
    for (auto& w : waiting)
      if (!w(current)) still.push_back(std::move(w));
    std::lock_guard lock(waitersMutex_);
    for (auto& w : still) waiters_.push_back(std::move(w));
  }

  mutable std::mutex mutex_;
  StatusSnapshot state_;
  mutable std::mutex waitersMutex_;
  std::vector<Waiter> waiters_;
};

}  // namespace pactmocks::manager
