#include "Publisher.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "ConfigMapReader.h"
#include "core/Time.h"
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
  for (;;) {
    bool verify = false;
    {
      std::unique_lock lock(mutex_);
      auto woken = [&] { return stopping_ || rescanRequested_; };
      if (retryAt) {
        if (!wake_.wait_until(lock, *retryAt, woken)) rescanRequested_ = true;
      } else {
        wake_.wait(lock, woken);
      }
      if (stopping_) break;
      verify = verifyRequested_ || pendingVerify;
      rescanRequested_ = verifyRequested_ = false;
    }
    bool ok = false;
    try {
      ok = reconcile(verify);
    } catch (const std::exception& e) {
      spdlog::error("reconciliation failed: {}", e.what());
    }
    if (ok) {
      backoff.reset();
      retryAt.reset();
      pendingVerify = false;
    } else if (status_.brokerHealthy()) {
      auto delay = backoff.next();
      spdlog::info("retrying publication in {} ms (attempt {})", delay.count(), backoff.attempts());
      retryAt = std::chrono::steady_clock::now() + delay;
      pendingVerify = pendingVerify || verify;
    } else {
      // The broker monitor asks for a verifying rescan when the broker comes back.
      retryAt.reset();
      pendingVerify = true;
    }
  }
  spdlog::debug("publisher stopped");
}

void Publisher::logProblemOnce(const FileProblem& problem) {
  if (loggedProblems_.insert(problem.file + "\n" + problem.reason).second)
    spdlog::warn("skipping pact file {}: {}", problem.file, problem.reason);
}

bool Publisher::reconcile(bool verify) {
  ConfigMapSnapshot snapshot = readConfigMap(config_.configMapPath);
  std::vector<FileProblem> problems = snapshot.unreadable;
  std::vector<ValidPact> valid;
  std::optional<std::string> webhooks;  // the webhooks.json key: declarations, not a pact
  for (const auto& file : snapshot.files) {
    if (file.name == kWebhooksFile) {
      webhooks = file.content;
      continue;
    }
    auto result = validatePactFile(file.name, file.content);
    if (result.pact)
      valid.push_back(std::move(*result.pact));
    else
      problems.push_back({file.name, result.error});
  }
  ReconcilePlan plan = planReconcile(valid, published_);
  problems.insert(problems.end(), plan.problems.begin(), plan.problems.end());
  for (const auto& p : problems) logProblemOnce(p);
  spdlog::debug("scan of {} ({}): {} valid, {} to publish, {} withdrawn, {} problems", config_.configMapPath,
                snapshot.directoryExists ? (snapshot.generation.empty() ? "plain directory" : snapshot.generation)
                                         : "missing",
                valid.size(), plan.toPublish.size(), plan.toWithdraw.size(), problems.size());

  bool changed = false;
  for (const auto& key : plan.toWithdraw) {
    spdlog::info("pact for consumer {} and provider {} is gone from the ConfigMap; no longer published", key.second,
                 key.first);
    published_.erase(key);
    publishErrors_.erase(key);
    changed = true;
  }
  // Forget errors of pairs that are no longer wanted.
  for (auto it = publishErrors_.begin(); it != publishErrors_.end();) {
    bool wanted = false;
    for (const auto& p : valid) wanted = wanted || PactKey{p.provider, p.consumer} == it->first;
    it = wanted ? std::next(it) : publishErrors_.erase(it);
  }

  bool allOk = true;
  bool healthy = status_.brokerHealthy();
  if (healthy) {
    if (!applyWebhooks(webhooks, verify)) allOk = false;
    std::vector<ValidPact> work = plan.toPublish;
    if (verify) {
      for (const auto& pact : plan.unchanged) {
        const auto& current = published_.at({pact.provider, pact.consumer});
        std::string error;
        bool transportError = false;
        if (brokerStillHas(current, error, transportError)) {
          // Verified: an earlier "cannot verify" (broker unreachable mid-outage) no longer holds.
          publishErrors_.erase({pact.provider, pact.consumer});
          continue;
        }
        if (transportError) {
          allOk = false;
          publishErrors_[{pact.provider, pact.consumer}] = error;
          continue;
        }
        spdlog::warn("broker no longer serves {} -> {} version {} ({}); re-publishing", pact.consumer, pact.provider,
                     current.version, error);
        work.push_back(pact);
      }
    }
    for (const auto& pact : work) {
      PactKey key{pact.provider, pact.consumer};
      std::string error;
      if (publish(pact, error)) {
        publishErrors_.erase(key);
        changed = true;
      } else {
        publishErrors_[key] = error;
        allOk = false;
      }
    }
  } else {
    allOk = plan.toPublish.empty() && !verify;
  }
  if (changed) ++generation_;

  // Every valid pact (first of its pair) published with its current content?
  bool allPublished = true;
  for (const auto& pact : plan.toPublish) {
    auto it = published_.find({pact.provider, pact.consumer});
    allPublished = allPublished && it != published_.end() && it->second.sha256 == pact.sha256;
  }
  allPublished = allPublished && publishErrors_.empty();

  std::vector<PublishedPact> list;
  for (const auto& [key, p] : published_) list.push_back(p);
  std::vector<StatusProblem> errors;
  for (const auto& p : problems) errors.push_back({p.file, p.reason});
  for (const auto& [key, error] : publishErrors_) {
    std::string file;
    for (const auto& p : valid)
      if (PactKey{p.provider, p.consumer} == key) file = p.file;
    errors.push_back({file, "publishing " + key.second + " -> " + key.first + " failed: " + error});
  }
  status_.setPublication(allPublished, generation_, std::move(list), std::move(errors));
  updateFlagFile(allPublished && healthy);
  if (changed)
    spdlog::info("publication generation {}: {} pact(s) published{}", generation_, published_.size(),
                 allPublished ? "" : " (some pending)");
  return allOk;
}

bool Publisher::applyWebhooks(const std::optional<std::string>& declarations, bool reapply) {
  const WebhookDeclarations declared =
      declarations ? parseWebhookDeclarations(*declarations, webhookPrefix_) : WebhookDeclarations{};
  std::string fingerprint = declarations ? "declared;" : "none;";
  for (const auto& w : declared.webhooks) fingerprint += w.uuid + "=" + w.sha256 + ";";
  for (const auto& p : declared.problems) fingerprint += p.id + "!" + p.reason + ";";
  if (!reapply && webhooksFingerprint_ == fingerprint) return true;  // the broker has it all already

  std::vector<WebhookState> states;
  for (const auto& p : declared.problems) {
    logProblemOnce({kWebhooksFile, "webhook " + p.id + ": " + p.reason});
    states.push_back({p.id, "", "", "invalid", p.reason});
  }
  std::string error;
  auto listed = broker_.webhookUuids(&error);
  if (!listed) {
    if (declared.webhooks.empty()) {
      // Nothing declared: a broker without the webhook API (or a proxy in front) is no problem.
      spdlog::debug("cannot list the broker's webhooks ({}); none declared", error);
      webhooksFingerprint_ = fingerprint;
      status_.setWebhooks(std::move(states));
      return true;
    }
    for (const auto& w : declared.webhooks)
      states.push_back({w.id, w.uuid, w.description, "failed", "listing the broker's webhooks failed: " + error});
    status_.setWebhooks(std::move(states));
    spdlog::warn("cannot list the broker's webhooks: {}", error);
    return false;
  }
  const std::set<std::string> existing(listed->begin(), listed->end());
  const WebhookPlan plan = planWebhooks(declared.webhooks, appliedWebhooks_, existing, webhookPrefix_, reapply);

  bool ok = true;
  std::map<std::string, std::string> failures;  // UUID → why
  for (const auto& w : plan.toPut) {
    // A consumer/provider filter must name a pacticipant the broker knows; it may not exist
    // before the first publication, so create it.
    for (const std::string* name : {&w.consumer, &w.provider})
      if (!name->empty()) broker_.ensurePacticipant(*name);
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
  for (const auto& uuid : plan.toDelete) {
    auto result = broker_.deleteWebhook(uuid);
    if (result.ok() || result.status() == 404) {
      appliedWebhooks_.erase(uuid);
      spdlog::info("webhook {} is no longer declared; removed from the broker", uuid);
    } else {
      ok = false;
      spdlog::warn("removing webhook {} failed: {}", uuid, describeBrokerAnswer(result));
    }
  }
  for (const auto& w : declared.webhooks) {
    auto failure = failures.find(w.uuid);
    if (failure != failures.end())
      states.push_back({w.id, w.uuid, w.description, "failed", failure->second});
    else
      states.push_back({w.id, w.uuid, w.description, "applied", ""});
  }
  status_.setWebhooks(std::move(states));
  if (ok) webhooksFingerprint_ = fingerprint;
  return ok;
}

bool Publisher::publish(const ValidPact& pact, std::string& error) {
  PactKey key{pact.provider, pact.consumer};
  std::string version = versions_.versionFor(key, pact.sha256);
  auto result = broker_.publishPact(pact.provider, pact.consumer, version, pact.content);
  if (result.status() == 409 && version == versions_.baseVersion()) {
    // The broker holds other content under the base version (published before this process
    // started); publish this content under its own version instead.
    spdlog::info("broker has other content for {} -> {} under {}; using a content-hash version", pact.consumer,
                 pact.provider, version);
    versions_.markConflict(key);
    version = versions_.versionFor(key, pact.sha256);
    result = broker_.publishPact(pact.provider, pact.consumer, version, pact.content);
  }
  // Returning to content already published under a suffixed version does not make that version
  // the latest again; a fresh version does.
  for (int attempt = 2; result.ok(); ++attempt) {
    auto latest = broker_.latestPact(pact.provider, pact.consumer);
    if (!latest.ok() || servedVersion(*latest.response) == version || attempt > 5) break;
    version = VersionPolicy::suffixed(versions_.baseVersion(), pact.sha256) + "." + std::to_string(attempt);
    result = broker_.publishPact(pact.provider, pact.consumer, version, pact.content);
  }
  if (result.status() == 409) {
    error = "the broker refuses to change the content of version " + version + ": " + describeBrokerAnswer(result);
    spdlog::error("publishing {} ({} -> {}) failed with 409 Conflict under version {}: {}", pact.file, pact.consumer,
                  pact.provider, version, describeBrokerAnswer(result));
    return false;
  }
  if (!result.ok()) {
    error = describeBrokerAnswer(result);
    spdlog::warn("publishing {} ({} -> {}, version {}) failed: {}", pact.file, pact.consumer, pact.provider, version,
                 error);
    return false;
  }
  auto branch = broker_.recordBranch(pact.consumer, config_.gitBranch, version);
  if (!branch.ok()) {
    error = "recording branch " + config_.gitBranch + " for version " + version + " failed: " + describeBrokerAnswer(branch);
    spdlog::warn("{}", error);
    return false;
  }
  versions_.recordPublished(key, pact.sha256, version);
  auto& entry = published_[key];
  entry = PublishedPact{pact.provider, pact.consumer, version, pact.sha256, nowRfc3339(), pact.file, generation_ + 1};
  spdlog::info("published {} ({} -> {}) as version {} (HTTP {})", pact.file, pact.consumer, pact.provider, version,
               result.status());
  return true;
}

bool Publisher::brokerStillHas(const PublishedPact& pact, std::string& error, bool& transportError) {
  auto latest = broker_.latestPact(pact.provider, pact.consumer);
  if (!latest.response || latest.status() >= 500) {
    transportError = true;
    error = "cannot verify: " + describeBrokerAnswer(latest);
    return false;
  }
  if (latest.status() == 404) {
    error = "404 not found";
    return false;
  }
  if (!latest.ok()) {
    error = describeBrokerAnswer(latest);
    return false;
  }
  std::string served = servedVersion(*latest.response);
  if (!served.empty() && served != pact.version) {
    error = "latest is version " + served;
    return false;
  }
  return true;
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
  std::string tmp = config_.publishedFlagPath + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << nlohmann::json{{"generation", generation_}, {"written_at", nowRfc3339()}, {"pacts", providers}}.dump()
        << "\n";
    if (!out) {
      spdlog::error("cannot write the published flag {}", tmp);
      return;
    }
  }
  if (std::rename(tmp.c_str(), config_.publishedFlagPath.c_str()) != 0) {
    spdlog::error("cannot rename {} to {}", tmp, config_.publishedFlagPath);
    fs::remove(tmp, ec);
    return;
  }
  flagWritten_ = true;
  flagGeneration_ = generation_;
}

}  // namespace pactmocks::manager
