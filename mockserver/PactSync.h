#pragma once
// Keeps the PactStore filled: the startup sequence and the reloads, on one worker thread so
// the HTTP server answers (/health: "starting") from the first moment and no serving thread
// ever waits for a broker, a manager or a directory.
//
// Broker mode: wait for the broker heartbeat → wait until the manager reports this provider
// published (/providers/{p}/ready) → load the latest pact of every consumer → serve. Waits poll
// every STARTUP_POLL_INTERVAL_SECONDS; after STARTUP_TIMEOUT_SECONDS the built-in default
// contract is served while polling goes on. Once serving, the manager is long-polled and a newer
// publication (generation / published_at) is loaded.
//
// Directory mode: the directory is loaded before the server starts, then watched (inotify on
// the event loop, which only wakes the worker, plus a fingerprint rescan every
// RELOAD_INTERVAL_SECONDS as a safety net).
//
// Every source (directory, broker, built-in default) goes through install(): a new index built
// off the serving path and swapped in whole; a failed load keeps the last good contracts.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "core/Result.h"
#include "http/Cancellation.h"
#include "http/EventLoop.h"
#include "http/HttpClient.h"
#include "mockserver/PactStore.h"
#include "mockserver/MockConfig.h"
#include "mockserver/MockMetrics.h"
#include "mockserver/ProviderPacts.h"
#include "pactdir/DirectoryWatcher.h"
#include "pactdir/PactDirectory.h"

namespace pactmocks::mockserver {

class PactSync {
 public:
  PactSync(MockConfig config, std::string_view defaultPact, PactStore& store, MockMetrics& metrics);
  ~PactSync();
  PactSync(const PactSync&) = delete;
  PactSync& operator=(const PactSync&) = delete;

  // Directory mode: loads synchronously first and watches the directory on `loop` (which must
  // outlive this object or its stop()). Then starts the worker.
  void start(http::EventLoop& loop);
  void stop();

  // Asks the worker to load from the configured source now (POST /__admin/reload) and returns
  // at once. `done` is called once, on the worker thread, with the outcome; requests that wait
  // together share one load. When the worker is not running it is called at once with an error.
  using ReloadDone = std::function<void(ReloadOutcome)>;
  void reloadAsync(ReloadDone done);

  // The built-in contract as a LoadedPacts (throws if it does not parse: a build defect).
  static std::shared_ptr<const LoadedPacts> defaultPacts(std::string_view json, const std::string& provider);

 private:
  // What the manager says about this provider's publication.
  struct Publication {
    std::string revision;                   // "generation G, published T"
    std::optional<std::uint64_t> generation;
  };

  void runBroker(std::stop_token stop);
  void runDirectory(std::stop_token stop);
  // Waits up to `duration` or until a reload is requested; false when stopping.
  bool pause(std::stop_token& stop, std::chrono::milliseconds duration);
  // Runs the requested reloads (one load for all of them) and answers them.
  void answerReloads(const std::function<Result<void>()>& load);
  // Answers the requests left when the worker ends, and refuses new ones.
  void closeReloads();

  // The one install path: builds the index, swaps it in, records what is served.
  Result<void> install(LoadResult loaded, PactSource source, const std::string& revision);
  Result<void> loadFromDirectory();
  Result<void> loadFromBroker(broker::BrokerClient& broker, const std::string& revision);
  void serveDefault(const std::string& reason);
  // An empty phase keeps the current one (the attempt time and error are still recorded).
  void noteFailure(const std::string& phase, const std::string& error, bool countAsFailedReload);
  void setPhase(const std::string& phase);
  // The manager's publication of this provider. With `after`, a long-poll: the manager answers
  // when the generation exceeds it, or after `wait`.
  Result<Publication> managerPublication(http::HttpClient& manager, std::optional<std::uint64_t> after = std::nullopt,
                                         std::chrono::milliseconds wait = std::chrono::milliseconds(0));

  broker::BrokerSettings brokerSettings() const;
  PactFilter filter() const;

  MockConfig config_;
  std::string_view defaultPact_;
  PactStore& store_;
  MockMetrics& metrics_;
  std::optional<pactdir::PactDirectory> directory_;  // directory mode

  // Owned by the worker (and by start() before the worker exists): every load runs there.
  std::string servedRevision_;  // what the served contracts were loaded from
  bool servedReal_ = false;     // real contracts loaded at least once
  bool published_ = false;      // anything published yet
  ParsedPacts servedPacts_;     // the served pacts by digest, reused by the next load

  // stop() cancels every broker and manager call of the worker.
  std::shared_ptr<http::Cancellation> cancellation_ = std::make_shared<http::Cancellation>();
  std::mutex wakeMutex_;
  std::condition_variable_any wake_;
  std::vector<ReloadDone> pendingReloads_;  // guarded by wakeMutex_
  bool acceptingReloads_ = false;           // guarded by wakeMutex_: the worker runs
  bool directoryChanged_ = false;           // guarded by wakeMutex_: set by the watcher
  std::unique_ptr<pactdir::DirectoryWatcher> watcher_;
  std::jthread worker_;
};

}  // namespace pactmocks::mockserver
