#pragma once
// Keeps the ContractStore filled: the startup sequence and the reloads, on a worker thread so
// the HTTP server answers (/health: "starting") from the first moment.
//
// Broker mode: wait for the broker heartbeat → wait until the manager reports this provider
// published (/providers/{p}/ready) → load the latest pact of every consumer → serve. Waits poll
// every STARTUP_POLL_INTERVAL_SECONDS; after STARTUP_TIMEOUT_SECONDS the built-in default
// contract is served while polling goes on. Once serving, the manager is polled every
// RELOAD_INTERVAL_SECONDS and a newer publication (generation / published_at) is loaded.
//
// Directory mode: the directory is loaded before the server starts, then watched (inotify on
// the directory plus a fingerprint rescan every RELOAD_INTERVAL_SECONDS as a safety net).
//
// Every load builds a new index off the serving path and swaps it in whole; a failed load
// keeps the last good contracts.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "http/Cancellation.h"
#include "mockserver/ContractLoader.h"
#include "mockserver/ContractStore.h"
#include "mockserver/MockConfig.h"
#include "mockserver/MockMetrics.h"

namespace pactmocks::mockserver {

class ContractSync {
 public:
  ContractSync(MockConfig config, std::string_view defaultContract, ContractStore& store, MockMetrics& metrics);
  ~ContractSync();
  ContractSync(const ContractSync&) = delete;
  ContractSync& operator=(const ContractSync&) = delete;

  // Directory mode: loads synchronously first. Then starts the worker.
  void start();
  void stop();

  // Loads now from the configured source (POST /__admin/reload). Serialised with the worker.
  ReloadOutcome reloadNow();

  // The built-in contract as a LoadedContracts (throws if it does not parse: a build defect).
  static std::shared_ptr<const LoadedContracts> defaultContracts(std::string_view json, const std::string& provider);

 private:
  void runBroker(std::stop_token stop);
  void runDirectory(std::stop_token stop);
  bool pause(std::stop_token& stop, std::chrono::milliseconds duration);  // false when stopping

  // Loads from the broker / directory; on success publishes and returns true. Caller holds loadMutex_.
  bool loadFromBrokerLocked(broker::BrokerClient& broker, const std::string& revision, std::string* error);
  bool loadFromDirectoryLocked(std::string* error);
  void publishLocked(std::shared_ptr<const LoadedContracts> contracts);
  void serveDefaultLocked(const std::string& reason);
  void noteFailure(const std::string& phase, const std::string& error, bool countAsFailedReload);
  void setPhase(const std::string& phase);
  // The manager's current publication of this provider, or nullopt (not ready / unreachable).
  // The manager's publication of this provider ("generation G, published T"). With `after`, a
  // long-poll: the manager answers when the generation exceeds it, or after `wait`.
  std::optional<std::string> managerRevision(http::HttpClient& manager, std::string* error,
                                             std::optional<std::uint64_t> after = std::nullopt,
                                             std::chrono::milliseconds wait = std::chrono::milliseconds(0),
                                             std::optional<std::uint64_t>* generation = nullptr);

  broker::BrokerSettings brokerSettings() const;
  ContractFilter filter() const;

  MockConfig config_;
  std::string_view defaultContract_;
  ContractStore& store_;
  MockMetrics& metrics_;

  std::mutex loadMutex_;          // one load at a time (worker or admin reload)
  std::string servedRevision_;    // guarded by loadMutex_
  bool servedReal_ = false;       // guarded by loadMutex_: real contracts loaded at least once
  bool published_ = false;        // guarded by loadMutex_: anything published yet

  // stop() cancels every broker and manager call of the worker and of reloadNow().
  std::shared_ptr<http::Cancellation> cancellation_ = std::make_shared<http::Cancellation>();
  std::mutex wakeMutex_;
  std::condition_variable_any wake_;
  std::jthread worker_;
};

}  // namespace pactmocks::mockserver
