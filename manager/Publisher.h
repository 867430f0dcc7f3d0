#pragma once
// The reconciler: on its own worker thread (blocking broker calls never touch the event loop)
// it scans the ConfigMap, validates, publishes what changed, withdraws what disappeared,
// verifies after broker outages that the broker still has what was published, keeps the
// status and the published-flag file up to date, and retries failures with capped backoff.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "ManagerConfig.h"
#include "ManagerStatus.h"
#include "PactPublication.h"
#include "ProblemLog.h"
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
  // Ends the pass after the broker call in flight (no further call starts), then joins the worker.
  void stop();

  // Thread-safe triggers. `verify`: also check that the broker still serves each published pact.
  void requestRescan(bool verify = false);

 private:
  void run();
  // Waits for a rescan request, a due retry or stop; the pass's `verify`, or nullopt on stop.
  std::optional<bool> waitForPass(std::optional<std::chrono::steady_clock::time_point>& retryAt, bool pendingVerify);
  // One pass: the scan, the plan, the broker actions, the outcome. False when something must be retried.
  bool reconcile(bool verify);
  bool withdraw(const PassPlan& plan);
  bool executeBrokerActions(const PassPlan& plan, bool& changed);
  // Does the broker still serve the published `pact`? Records the answer in publishErrors_.
  Result<void, VerifyFailure> verify(const ValidPact& pact);
  Result<void, VerifyFailure> brokerStillHas(const PublishedPact& pact);
  // The version published, or why not.
  Result<std::string, PublishFailure> publish(const ValidPact& pact);
  // Publishes and records the outcome; false on failure.
  bool publishAndRecord(const ValidPact& pact);
  BrokerAnswer execute(const PublishCall& call, const ValidPact& pact);
  void recordPublished(const ValidPact& pact, const std::string& version);
  void recordOutcome(PassOutcome outcome, bool changed);
  // Creates, updates and deletes the ConfigMap's webhooks. False when a broker error must be retried.
  bool applyWebhooks(const WebhookAction& action);
  bool putWebhooks(const std::vector<WebhookDeclaration>& toPut, std::map<std::string, std::string>& failures);
  bool deleteWebhooks(const std::vector<std::string>& toDelete);
  void updateFlagFile(bool published);
  // Checked before every broker call, so that stop() ends a pass after the call in flight.
  bool stopRequested();

  const ManagerConfig& config_;
  ManagerStatus& status_;
  broker::BrokerClient broker_;
  VersionPolicy versions_;
  std::map<PactKey, PublishedPact> published_;
  std::uint64_t generation_ = 0;
  std::uint64_t flagGeneration_ = 0;
  bool flagWritten_ = false;
  ProblemLog fileProblems_, webhookProblems_;  // logged once while present
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
