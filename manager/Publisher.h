#pragma once
// The reconciler: on its own worker thread (blocking broker calls never touch the event loop)
// it scans the ConfigMap, validates, publishes what changed, withdraws what disappeared,
// verifies after broker outages that the broker still has what was published, keeps the
// status and the published-flag file up to date, and retries failures with capped backoff.
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "ManagerConfig.h"
#include "ManagerStatus.h"
#include "PublicationPlan.h"
#include "WebhookDeclarations.h"
#include "broker/BrokerClient.h"

namespace pactmocks::manager {

broker::BrokerSettings brokerSettingsFrom(const ManagerConfig& config);

class Publisher {
 public:
  Publisher(const ManagerConfig& config, ManagerStatus& status);
  ~Publisher();
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  void start();
  // Finishes the request in flight, then joins the worker.
  void stop();

  // Thread-safe triggers. `verify`: also check that the broker still serves each published pact.
  void requestRescan(bool verify = false);

 private:
  void run();
  // One pass; false when something must be retried.
  bool reconcile(bool verify);
  bool publish(const ValidPact& pact, std::string& error);
  // Creates, updates and deletes the ConfigMap's webhooks (before any pact is published, so the
  // first publication fires them). False when a broker error must be retried.
  bool applyWebhooks(const std::optional<std::string>& declarations, bool reapply);
  bool brokerStillHas(const PublishedPact& pact, std::string& error, bool& transportError);
  void updateFlagFile(bool published);
  void logProblemOnce(const FileProblem& problem);

  const ManagerConfig& config_;
  ManagerStatus& status_;
  broker::BrokerClient broker_;
  VersionPolicy versions_;
  std::map<PactKey, PublishedPact> published_;
  std::uint64_t generation_ = 0;
  std::uint64_t flagGeneration_ = 0;
  bool flagWritten_ = false;
  std::set<std::string> loggedProblems_;
  std::map<PactKey, std::string> publishErrors_;  // last failure per pair, shown in /ready
  const std::string webhookPrefix_;               // UUID prefix of the webhooks this manager owns
  std::map<std::string, std::string> appliedWebhooks_;  // UUID → sha256 of what the broker holds
  std::optional<std::string> webhooksFingerprint_;      // of the declarations last applied in full

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false, rescanRequested_ = false, verifyRequested_ = false;
  std::thread worker_;
};

}  // namespace pactmocks::manager
