#include "mockserver/ContractSync.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/Time.h"
#include "mockserver/DirectoryWatcher.h"
#include "pact/PactParser.h"

namespace pactmocks::mockserver {

namespace {
// How long one long-poll of the manager may park. Short on purpose: the HTTP client's calls are
// not cancellable, so this bounds how long a SIGTERM waits for the sync thread; a publication is
// still seen at once, whatever the wait.
constexpr std::chrono::milliseconds kManagerLongPollWait{2000};
}  // namespace
namespace {

std::vector<PactSummary> summarize(const std::vector<pact::Pact>& pacts) {
  std::vector<PactSummary> out;
  out.reserve(pacts.size());
  for (const auto& p : pacts) out.push_back({p.consumer, p.provider, p.source, p.interactions.size()});
  return out;
}

std::size_t interactionCount(const std::vector<pact::Pact>& pacts) {
  std::size_t n = 0;
  for (const auto& p : pacts) n += p.interactions.size();
  return n;
}

}  // namespace

std::string_view toString(ContractSource source) {
  switch (source) {
    case ContractSource::Broker: return "broker";
    case ContractSource::Directory: return "dir";
    case ContractSource::Default: return "default";
  }
  return "unknown";
}

ContractSync::ContractSync(MockConfig config, std::string_view defaultContract, ContractStore& store,
                           MockMetrics& metrics)
    : config_(std::move(config)), defaultContract_(defaultContract), store_(store), metrics_(metrics) {}

ContractSync::~ContractSync() { stop(); }

std::shared_ptr<const LoadedContracts> ContractSync::defaultContracts(std::string_view json,
                                                                       const std::string& provider) {
  pact::Pact pact = pact::parsePact(json, "built-in default contract");
  // PROVIDER_NAME may rename the provider; the default contract serves it all the same.
  pact.provider = provider;
  std::vector<pact::Pact> pacts;
  pacts.push_back(std::move(pact));
  auto summaries = summarize(pacts);
  auto loaded = std::make_shared<LoadedContracts>(pact::InteractionIndex(std::move(pacts)), ContractSource::Default);
  loaded->pacts = std::move(summaries);
  loaded->revision = "default";
  return loaded;
}

broker::BrokerSettings ContractSync::brokerSettings() const {
  broker::BrokerSettings s;
  s.url = config_.brokerUrl;
  s.credentials = config_.brokerCredentials;
  s.cancellation = cancellation_;
  return s;
}

ContractFilter ContractSync::filter() const { return {config_.provider, config_.consumerName}; }

void ContractSync::start() {
  if (config_.localMode()) {
    {
      std::lock_guard lock(loadMutex_);
      std::string error;
      if (!loadFromDirectoryLocked(&error)) serveDefaultLocked(error);
    }
    worker_ = std::jthread([this](std::stop_token stop) { runDirectory(stop); });
  } else {
    worker_ = std::jthread([this](std::stop_token stop) { runBroker(stop); });
  }
}

void ContractSync::stop() {
  if (!worker_.joinable()) return;
  worker_.request_stop();
  cancellation_->cancel();
  wake_.notify_all();
  worker_.join();
}

bool ContractSync::pause(std::stop_token& stop, std::chrono::milliseconds duration) {
  std::unique_lock lock(wakeMutex_);
  wake_.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

void ContractSync::setPhase(const std::string& phase) {
  store_.updateStatus([&](SyncStatus& s) {
    s.phase = phase;
    s.lastAttemptAt = nowRfc3339();
  });
}

void ContractSync::noteFailure(const std::string& phase, const std::string& error, bool countAsFailedReload) {
  if (countAsFailedReload) metrics_.recordReload(false);
  store_.updateStatus([&](SyncStatus& s) {
    if (!phase.empty()) s.phase = phase;
    s.lastError = error;
    s.lastAttemptAt = nowRfc3339();
    if (countAsFailedReload) ++s.failedReloads;
  });
}

void ContractSync::publishLocked(std::shared_ptr<const LoadedContracts> contracts) {
  const bool reload = published_;
  const auto source = contracts->source;
  const auto count = contracts->index.size();
  store_.publish(std::move(contracts));
  published_ = true;
  if (reload) metrics_.recordReload(true);
  store_.updateStatus([&](SyncStatus& s) {
    s.phase = source == ContractSource::Default ? "serving default contract" : "serving";
    if (source != ContractSource::Default) s.lastError.clear();
    s.lastAttemptAt = nowRfc3339();
    if (reload) ++s.reloads;
  });
  spdlog::info("serving {} interactions from {}", count, toString(source));
}

void ContractSync::serveDefaultLocked(const std::string& reason) {
  if (servedReal_) return;  // never replace real contracts with the default
  auto current = store_.current();
  if (current && current->source == ContractSource::Default) return;
  spdlog::warn("serving the built-in default contract: {}", reason);
  publishLocked(defaultContracts(defaultContract_, config_.provider));
  store_.updateStatus([&](SyncStatus& s) { s.lastError = reason; });
}

bool ContractSync::loadFromDirectoryLocked(std::string* error) {
  const std::string dir = *config_.pactsDir;
  const std::string fingerprint = directoryFingerprint(dir);
  LoadResult result = loadPactsFromDirectory(dir, filter());
  for (const auto& p : result.problems) spdlog::warn("skipped: {}", p);
  if (!result.error.empty()) {
    *error = result.error;
    return false;
  }
  auto summaries = summarize(result.pacts);
  const std::size_t total = interactionCount(result.pacts);
  try {
    auto loaded = std::make_shared<LoadedContracts>(pact::InteractionIndex(std::move(result.pacts)),
                                                    ContractSource::Directory);
    loaded->pacts = std::move(summaries);
    loaded->problems = std::move(result.problems);
    loaded->revision = fingerprint;
    publishLocked(std::move(loaded));
  } catch (const std::exception& e) {
    *error = "building the interaction index failed: " + std::string(e.what());
    return false;
  }
  servedRevision_ = fingerprint;
  servedReal_ = true;
  spdlog::info("loaded {} pact(s), {} interactions from {}", store_.current()->pacts.size(), total, dir);
  return true;
}

bool ContractSync::loadFromBrokerLocked(broker::BrokerClient& broker, const std::string& revision,
                                        std::string* error) {
  LoadResult result = loadPactsFromBroker(broker, filter());
  for (const auto& p : result.problems) spdlog::warn("skipped: {}", p);
  if (!result.error.empty()) {
    *error = result.error;
    return false;
  }
  auto summaries = summarize(result.pacts);
  try {
    auto loaded =
        std::make_shared<LoadedContracts>(pact::InteractionIndex(std::move(result.pacts)), ContractSource::Broker);
    loaded->pacts = std::move(summaries);
    loaded->problems = std::move(result.problems);
    loaded->revision = revision;
    publishLocked(std::move(loaded));
  } catch (const std::exception& e) {
    *error = "building the interaction index failed: " + std::string(e.what());
    return false;
  }
  servedRevision_ = revision;
  servedReal_ = true;
  return true;
}

std::optional<std::string> ContractSync::managerRevision(http::HttpClient& manager, std::string* error,
                                                         std::optional<std::uint64_t> after,
                                                         std::chrono::milliseconds wait,
                                                         std::optional<std::uint64_t>* generation) {
  std::string path = "/providers/" + http::percentEncodeSegment(config_.provider) + "/ready";
  if (after) path += "?after=" + std::to_string(*after) + "&wait=" + std::to_string(wait.count() / 1000.0);
  auto result = manager.get(path);
  if (!result.response) {
    *error = "manager " + config_.managerUrl + " unreachable: " + result.error;
    return std::nullopt;
  }
  if (!result.ok()) {
    *error = "manager has not published provider \"" + config_.provider + "\" yet (HTTP " +
             std::to_string(result.status()) + ")";
    return std::nullopt;
  }
  auto body = nlohmann::json::parse(result.response->body, nullptr, false);
  if (!body.is_object() || (body.contains("ready") && body["ready"] != true)) {
    *error = "manager reports provider \"" + config_.provider + "\" not ready";
    return std::nullopt;
  }
  std::string revision;
  if (auto g = body.find("generation"); g != body.end()) {
    revision += "generation " + g->dump();
    if (generation && g->is_number_unsigned()) *generation = g->get<std::uint64_t>();
  }
  if (auto p = body.find("published_at"); p != body.end() && p->is_string()) {
    if (!revision.empty()) revision += ", ";
    revision += "published " + p->get<std::string>();
  }
  return revision.empty() ? std::string("published") : revision;
}

void ContractSync::runBroker(std::stop_token stop) {
  broker::BrokerClient broker(brokerSettings());
  http::HttpClient manager(config_.managerUrl, {}, std::chrono::milliseconds(5000), cancellation_);
  const auto deadline = std::chrono::steady_clock::now() + config_.startupTimeout;
  spdlog::info("broker mode: broker {}, manager {}, provider \"{}\"{}", config_.brokerUrl, config_.managerUrl,
               config_.provider, config_.consumerName ? ", consumer \"" + *config_.consumerName + "\"" : "");

  // Startup: until the real contracts are loaded once.
  for (;;) {
    std::string error;
    if (!broker.heartbeat(&error)) {
      noteFailure("waiting for broker", "broker " + config_.brokerUrl + " not healthy: " + error, false);
    } else if (auto revision = managerRevision(manager, &error); !revision) {
      noteFailure("waiting for manager", error, false);
    } else {
      setPhase("loading contracts");
      std::lock_guard lock(loadMutex_);
      if (servedReal_) break;  // an admin reload got there first
      if (loadFromBrokerLocked(broker, *revision, &error)) break;
      noteFailure("loading contracts", error, false);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      std::lock_guard lock(loadMutex_);
      if (!published_)
        serveDefaultLocked("startup timed out after " + std::to_string(config_.startupTimeout.count() / 1000) +
                           " s: " + error);
    }
    if (!pause(stop, config_.startupPollInterval)) return;
  }

  // Serving: follow the manager's publications by long-poll (answered as soon as the manager
  // publishes this provider again). A manager without long-poll answers at once: then wait
  // RELOAD_INTERVAL_SECONDS between polls, as before.
  std::optional<std::uint64_t> generation;
  while (!stop.stop_requested()) {
    std::string error;
    const auto asked = std::chrono::steady_clock::now();
    std::optional<std::uint64_t> seen;
    const bool askedAfter = generation.has_value();
    auto revision = managerRevision(manager, &error, generation, kManagerLongPollWait, &seen);
    if (stop.stop_requested()) return;
    if (!revision) {
      spdlog::debug("reload check: {}", error);
      if (!pause(stop, config_.reloadInterval)) return;
      continue;
    }
    if (seen) generation = seen;
    bool unchanged = false;
    {
      std::lock_guard lock(loadMutex_);
      unchanged = *revision == servedRevision_;
    }
    if (unchanged) {
      // The first answer tells the generation to wait after: long-poll from the next call on.
      if (!askedAfter && seen) continue;
      // Answered without parking: a manager without long-poll (or without generations).
      const bool answeredAtOnce = std::chrono::steady_clock::now() - asked < kManagerLongPollWait / 2;
      if (answeredAtOnce && !pause(stop, config_.reloadInterval)) return;
      continue;
    }
    std::lock_guard lock(loadMutex_);
    if (*revision == servedRevision_) continue;  // an admin reload got there first
    spdlog::info("manager reports a new publication ({}), reloading", *revision);
    if (!loadFromBrokerLocked(broker, *revision, &error)) {
      spdlog::error("reload failed, keeping the current contracts: {}", error);
      noteFailure("", error, true);
    }
  }
}

void ContractSync::runDirectory(std::stop_token stop) {
  DirectoryWatcher watcher(*config_.pactsDir);
  spdlog::info("directory mode: {} ({})", *config_.pactsDir,
               watcher.watching() ? "inotify + periodic rescan" : "periodic rescan until the directory exists");
  auto nextRescan = std::chrono::steady_clock::now() + config_.reloadInterval;
  while (!stop.stop_requested()) {
    const bool changed = watcher.wait(std::chrono::milliseconds(200));
    if (stop.stop_requested()) return;
    const auto now = std::chrono::steady_clock::now();
    if (!changed && now < nextRescan) continue;
    nextRescan = now + config_.reloadInterval;
    std::lock_guard lock(loadMutex_);
    const std::string fingerprint = directoryFingerprint(*config_.pactsDir);
    if (fingerprint == servedRevision_) continue;
    std::string error;
    if (!loadFromDirectoryLocked(&error)) {
      // Remember the broken state so it is reported once, not on every rescan.
      servedRevision_ = fingerprint;
      spdlog::error("reload of {} failed, keeping the current contracts: {}", *config_.pactsDir, error);
      noteFailure("", error, true);
    }
  }
}

ReloadOutcome ContractSync::reloadNow() {
  ReloadOutcome outcome;
  std::string error;
  std::lock_guard lock(loadMutex_);
  if (config_.localMode()) {
    outcome.ok = loadFromDirectoryLocked(&error);
  } else {
    broker::BrokerClient broker(brokerSettings());
    http::HttpClient manager(config_.managerUrl, {}, std::chrono::milliseconds(2000), cancellation_);
    std::string managerError;
    std::string revision = managerRevision(manager, &managerError).value_or("admin reload " + nowRfc3339());
    outcome.ok = loadFromBrokerLocked(broker, revision, &error);
  }
  if (!outcome.ok) {
    outcome.message = error;
    noteFailure("", error, true);
  }
  outcome.serving = store_.current();
  return outcome;
}

}  // namespace pactmocks::mockserver
