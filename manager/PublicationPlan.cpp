#include "PublicationPlan.h"

#include <algorithm>

namespace pactmocks::manager {

namespace {

WebhookAction planWebhookAction(const std::optional<std::string>& declarations, const PassState& state) {
  WebhookAction action;
  action.declaredFile = declarations.has_value();
  if (declarations) action.declared = parseWebhookDeclarations(*declarations, state.webhookPrefix);
  action.fingerprint = declarations ? "declared;" : "none;";
  for (const auto& w : action.declared.webhooks) action.fingerprint += w.uuid + "=" + w.sha256 + ";";
  for (const auto& p : action.declared.problems) action.fingerprint += p.id + "!" + p.reason + ";";
  action.reapply = state.verify;
  action.apply = state.brokerHealthy && (action.reapply || state.webhooksFingerprint != action.fingerprint);
  return action;
}

}  // namespace

ReconcilePlan planReconcile(const std::vector<ValidPact>& desired, const std::map<PactKey, PublishedPact>& published) {
  ReconcilePlan plan;
  std::map<PactKey, std::string> seen;  // pair → file that claimed it
  for (const auto& pact : desired) {
    PactKey key{pact.provider, pact.consumer};
    auto [it, inserted] = seen.emplace(key, pact.file);
    if (!inserted) {
      plan.problems.push_back({pact.file, "duplicate pact for consumer " + pact.consumer + " and provider " +
                                              pact.provider + " (already in " + it->second + "); skipped"});
      continue;
    }
    auto current = published.find(key);
    if (current != published.end() && current->second.sha256 == pact.sha256)
      plan.unchanged.push_back(pact);
    else
      plan.toPublish.push_back(pact);
  }
  for (const auto& [key, pact] : published)
    if (!seen.count(key)) plan.toWithdraw.push_back(key);
  return plan;
}

ScannedPacts classifyFiles(const std::vector<pactdir::PactFile>& files, std::vector<FileProblem> unreadable) {
  ScannedPacts scan;
  scan.problems = std::move(unreadable);
  for (const auto& file : files) {
    if (file.name == kWebhooksFile) {
      scan.webhooks = file.content;
      continue;
    }
    auto result = validatePactFile(file.name, file.content);
    if (result)
      scan.valid.push_back(std::move(*result));
    else
      scan.problems.push_back({file.name, result.error()});
  }
  return scan;
}

PassPlan planPass(const ScannedPacts& scan, const PassState& state) {
  ReconcilePlan reconcile = planReconcile(scan.valid, state.published);
  PassPlan plan;
  plan.problems = scan.problems;
  plan.problems.insert(plan.problems.end(), reconcile.problems.begin(), reconcile.problems.end());
  for (const auto& pact : scan.valid) plan.wanted.insert({pact.provider, pact.consumer});
  plan.toWithdraw = std::move(reconcile.toWithdraw);
  for (const auto& [key, error] : state.publishErrors)
    if (!plan.wanted.contains(key)) plan.forgetErrors.push_back(key);
  plan.toPublish = std::move(reconcile.toPublish);
  plan.callBroker = state.brokerHealthy;
  plan.webhooks = planWebhookAction(scan.webhooks, state);
  plan.okWithoutBroker = plan.toPublish.empty() && !state.verify;
  if (!plan.callBroker) return plan;
  if (plan.webhooks.apply) plan.actions.push_back({BrokerAction::Kind::ApplyWebhooks, {}});
  if (state.verify)
    for (const auto& pact : reconcile.unchanged) plan.actions.push_back({BrokerAction::Kind::Verify, pact});
  for (const auto& pact : plan.toPublish) plan.actions.push_back({BrokerAction::Kind::Publish, pact});
  return plan;
}

PassOutcome passOutcome(const PassPlan& plan, const std::vector<ValidPact>& valid,
                        const std::map<PactKey, PublishedPact>& published,
                        const std::map<PactKey, std::string>& publishErrors) {
  PassOutcome outcome;
  outcome.allPublished = publishErrors.empty();
  for (const auto& pact : plan.toPublish) {
    auto it = published.find({pact.provider, pact.consumer});
    outcome.allPublished = outcome.allPublished && it != published.end() && it->second.sha256 == pact.sha256;
  }
  for (const auto& entry : published) outcome.published.push_back(entry.second);
  for (const auto& p : plan.problems) outcome.errors.push_back({p.file, p.reason});
  for (const auto& [key, error] : publishErrors) {
    std::string file;  // of the pact that was published (the first file of its pair)
    auto it = std::find_if(valid.begin(), valid.end(),
                           [&](const ValidPact& p) { return PactKey{p.provider, p.consumer} == key; });
    if (it != valid.end()) file = it->file;
    outcome.errors.push_back({file, "publishing " + key.second + " -> " + key.first + " failed: " + error});
  }
  outcome.writeFlag = outcome.allPublished && plan.callBroker;
  return outcome;
}

RetryDecision decideRetry(bool passOk, bool brokerHealthy, bool verified, bool pendingVerify) {
  if (passOk) return {NextPass::WhenAsked, false};
  if (brokerHealthy) return {NextPass::RetryWithBackoff, pendingVerify || verified};
  return {NextPass::WhenBrokerReturns, true};
}

}  // namespace pactmocks::manager
