#include "Publisher.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/Time.h"
#include "pactdir/PactDirectory.h"
#include "http/Retry.h"

namespace pactmocks::manager {

namespace {

using broker::describeBrokerAnswer;

// The consumer version of the pact the broker returned: the X-Pact-Consumer-Version header, or
// the pb:consumer-version link of the body.
std::string servedVersion(const http::ClientResponse& response) {
  if (auto h = response.headers.get("X-Pact-Consumer-Version")) return std::string(*h);
  auto doc = nlohmann::json::parse(response.body, nullptr, false);
  if (doc.is_object() && doc.contains("_links") && doc["_links"].contains("pb:consumer-version")) {
    const auto& link = doc["_links"]["pb:consumer-version"];
    if (link.is_object() && link.contains("name") && link["name"].is_string()) return link["name"].get<std::string>();
  }
  return {};
}

// `pactGet`: the answer of a pact GET, whose served version the decisions need.
BrokerAnswer answerOf(const http::ClientResult& result, bool pactGet = false) {
  BrokerAnswer answer;
  answer.status = result.status();
  if (!result.ok()) answer.description = describeBrokerAnswer(result);
  if (pactGet && result.response) answer.servedVersion = servedVersion(*result.response);
  return answer;
}

void logPublishFailure(const ValidPact& pact, const PublishFailure& failure) {
  if (failure.status == 409)
    spdlog::error("publishing {} ({} -> {}) failed with 409 Conflict under version {}: {}", pact.file, pact.consumer,
                  pact.provider, failure.call.version, failure.reason);
  else if (failure.call.kind == PublishCall::Kind::RecordBranch)
    spdlog::warn("{}", failure.reason);
  else
    spdlog::warn("publishing {} ({} -> {}, version {}) failed: {}", pact.file, pact.consumer, pact.provider,
                 failure.call.version, failure.reason);
}

// The webhook states for /ready: the invalid declarations, then each valid one applied or failed.
std::vector<WebhookState> webhookStates(const WebhookDeclarations& declared,
                                        const std::map<std::string, std::string>& failures) {
  std::vector<WebhookState> states;
  for (const auto& p : declared.problems) states.push_back({p.id, "", "", "invalid", p.reason});
  for (const auto& w : declared.webhooks) {
    auto failure = failures.find(w.uuid);
    if (failure != failures.end())
      states.push_back({w.id, w.uuid, w.description, "failed", failure->second});
    else
      states.push_back({w.id, w.uuid, w.description, "applied", ""});
  }
  return states;
}

// Temporary file + rename, so that a reader never sees a half-written file.
Result<void> writeAtomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << content;
    if (!out) return fail("cannot write the published flag " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    return fail("cannot rename " + tmp + " to " + path);
  }
  return ok();
}

}  // namespace

broker::BrokerSettings brokerSettingsFrom(const ManagerConfig& config) {
  broker::BrokerSettings s;
  s.url = config.brokerUrl;
  s.credentials.username = config.brokerUsername;
  s.credentials.password = config.brokerPassword;
  s.credentials.bearerToken = config.brokerToken;
  s.healthPath = config.brokerHealthPath;
  s.timeout = config.brokerTimeout;
  return s;
}

Publisher::Publisher(const ManagerConfig& config, ManagerStatus& status)
    : config_(config),
      status_(status),
      broker_(brokerSettingsFrom(config)),
      versions_(config.baseVersion()),
      webhookPrefix_(webhookUuidPrefix(config.kubernetesNamespace, config.configMapName)) {}

Publisher::~Publisher() { stop(); }

void Publisher::start() {
  // A flag left by a previous run of this container (emptyDir survives restarts) is stale.
  std::error_code ec;
  std::filesystem::remove(config_.publishedFlagPath, ec);
  worker_ = std::thread([this] { run(); });
}

void Publisher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  broker_.cancel();
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void Publisher::requestRescan(bool verify) {
  {
    std::lock_guard lock(mutex_);
    rescanRequested_ = true;
    verifyRequested_ = verifyRequested_ || verify;
  }
  wake_.notify_all();
}

void Publisher::run() {
  http::Backoff backoff(std::chrono::milliseconds(500), std::chrono::milliseconds(30'000));
  std::optional<std::chrono::steady_clock::time_point> retryAt;  // a retry is a rescan at that time
  bool pendingVerify = false;
  while (auto verify = waitForPass(retryAt, pendingVerify)) {
    bool ok = false;
    try {
      ok = reconcile(*verify);
    } catch (const std::exception& e) {
      spdlog::error("reconciliation failed: {}", e.what());
    }
    if (stopRequested()) break;  // a pass cut short by stop() is no failure to retry
    const RetryDecision decision = decideRetry(ok, status_.brokerHealthy(), *verify, pendingVerify);
    pendingVerify = decision.pendingVerify;
    retryAt.reset();
    if (decision.next == NextPass::WhenAsked) backoff.reset();
    if (decision.next == NextPass::RetryWithBackoff) {
      auto delay = backoff.next();
      spdlog::info("retrying publication in {} ms (attempt {})", delay.count(), backoff.attempts());
      retryAt = std::chrono::steady_clock::now() + delay;
    }
    // NextPass::WhenBrokerReturns: the broker monitor asks for a verifying rescan.
  }
  spdlog::debug("publisher stopped");
}

std::optional<bool> Publisher::waitForPass(std::optional<std::chrono::steady_clock::time_point>& retryAt,
                                           bool pendingVerify) {
  std::unique_lock lock(mutex_);
  auto woken = [&] { return stopping_ || rescanRequested_; };
  if (retryAt) {
    if (!wake_.wait_until(lock, *retryAt, woken)) rescanRequested_ = true;
  } else {
    wake_.wait(lock, woken);
  }
  if (stopping_) return std::nullopt;
  const bool verify = verifyRequested_ || pendingVerify;
  rescanRequested_ = verifyRequested_ = false;
  return verify;
}

bool Publisher::stopRequested() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

bool Publisher::reconcile(bool verify) {
  // The pass's one scan; everything after it is decided by the plan.
  const pactdir::PactSnapshot snapshot = pactdir::PactDirectory(config_.configMapPath).read();
  const ScannedPacts scan = classifyFiles(snapshot.files, snapshot.unreadable);
  const PassPlan plan = planPass(scan, {.published = published_,
                                        .publishErrors = publishErrors_,
                                        .webhooksFingerprint = webhooksFingerprint_,
                                        .webhookPrefix = webhookPrefix_,
                                        .verify = verify,
                                        .brokerHealthy = status_.brokerHealthy()});
  for (const auto& p : fileProblems_.update(plan.problems)) spdlog::warn("skipping pact file {}: {}", p.file, p.reason);
  spdlog::debug("scan of {} ({}): {} valid, {} to publish, {} withdrawn, {} problems", config_.configMapPath,
                snapshot.directoryExists ? (snapshot.generation.empty() ? "plain directory" : snapshot.generation)
                                         : "missing",
                scan.valid.size(), plan.toPublish.size(), plan.toWithdraw.size(), plan.problems.size());

  bool changed = withdraw(plan);
  versions_.retain(plan.wanted);
  const bool ok = plan.callBroker ? executeBrokerActions(plan, changed) : plan.okWithoutBroker;
  if (changed) ++generation_;
  recordOutcome(passOutcome(plan, scan.valid, published_, publishErrors_), changed);
  return ok;
}

bool Publisher::withdraw(const PassPlan& plan) {
  for (const auto& key : plan.toWithdraw) {
    spdlog::info("pact for consumer {} and provider {} is gone from the ConfigMap; no longer published", key.second,
                 key.first);
    published_.erase(key);
    publishErrors_.erase(key);
  }
  for (const auto& key : plan.forgetErrors) publishErrors_.erase(key);
  return !plan.toWithdraw.empty();
}

bool Publisher::executeBrokerActions(const PassPlan& plan, bool& changed) {
  bool ok = true;
  std::vector<BrokerAction> queue = plan.actions;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    if (stopRequested()) return false;
    const BrokerAction action = queue[i];  // a copy: the queue may grow below
    switch (action.kind) {
      case BrokerAction::Kind::ApplyWebhooks:
        ok = applyWebhooks(plan.webhooks) && ok;
        break;
      case BrokerAction::Kind::Verify:
        if (auto served = verify(action.pact); !served && !served.error().unreachable)
          queue.push_back({BrokerAction::Kind::Publish, action.pact});
        else if (!served)
          ok = false;
        break;
      case BrokerAction::Kind::Publish:
        if (publishAndRecord(action.pact))
          changed = true;
        else
          ok = false;
        break;
    }
  }
  return ok;
}

Result<void, VerifyFailure> Publisher::verify(const ValidPact& pact) {
  const PactKey key{pact.provider, pact.consumer};
  const PublishedPact& current = published_.at(key);
  auto served = brokerStillHas(current);
  if (served) {
    // Verified: an earlier "cannot verify" (broker unreachable mid-outage) no longer holds.
    publishErrors_.erase(key);
  } else if (served.error().unreachable) {
    publishErrors_[key] = served.error().reason;
  } else {
    spdlog::warn("broker no longer serves {} -> {} version {} ({}); re-publishing", pact.consumer, pact.provider,
                 current.version, served.error().reason);
  }
  return served;
}

bool Publisher::publishAndRecord(const ValidPact& pact) {
  auto version = publish(pact);
  if (version) {
    recordPublished(pact, *version);
    return true;
  }
  if (stopRequested()) return false;  // stopped before a call: no failure of the broker to report
  logPublishFailure(pact, version.error());
  publishErrors_[{pact.provider, pact.consumer}] = version.error().reason;
  return false;
}

Result<void, VerifyFailure> Publisher::brokerStillHas(const PublishedPact& pact) {
  return checkStillServed(answerOf(broker_.latestPact(pact.provider, pact.consumer), true), pact.version);
}

Result<std::string, PublishFailure> Publisher::publish(const ValidPact& pact) {
  PactPublication publication(pact, versions_, config_.gitBranch);
  while (auto call = publication.next()) {
    if (stopRequested()) return fail(PublishFailure{*call, 0, "stopped"});
    publication.answer(execute(*call, pact));
    if (!publication.note().empty()) spdlog::info("{}", publication.note());
  }
  return publication.result();
}

BrokerAnswer Publisher::execute(const PublishCall& call, const ValidPact& pact) {
  switch (call.kind) {
    case PublishCall::Kind::PutPact:
      return answerOf(broker_.publishPact(pact.provider, pact.consumer, call.version, pact.content));
    case PublishCall::Kind::CheckLatest:
      return answerOf(broker_.latestPact(pact.provider, pact.consumer), true);
    case PublishCall::Kind::RecordBranch:
      return answerOf(broker_.recordBranch(pact.consumer, config_.gitBranch, call.version));
  }
  return {};
}

void Publisher::recordPublished(const ValidPact& pact, const std::string& version) {
  const PactKey key{pact.provider, pact.consumer};
  published_[key] =
      PublishedPact{pact.provider, pact.consumer, version, pact.sha256, nowRfc3339(), pact.file, generation_ + 1};
  publishErrors_.erase(key);
  spdlog::info("published {} ({} -> {}) as version {}", pact.file, pact.consumer, pact.provider, version);
}

void Publisher::recordOutcome(PassOutcome outcome, bool changed) {
  const bool allPublished = outcome.allPublished;
  // Whoever sees /ready 200 finds the flag file, and the flag never outlives a ready status:
  // written before the status turns ready, removed after it turns not ready.
  if (outcome.writeFlag) updateFlagFile(true);
  status_.setPublication(allPublished, generation_, std::move(outcome.published), std::move(outcome.errors));
  if (!outcome.writeFlag) updateFlagFile(false);
  if (changed)
    spdlog::info("publication generation {}: {} pact(s) published{}", generation_, published_.size(),
                 allPublished ? "" : " (some pending)");
}

bool Publisher::applyWebhooks(const WebhookAction& action) {
  std::vector<FileProblem> problems;
  for (const auto& p : action.declared.problems) problems.push_back({kWebhooksFile, "webhook " + p.id + ": " + p.reason});
  for (const auto& p : webhookProblems_.update(problems)) spdlog::warn("skipping pact file {}: {}", p.file, p.reason);
  if (stopRequested()) return false;
  auto listed = broker_.webhookUuids();
  const std::string error = listed ? std::string() : listed.error();
  std::map<std::string, std::string> failures;  // UUID → why
  if (!listed && action.declared.webhooks.empty()) {
    // Nothing declared: a broker without the webhook API (or a proxy in front) is no problem.
    spdlog::debug("cannot list the broker's webhooks ({}); none declared", error);
    webhooksFingerprint_ = action.fingerprint;
    status_.setWebhooks(webhookStates(action.declared, failures));
    return true;
  }
  if (!listed) {
    for (const auto& w : action.declared.webhooks) failures[w.uuid] = "listing the broker's webhooks failed: " + error;
    status_.setWebhooks(webhookStates(action.declared, failures));
    spdlog::warn("cannot list the broker's webhooks: {}", error);
    return false;
  }
  const std::set<std::string> existing(listed->begin(), listed->end());
  const WebhookPlan plan = planWebhooks(action.declared.webhooks, appliedWebhooks_, existing, webhookPrefix_, action.reapply);
  const bool put = putWebhooks(plan.toPut, failures);
  const bool deleted = deleteWebhooks(plan.toDelete);
  if (stopRequested()) return false;
  status_.setWebhooks(webhookStates(action.declared, failures));
  if (put && deleted) webhooksFingerprint_ = action.fingerprint;
  return put && deleted;
}

bool Publisher::putWebhooks(const std::vector<WebhookDeclaration>& toPut, std::map<std::string, std::string>& failures) {
  bool ok = true;
  for (const auto& w : toPut) {
    // A consumer/provider filter must name a pacticipant the broker knows; it may not exist
    // before the first publication, so create it.
    for (const std::string* name : {&w.consumer, &w.provider})
      if (!name->empty() && !stopRequested()) broker_.ensurePacticipant(*name);
    if (stopRequested()) return false;
    auto result = broker_.putWebhook(w.uuid, w.body);
    if (result.ok()) {
      appliedWebhooks_[w.uuid] = w.sha256;
      spdlog::info("webhook {} ({}) applied as {} (HTTP {})", w.id, w.description, w.uuid, result.status());
      continue;
    }
    appliedWebhooks_.erase(w.uuid);
    failures[w.uuid] = describeBrokerAnswer(result);
    // A refusal (4xx) is the declaration's fault: reported, not retried until it changes.
    if (!result.response || result.status() >= 500) ok = false;
    spdlog::warn("webhook {} ({}) not applied: {}", w.id, w.uuid, failures[w.uuid]);
  }
  return ok;
}

bool Publisher::deleteWebhooks(const std::vector<std::string>& toDelete) {
  bool ok = true;
  for (const auto& uuid : toDelete) {
    if (stopRequested()) return false;
    auto result = broker_.deleteWebhook(uuid);
    if (result.ok() || result.status() == 404) {
      appliedWebhooks_.erase(uuid);
      spdlog::info("webhook {} is no longer declared; removed from the broker", uuid);
    } else {
      ok = false;
      spdlog::warn("removing webhook {} failed: {}", uuid, describeBrokerAnswer(result));
    }
  }
  return ok;
}

void Publisher::updateFlagFile(bool published) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!published) {
    if (flagWritten_ || fs::exists(config_.publishedFlagPath, ec)) {
      fs::remove(config_.publishedFlagPath, ec);
      flagWritten_ = false;
      spdlog::debug("removed {}", config_.publishedFlagPath);
    }
    return;
  }
  if (flagWritten_ && flagGeneration_ == generation_) return;
  nlohmann::json providers = nlohmann::json::array();
  for (const auto& [key, p] : published_)
    providers.push_back({{"provider", p.provider}, {"consumer", p.consumer}, {"version", p.version}});
  const auto summary = nlohmann::json{{"generation", generation_}, {"written_at", nowRfc3339()}, {"pacts", providers}};
  if (auto written = writeAtomically(config_.publishedFlagPath, summary.dump() + "\n"); !written) {
    spdlog::error("{}", written.error());
    return;
  }
  flagWritten_ = true;
  flagGeneration_ = generation_;
}

}  // namespace pactmocks::manager
