#include "VersionPolicy.h"

namespace pactmocks::manager {

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

void VersionPolicy::retain(const std::set<PactKey>& wanted) {
  std::erase_if(pairs_, [&](const auto& entry) { return !wanted.contains(entry.first); });
}

}  // namespace pactmocks::manager
