#pragma once
// The decisions of one publication pass, as data: from what a scan found and what the publisher
// knows, which pacts are withdrawn, verified or published, whether webhooks are applied, what
// /ready and the flag file say afterwards, and when the pass is retried. No I/O; the Publisher
// executes the plan against the broker and records the results.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ManagerStatus.h"
#include "PactValidation.h"
#include "VersionPolicy.h"
#include "WebhookDeclarations.h"

namespace pactmocks::manager {

struct ReconcilePlan {
  std::vector<ValidPact> toPublish;   // new or changed content
  std::vector<ValidPact> unchanged;   // same content as published
  std::vector<PactKey> toWithdraw;    // published before, no file any more
  std::vector<FileProblem> problems;  // e.g. two files for the same pair
};

// `desired` in file-name order; when two files describe the same pair the first one wins.
ReconcilePlan planReconcile(const std::vector<ValidPact>& desired, const std::map<PactKey, PublishedPact>& published);

// What one scan found, validated.
struct ScannedPacts {
  std::vector<ValidPact> valid;         // in file-name order
  std::vector<FileProblem> problems;    // unreadable or invalid files
  std::optional<std::string> webhooks;  // the webhooks.json key: declarations, not a pact
};

ScannedPacts classifyFiles(const std::vector<pactdir::PactFile>& files, std::vector<FileProblem> unreadable);

// What the publisher knows when a pass begins.
struct PassState {
  const std::map<PactKey, PublishedPact>& published;
  const std::map<PactKey, std::string>& publishErrors;  // last failure per pair
  const std::optional<std::string>& webhooksFingerprint;  // of the declarations last applied in full
  const std::string& webhookPrefix;
  bool verify = false;  // check that the broker still serves what was published (after an outage)
  bool brokerHealthy = false;
};

struct WebhookAction {
  bool apply = false;    // false: the broker holds these declarations already (or is not healthy)
  bool reapply = false;  // send every declaration again (the broker may have a new database)
  bool declaredFile = false;  // webhooks.json exists
  WebhookDeclarations declared;
  std::string fingerprint;  // recorded once applied in full
};

// One broker action of a pass; the Publisher checks for stop before each.
struct BrokerAction {
  enum class Kind { ApplyWebhooks, Verify, Publish };
  Kind kind = Kind::Publish;
  ValidPact pact;  // Verify and Publish; a Verify that finds the pact lost is followed by its Publish
};

struct PassPlan {
  std::vector<FileProblem> problems;  // every problem of the scan, duplicate pairs included
  std::set<PactKey> wanted;           // the pairs the ConfigMap holds
  std::vector<PactKey> toWithdraw;    // published, no file any more
  std::vector<PactKey> forgetErrors;  // failures of pairs no longer wanted
  std::vector<ValidPact> toPublish;   // new or changed content (due, even while the broker is not healthy)
  bool callBroker = false;            // the broker is healthy: `actions` are due
  WebhookAction webhooks;
  // In order: webhooks first (so the first publication fires them), then the verifications of
  // unchanged pacts (after an outage), then the publications.
  std::vector<BrokerAction> actions;
  bool okWithoutBroker = true;  // broker not healthy: the pass succeeds only if nothing was due
};

PassPlan planPass(const ScannedPacts& scan, const PassState& state);

// What /ready and the flag file say after the pass.
struct PassOutcome {
  bool allPublished = false;  // every valid pact published with its current content, no failure
  bool writeFlag = false;     // and the broker was healthy
  std::vector<PublishedPact> published;
  std::vector<StatusProblem> errors;
};

PassOutcome passOutcome(const PassPlan& plan, const std::vector<ValidPact>& valid,
                        const std::map<PactKey, PublishedPact>& published,
                        const std::map<PactKey, std::string>& publishErrors);

// After a pass: retry with backoff while the broker is healthy; while it is not, wait for the
// broker monitor's verifying rescan. A verify that did not complete is owed to the next pass.
enum class NextPass { WhenAsked, RetryWithBackoff, WhenBrokerReturns };
struct RetryDecision {
  NextPass next = NextPass::WhenAsked;
  bool pendingVerify = false;
};

RetryDecision decideRetry(bool passOk, bool brokerHealthy, bool verified, bool pendingVerify);

}  // namespace pactmocks::manager
