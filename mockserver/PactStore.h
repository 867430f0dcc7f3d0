#pragma once
// The contracts currently served. Readers take a snapshot (one SharedSnapshot load) and keep
// it for the whole request, so a reload swapping in a new generation never disturbs requests in
// flight; the old generation is freed when its last reader lets go.
//
// The store also owns the mock's contract coverage: every generation published gets the coverage
// slots of its interactions (LoadedPacts::coverage), so every index swap, whatever its source,
// installs the new set and carries the counts of unchanged interactions over.
#include <memory>
#include <mutex>
#include <string>

#include "core/Result.h"
#include "core/SharedSnapshot.h"
#include "mockserver/Coverage.h"
#include "mockserver/LoadedPacts.h"

namespace pactmocks::mockserver {

// How loading is going, for /health (not on the serving path).
struct SyncStatus {
  std::string phase = "starting";  // e.g. "waiting for broker", "serving", "serving default contract"
  std::string lastError;           // last failed load or reload, empty when the last one worked
  std::string lastAttemptAt;       // RFC 3339
  std::uint64_t reloads = 0;       // successful loads after the first
  std::uint64_t failedReloads = 0;
};

// Result of an explicit reload (POST /__admin/reload).
struct ReloadOutcome {
  Result<void> loaded;                             // the error when the load failed
  std::shared_ptr<const LoadedPacts> serving;  // what is served afterwards (may be the old one)
};

class PactStore {
 public:
  std::shared_ptr<const LoadedPacts> current() const { return current_.load(); }
  // Not for the serving path: installs the coverage of the new set (hashes every interaction).
  void publish(std::shared_ptr<LoadedPacts> contracts) {
    contracts->coverage = coverage_.install(contracts->index.pacts());
    current_.store(std::move(contracts));
  }

  CoverageTracker& coverage() { return coverage_; }
  const CoverageTracker& coverage() const { return coverage_; }

  SyncStatus status() const {
    std::lock_guard lock(statusMutex_);
    return status_;
  }
  template <class Fn>
  void updateStatus(Fn&& fn) {
    std::lock_guard lock(statusMutex_);
    fn(status_);
  }

 private:
  CoverageTracker coverage_;
  SharedSnapshot<LoadedPacts> current_;
  mutable std::mutex statusMutex_;
  SyncStatus status_;
};

}  // namespace pactmocks::mockserver
