#include "PublicationPlan.h"

#include <set>

namespace pactmocks::manager {

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

std::string VersionPolicy::versionFor(const PactKey& key, const std::string& sha256) const {
  auto it = pairs_.find(key);
  if (it == pairs_.end()) return base_;
  const auto& pair = it->second;
  if (pair.diverged || (!pair.firstSha.empty() && pair.firstSha != sha256)) return suffixed(base_, sha256);
  return base_;
}

void VersionPolicy::recordPublished(const PactKey& key, const std::string& sha256, const std::string& version) {
  auto& pair = pairs_[key];
  if (pair.firstSha.empty() && !pair.diverged && version == base_) {
    pair.firstSha = sha256;
    return;
  }
  if (pair.firstSha != sha256) pair.diverged = true;
}

}  // namespace pactmocks::manager
