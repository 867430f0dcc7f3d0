#pragma once
// Contract coverage of one mock: which loaded interactions the controller exercised, and which
// requests matched none (grouped by their nearest interaction). Feeds `GET /__admin/coverage`,
// `GET /__admin/verify` and `POST /__admin/reset`.
//
// The tracker is thread-safe. Recording a hit is the hot path: `install` hands out the slots of
// one index (kept with it, in LoadedPacts), a hit finds its slot by address (a binary search over
// the pacts' addresses, then pointer arithmetic within the pact: no string lookup, no lock, no
// allocation) and bumps atomics. Rendering (JSON, JUnit, verification) is pure, over a snapshot.
//
// Reloads: `install` takes the new pacts and carries over the counters of every interaction
// that is *unchanged*: same consumer, provider, description, provider states (names and
// params) and the same fingerprint of its request and response (see `interactionFingerprint`).
// An edited interaction is a different promise, so it starts again at zero. Unchanged
// interactions share their counters between generations, so a request still served by the
// replaced index during a reload is counted too.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/SharedSnapshot.h"
#include "pact/Pact.h"

namespace pactmocks::mockserver {

using CoverageClock = std::chrono::system_clock;

// A hash of what the mock serves from an interaction (the request with its matching rules, the
// response with its generators): equal fingerprints mean the same contract for coverage purposes.
std::string interactionFingerprint(const pact::Interaction& interaction);

struct CoverageLimits {
  std::size_t maxUnmatchedGroups = 100;   // further groups are only counted (`unmatchedOverflow`)
  std::size_t maxMismatchLines = 10;      // lines kept for a group's example
  std::size_t maxLineBytes = 1024;        // longer mismatch lines, paths and names are cut
  std::size_t maxFaultNames = 16;         // distinct fault names per interaction; the rest as "other"
};

// A request no interaction matched, as the serving path reports it.
struct UnmatchedRequest {
  std::string method;
  std::string path;
  // The nearest interaction (MatchOutcome::closest[0]), may be null, and the pact holding it.
  const pact::Pact* nearestPact = nullptr;
  const pact::Interaction* nearest = nullptr;
  std::vector<std::string> mismatches;                   // Mismatch::describe() of the nearest
};

struct InteractionCoverage {
  std::string consumer, provider, description;
  std::vector<std::string> providerStates;  // names
  std::uint64_t hits = 0;
  std::optional<CoverageClock::time_point> firstHit, lastHit;
  std::map<std::string, std::uint64_t> faults;  // fault name → times injected on this interaction
};

struct UnmatchedGroup {
  // The nearest interaction; all empty when the request was near none.
  std::string nearestConsumer, nearestDescription;
  std::vector<std::string> nearestStates;
  std::uint64_t count = 0;
  std::string exampleMethod, examplePath;   // the first request of the group
  std::vector<std::string> mismatches;      // the first request's mismatch lines
  CoverageClock::time_point lastSeen{};
};

struct CoverageSnapshot {
  std::vector<InteractionCoverage> interactions;  // in installed order
  std::vector<UnmatchedGroup> unmatched;          // in order of first appearance
  std::uint64_t unmatchedRequests = 0;            // every unmatched request, grouped or not
  std::uint64_t unmatchedOverflow = 0;            // requests whose group did not fit the cap
  CoverageClock::time_point since{};              // the last reset (or the tracker's start)
  std::size_t exercised() const;
};

// The counters of one installed set of interactions (one index). Opaque; immutable once made.
struct CoverageSlots;

class CoverageTracker {
 public:
  explicit CoverageTracker(CoverageLimits limits = {}, CoverageClock::time_point start = CoverageClock::now());
  ~CoverageTracker();
  CoverageTracker(const CoverageTracker&) = delete;
  CoverageTracker& operator=(const CoverageTracker&) = delete;

  // Installs the interactions of `pacts` (the serving index's `InteractionIndex::pacts()`) as
  // the current set and returns their slots, to keep with that index: hits are located by the
  // address of the pact and interaction. Unchanged interactions keep their counts. Not for the
  // hot path (hashes every interaction).
  std::shared_ptr<const CoverageSlots> install(const std::vector<std::shared_ptr<const pact::Pact>>& pacts);

  // Counts a request served from `interaction`, at `position` in `pact` (a MatchOutcome's `matched`,
  // `position` and `pact`) of the index `slots` were installed for, with the fault injected on it if
  // any. Returns false when that is not one of `slots` (nothing is counted then). The position is
  // needed: pacts of two generations may share one interaction.
  bool recordHit(const CoverageSlots& slots, const pact::Pact* pact, std::size_t position,
                 const pact::Interaction* interaction, std::string_view fault = {},
                 CoverageClock::time_point now = CoverageClock::now());

  // Starts loading the slot of a hit that recordHit will count once the response is built, so that
  // its cache misses (on every hit of a large contract set) overlap with that work.
  void prefetchHit(const CoverageSlots& slots, const pact::Pact* pact, std::size_t position) const;

  void recordUnmatched(const UnmatchedRequest& request, CoverageClock::time_point now = CoverageClock::now());

  // Zeroes every count and forgets the unmatched requests.
  void reset(CoverageClock::time_point now = CoverageClock::now());

  CoverageSnapshot snapshot() const;

 private:
  struct Unmatched;
  CoverageLimits limits_;
  std::shared_ptr<const CoverageSlots> current() const;
  mutable std::mutex installMutex_;  // serialises install/reset against each other
  mutable std::mutex faultMutex_;    // guards every interaction's fault counts (rare: only faulted hits)
  SharedSnapshot<CoverageSlots> current_;
  std::unique_ptr<Unmatched> unmatched_;
};

// Pure renderings of a snapshot.

// The `GET /__admin/coverage` document (always valid JSON, whatever bytes the contracts hold).
nlohmann::json coverageJson(const CoverageSnapshot& snapshot);
std::string coverageJsonText(const CoverageSnapshot& snapshot);

struct VerifyFilters {
  std::optional<std::string> consumer;  // only this consumer's interactions
  std::optional<std::string> state;     // only interactions with this provider state
};

// What `GET /__admin/verify` reports. Filters also apply to the unmatched groups through their
// nearest interaction; a group near no interaction is only reported without filters.
struct VerifyResult {
  bool ok = true;
  std::vector<InteractionCoverage> unexercised;
  std::vector<UnmatchedGroup> unmatched;
  std::uint64_t unmatchedOverflow = 0;  // counted, not grouped: fails verification without filters
  std::size_t interactions = 0;         // considered after filtering
};
VerifyResult verify(const CoverageSnapshot& snapshot, const VerifyFilters& filters = {});
// 200 when ok, 409 (the contracts and the run disagree) otherwise.
int verifyStatus(const VerifyResult& result);
std::string verifyJsonText(const VerifyResult& result);

// JUnit XML: one case per interaction (failed when never exercised), one failed case per group
// of unmatched requests with its mismatch lines; one suite per provider.
std::string coverageJunitXml(const CoverageSnapshot& snapshot);

// Prometheus text for `GET /metrics`: `pactmocks_interaction_requests_total{consumer,interaction}`
// and `pactmocks_unmatched_requests_total`, counted since the last coverage reset (a reset looks
// like a counter restart to Prometheus). Cardinality is bounded: the first `maxSeries` label sets
// get their own series, the rest are summed under consumer="(other)",interaction="(other)".
std::string coverageMetricsText(const CoverageSnapshot& snapshot, std::size_t maxSeries = 100);

}  // namespace pactmocks::mockserver
