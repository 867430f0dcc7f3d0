#include "mockserver/PactSync.h"

#include <stdexcept>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/Time.h"
#include "mockserver/AllocatorPolicy.h"
#include "pact/PactParser.h"

namespace pactmocks::mockserver {

namespace {

// How long one long-poll of the manager may park. Short on purpose: the HTTP client's calls are
// not cancellable, so this bounds how long a SIGTERM, or an admin reload, waits for the worker;
// a publication is still seen at once, whatever the wait.
constexpr std::chrono::milliseconds kManagerLongPollWait{2000};
// A kubelet update is a burst of events: one load once it has been quiet this long.
constexpr std::chrono::milliseconds kDirectoryDebounce{100};

std::vector<PactSummary> summarize(const std::vector<std::shared_ptr<const pact::Pact>>& pacts) {
  std::vector<PactSummary> out;
  out.reserve(pacts.size());
  for (const auto& p : pacts) out.push_back({p->consumer, p->provider, p->source, p->interactions.size()});
  return out;
}

// Throws if the built-in contract does not parse (a build defect).
LoadResult defaultLoad(std::string_view json, const std::string& provider) {
  pact::Pact pact = pact::parsePact(json, "built-in default contract");
  // PROVIDER_NAME may rename the provider; the default contract serves it all the same.
  pact.provider = provider;
  LoadResult loaded;
  loaded.pacts.push_back(std::make_shared<const pact::Pact>(std::move(pact)));
  return loaded;
}

// `replaced`, the contracts being served: what of their index did not change is shared.
Result<std::shared_ptr<LoadedPacts>> buildContracts(LoadResult loaded, PactSource source, const std::string& revision,
                                                    const LoadedPacts* replaced = nullptr) {
  auto summaries = summarize(loaded.pacts);
  try {
    auto contracts = std::make_shared<LoadedPacts>(
        pact::InteractionIndex(std::move(loaded.pacts), {}, replaced ? &replaced->index : nullptr), source);
    contracts->pacts = std::move(summaries);
    contracts->problems = std::move(loaded.problems);
    contracts->revision = revision;
    return contracts;
  } catch (const std::exception& e) {
    return fail("building the interaction index failed: " + std::string(e.what()));
  }
}

}  // namespace

std::string_view toString(PactSource source) {
  switch (source) {
    case PactSource::Broker: return "broker";
    case PactSource::Directory: return "dir";
    case PactSource::Default: return "default";
  }
  return "unknown";
}

PactSync::PactSync(MockConfig config, std::string_view defaultPact, PactStore& store,
                           MockMetrics& metrics)
    : config_(std::move(config)), defaultPact_(defaultPact), store_(store), metrics_(metrics) {
  if (config_.localMode()) directory_.emplace(*config_.pactsDir);
}

PactSync::~PactSync() { stop(); }

std::shared_ptr<const LoadedPacts> PactSync::defaultPacts(std::string_view json,
                                                                       const std::string& provider) {
  auto built = buildContracts(defaultLoad(json, provider), PactSource::Default, "default");
  if (!built) throw std::runtime_error("built-in default contract: " + built.error());
  return *built;
}

broker::BrokerSettings PactSync::brokerSettings() const {
  broker::BrokerSettings s;
  s.url = config_.brokerUrl;
  s.credentials = config_.brokerCredentials;
  s.cancellation = cancellation_;
  return s;
}

PactFilter PactSync::filter() const { return {config_.provider, config_.consumerName}; }

void PactSync::start(http::EventLoop& loop) {
  {
    std::lock_guard lock(wakeMutex_);
    acceptingReloads_ = true;
  }
  if (!directory_) {
    worker_ = std::jthread([this](std::stop_token stop) {
      runBroker(stop);
      closeReloads();
    });
    return;
  }
  // Watching first: a change during the first load is then seen (the loop runs the callbacks
  // once it runs). The callback only wakes the worker.
  watcher_ = std::make_unique<pactdir::DirectoryWatcher>(
      loop, directory_->path(), pactdir::DirectoryWatcher::Timing{kDirectoryDebounce, config_.reloadInterval},
      [this](pactdir::DirectoryWatcher::Reason) {
        {
          std::lock_guard lock(wakeMutex_);
          directoryChanged_ = true;
        }
        wake_.notify_all();
      });
  watcher_->start();
  if (auto loaded = loadFromDirectory(); !loaded) serveDefault(loaded.error());
  worker_ = std::jthread([this](std::stop_token stop) {
    runDirectory(stop);
    closeReloads();
  });
}

void PactSync::stop() {
  watcher_.reset();  // waits for a running callback; no wake-ups from the loop after this
  if (!worker_.joinable()) return;
  worker_.request_stop();
  cancellation_->cancel();
  wake_.notify_all();
  worker_.join();
}

void PactSync::reloadAsync(ReloadDone done) {
  {
    std::lock_guard lock(wakeMutex_);
    if (acceptingReloads_) {
      pendingReloads_.push_back(std::move(done));
      wake_.notify_all();
      return;
    }
  }
  done(ReloadOutcome{fail("contract loading is not running (starting or stopping)"), store_.current()});
}

void PactSync::answerReloads(const std::function<Result<void>()>& load) {
  std::vector<ReloadDone> waiting;
  {
    std::lock_guard lock(wakeMutex_);
    waiting.swap(pendingReloads_);
  }
  if (waiting.empty()) return;
  spdlog::info("reload requested");
  ReloadOutcome outcome{load(), nullptr};
  if (!outcome.loaded) noteFailure("", outcome.loaded.error(), true);
  outcome.serving = store_.current();
  for (auto& done : waiting) done(outcome);
}

void PactSync::closeReloads() {
  std::vector<ReloadDone> waiting;
  {
    std::lock_guard lock(wakeMutex_);
    acceptingReloads_ = false;
    waiting.swap(pendingReloads_);
  }
  for (auto& done : waiting) done(ReloadOutcome{fail("the mock server is stopping"), store_.current()});
}

bool PactSync::pause(std::stop_token& stop, std::chrono::milliseconds duration) {
  std::unique_lock lock(wakeMutex_);
  wake_.wait_for(lock, stop, duration, [this] { return !pendingReloads_.empty(); });
  return !stop.stop_requested();
}

void PactSync::setPhase(const std::string& phase) {
  store_.updateStatus([&](SyncStatus& s) {
    if (!phase.empty()) s.phase = phase;
    s.lastAttemptAt = nowRfc3339();
  });
}

void PactSync::noteFailure(const std::string& phase, const std::string& error, bool countAsFailedReload) {
  if (countAsFailedReload) metrics_.recordReload(false);
  store_.updateStatus([&](SyncStatus& s) {
    if (!phase.empty()) s.phase = phase;
    s.lastError = error;
    s.lastAttemptAt = nowRfc3339();
    if (countAsFailedReload) ++s.failedReloads;
  });
}

Result<void> PactSync::install(LoadResult loaded, PactSource source, const std::string& revision) {
  for (const auto& p : loaded.problems) spdlog::warn("skipped: {}", p);
  ParsedPacts parsed = std::move(loaded.byDigest);
  auto built = buildContracts(std::move(loaded), source, revision, store_.current().get());
  if (!built) return fail(built.error());
  const bool reload = published_;
  const std::size_t interactions = (*built)->index.size(), pacts = (*built)->pacts.size();
  store_.publish(std::move(*built));
  servedPacts_ = std::move(parsed);  // after the swap: the replaced pacts go with the old index
  published_ = true;
  if (source != PactSource::Default) {
    servedRevision_ = revision;
    servedReal_ = true;
  }
  releaseFreedMemory();
  if (reload) metrics_.recordReload(true);
  store_.updateStatus([&](SyncStatus& s) {
    s.phase = source == PactSource::Default ? "serving default contract" : "serving";
    if (source != PactSource::Default) s.lastError.clear();
    s.lastAttemptAt = nowRfc3339();
    if (reload) ++s.reloads;
  });
  spdlog::info("serving {} interactions of {} pact(s) from {} ({})", interactions, pacts, toString(source), revision);
  return ok();
}

void PactSync::serveDefault(const std::string& reason) {
  if (servedReal_) return;  // never replace real contracts with the default
  auto current = store_.current();
  if (current && current->source == PactSource::Default) return;
  spdlog::warn("serving the built-in default contract: {}", reason);
  if (auto installed = install(defaultLoad(defaultPact_, config_.provider), PactSource::Default, "default");
      !installed) {
    spdlog::critical("cannot serve the built-in default contract: {}", installed.error());
    return;
  }
  store_.updateStatus([&](SyncStatus& s) { s.lastError = reason; });
}

Result<void> PactSync::loadFromDirectory() {
  // Taken before reading: a change while reading makes the next rescan load again.
  const std::string fingerprint = directory_->fingerprint();
  auto loaded = loadPactsFromDirectory(*directory_, filter(), servedPacts_);
  if (!loaded) return fail(loaded.error());
  return install(std::move(*loaded), PactSource::Directory, fingerprint);
}

Result<void> PactSync::loadFromBroker(broker::BrokerClient& broker, const std::string& revision) {
  auto loaded = loadPactsFromBroker(broker, filter(), servedPacts_);
  if (!loaded) return fail(loaded.error());
  return install(std::move(*loaded), PactSource::Broker, revision);
}

Result<PactSync::Publication> PactSync::managerPublication(http::HttpClient& manager,
                                                                   std::optional<std::uint64_t> after,
                                                                   std::chrono::milliseconds wait) {
  std::string path = "/providers/" + http::percentEncodeSegment(config_.provider) + "/ready";
  if (after) path += "?after=" + std::to_string(*after) + "&wait=" + std::to_string(wait.count() / 1000.0);
  auto result = manager.get(path);
  if (!result.response) return fail("manager " + config_.managerUrl + " unreachable: " + result.error);
  if (!result.ok())
    return fail("manager has not published provider \"" + config_.provider + "\" yet (HTTP " +
                std::to_string(result.status()) + ")");
  auto body = nlohmann::json::parse(result.response->body, nullptr, false);
  if (!body.is_object() || (body.contains("ready") && body["ready"] != true))
    return fail("manager reports provider \"" + config_.provider + "\" not ready");
  Publication publication;
  if (auto g = body.find("generation"); g != body.end()) {
    publication.revision += "generation " + g->dump();
    if (g->is_number_unsigned()) publication.generation = g->get<std::uint64_t>();
  }
  if (auto p = body.find("published_at"); p != body.end() && p->is_string()) {
    if (!publication.revision.empty()) publication.revision += ", ";
    publication.revision += "published " + p->get<std::string>();
  }
  if (publication.revision.empty()) publication.revision = "published";
  return publication;
}

void PactSync::runBroker(std::stop_token stop) {
  broker::BrokerClient broker(brokerSettings());
  http::HttpClient manager(config_.managerUrl, {}, std::chrono::milliseconds(5000), cancellation_);
  // The manager's current publication names what an admin reload loads, when it answers.
  auto adminReload = [&] {
    auto publication = managerPublication(manager);
    return loadFromBroker(broker, publication ? publication->revision : "admin reload " + nowRfc3339());
  };
  const auto deadline = std::chrono::steady_clock::now() + config_.startupTimeout;
  spdlog::info("broker mode: broker {}, manager {}, provider \"{}\"{}", config_.brokerUrl, config_.managerUrl,
               config_.provider, config_.consumerName ? ", consumer \"" + *config_.consumerName + "\"" : "");

  // Startup: until the real contracts are loaded once (here or by an admin reload).
  for (;;) {
    answerReloads(adminReload);
    if (servedReal_) break;
    std::string error;  // why the real contracts are not served yet
    // Once the default contract is served, the phase keeps saying so ("" keeps it); last_error says
    // what it waits for.
    auto startupPhase = [&](const char* phase) { return published_ ? std::string() : std::string(phase); };
    if (auto healthy = broker.heartbeat(); !healthy) {
      error = "broker " + config_.brokerUrl + " not healthy: " + healthy.error();
      noteFailure(startupPhase("waiting for broker"), error, false);
    } else if (auto publication = managerPublication(manager); !publication) {
      error = publication.error();
      noteFailure(startupPhase("waiting for manager"), error, false);
    } else {
      setPhase(startupPhase("loading contracts"));
      auto loaded = loadFromBroker(broker, publication->revision);
      if (loaded) break;
      error = loaded.error();
      noteFailure(startupPhase("loading contracts"), error, false);
    }
    if (std::chrono::steady_clock::now() >= deadline && !published_)
      serveDefault("startup timed out after " + std::to_string(config_.startupTimeout.count() / 1000) + " s: " + error);
    if (!pause(stop, config_.startupPollInterval)) return;
  }

  // Serving: follow the manager's publications by long-poll (answered as soon as the manager
  // publishes this provider again). A manager without long-poll answers at once: then wait
  // RELOAD_INTERVAL_SECONDS between polls, as before.
  std::optional<std::uint64_t> generation;
  while (!stop.stop_requested()) {
    answerReloads(adminReload);
    const auto asked = std::chrono::steady_clock::now();
    const bool askedAfter = generation.has_value();
    auto publication = managerPublication(manager, generation, kManagerLongPollWait);
    if (stop.stop_requested()) return;
    if (!publication) {
      spdlog::debug("reload check: {}", publication.error());
      if (!pause(stop, config_.reloadInterval)) return;
      continue;
    }
    if (publication->generation) generation = publication->generation;
    if (publication->revision == servedRevision_) {
      // The first answer tells the generation to wait after: long-poll from the next call on.
      if (!askedAfter && publication->generation) continue;
      // Answered without parking: a manager without long-poll (or without generations).
      const bool answeredAtOnce = std::chrono::steady_clock::now() - asked < kManagerLongPollWait / 2;
      if (answeredAtOnce && !pause(stop, config_.reloadInterval)) return;
      continue;
    }
    spdlog::info("manager reports a new publication ({}), reloading", publication->revision);
    if (auto loaded = loadFromBroker(broker, publication->revision); !loaded) {
      spdlog::error("reload failed, keeping the current contracts: {}", loaded.error());
      noteFailure("", loaded.error(), true);
    }
  }
}

void PactSync::runDirectory(std::stop_token stop) {
  spdlog::info("directory mode: {} (inotify on the event loop + a rescan every {} s)", directory_->path(),
               config_.reloadInterval.count() / 1000.0);
  for (;;) {
    bool changed = false;
    {
      std::unique_lock lock(wakeMutex_);
      wake_.wait(lock, stop, [this] { return directoryChanged_ || !pendingReloads_.empty(); });
      if (stop.stop_requested()) return;
      changed = std::exchange(directoryChanged_, false);
    }
    answerReloads([this] { return loadFromDirectory(); });
    if (!changed) continue;
    const std::string fingerprint = directory_->fingerprint();
    if (fingerprint == servedRevision_) continue;
    if (auto loaded = loadFromDirectory(); !loaded) {
      // Remember the broken state so it is reported once, not on every rescan.
      servedRevision_ = fingerprint;
      spdlog::error("reload of {} failed, keeping the current contracts: {}", directory_->path(), loaded.error());
      noteFailure("", loaded.error(), true);
    }
  }
}

}  // namespace pactmocks::mockserver
