#pragma once
// Consumer versions. The first content of a pair under this commit is published as
// `{branch}-{commit}`; any other content (an edit without a new commit) as
// `{branch}-{commit}+{sha256[:12]}`, because the broker refuses (409) to change the content
// of an existing version. Once a pair has diverged it keeps the suffixed form, so returning
// to the first content still yields a new (and therefore latest) version.
#include <map>
#include <set>
#include <string>
#include <utility>

namespace pactmocks::manager {

// (provider, consumer): one pact per pair.
using PactKey = std::pair<std::string, std::string>;

class VersionPolicy {
 public:
  explicit VersionPolicy(std::string baseVersion) : base_(std::move(baseVersion)) {}
  std::string versionFor(const PactKey& key, const std::string& sha256) const;
  // The broker already holds other content under the base version (e.g. after a restart of the manager).
  void markConflict(const PactKey& key) { pairs_[key].diverged = true; }
  void recordPublished(const PactKey& key, const std::string& sha256, const std::string& version);
  // The broker's latest is still another version after publishing this content (it was
  // published earlier under the same suffixed version): a fresh one, `.N`. N counts on across
  // publications of the pair (from 2), so content the ConfigMap returns to again and again gets
  // a version the broker has not seen each time, not the `.N` of an earlier return.
  std::string retryVersion(const PactKey& key, const std::string& sha256) {
    return suffixed(base_, sha256) + "." + std::to_string(++pairs_[key].retries + 1);
  }
  // Forgets the pairs that are not in `wanted` (no longer in the ConfigMap), so the map follows
  // the ConfigMap instead of growing. A pair that comes back starts from the base version; the
  // broker's 409 (or a stale latest) leads to the suffixed form again.
  void retain(const std::set<PactKey>& wanted);
  std::size_t pairCount() const { return pairs_.size(); }
  const std::string& baseVersion() const { return base_; }
  static std::string suffixed(const std::string& base, const std::string& sha256) {
    return base + "+" + sha256.substr(0, 12);
  }

 private:
  struct PairState {
    std::string firstSha;
    bool diverged = false;
    int retries = 0;  // `.N` versions handed out
  };
  std::string base_;
  std::map<PactKey, PairState> pairs_;
};

}  // namespace pactmocks::manager
