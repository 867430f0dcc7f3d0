#pragma once
// Finds the interaction a request matches, in O(1) candidates for literal paths.
//
// Candidates come from a hash map keyed by (method, literal path); interactions whose path has
// matching rules sit in a separate list scanned only when needed. Among several matches:
// the one whose provider state equals the `X-Pact-Provider-State` header wins, then the most
// specific (fewest non-equality rules), then file order. Immutable after construction, so
// one index can be shared by all serving threads and swapped atomically on reload.
#include <memory>
#include <string>
#include <vector>

#include "http/Message.h"
#include "pact/Mismatch.h"
#include "pact/Pact.h"

namespace pactmocks::pact {

struct NearMiss {
  const Interaction* interaction = nullptr;
  const Pact* pact = nullptr;  // the pact holding `interaction`
  std::vector<Mismatch> mismatches;
};

struct MatchOutcome {
  const Interaction* matched = nullptr;  // null when nothing matched
  const Pact* pact = nullptr;            // the pact holding `matched`
  std::size_t position = 0;              // of `matched` in `pact->interactions`
  std::vector<NearMiss> closest;         // when nothing matched: up to `maxClosest`, nearest first
};

struct IndexOptions {
  // Request headers never compared even when a contract names them (SDK signing noise).
  std::vector<std::string> ignoredHeaders = {"authorization", "x-amz-date", "x-amz-security-token",
                                             "x-amz-content-sha256", "user-agent", "amz-sdk-invocation-id",
                                             "amz-sdk-request", "x-amz-user-agent"};
  std::string providerStateHeader = "X-Pact-Provider-State";
  std::size_t maxClosest = 3;
};

class InteractionIndex {
 public:
  // Pacts are shared, immutable: a reload can build a new index over the pacts of the old one that
  // did not change, so an unchanged pact is never held twice. Of `previous` (the index being
  // replaced), compiled path patterns that did not change are shared the same way.
  explicit InteractionIndex(std::vector<std::shared_ptr<const Pact>> pacts, IndexOptions options = {},
                            const InteractionIndex* previous = nullptr);
  explicit InteractionIndex(std::vector<Pact> pacts, IndexOptions options = {},
                            const InteractionIndex* previous = nullptr);
  MatchOutcome match(const http::Request& request) const;
  std::size_t size() const;
  // How many compiled path pattern sets were taken from `previous` (one per HTTP method at most).
  std::size_t sharedPatternSets() const;
  const std::vector<std::shared_ptr<const Pact>>& pacts() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace pactmocks::pact
