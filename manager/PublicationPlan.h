#pragma once
// Pure publication logic: what to publish or withdraw after a scan, and under which consumer
// version. No I/O; the Publisher executes the plan against the broker.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ManagerStatus.h"
#include "PactValidation.h"

namespace pactmocks::manager {

// (provider, consumer): one pact per pair.
using PactKey = std::pair<std::string, std::string>;

struct ReconcilePlan {
  std::vector<ValidPact> toPublish;   // new or changed content
  std::vector<ValidPact> unchanged;   // same content as published
  std::vector<PactKey> toWithdraw;    // published before, no file any more
  std::vector<FileProblem> problems;  // e.g. two files for the same pair
};

// `desired` in file-name order; when two files describe the same pair the first one wins.
ReconcilePlan planReconcile(const std::vector<ValidPact>& desired, const std::map<PactKey, PublishedPact>& published);

// Consumer versions. The first content of a pair under this commit is published as
// `{branch}-{commit}`; any other content (an edit without a new commit) as
// `{branch}-{commit}+{sha256[:12]}`, because the broker refuses (409) to change the content
// of an existing version. Once a pair has diverged it keeps the suffixed form, so returning
// to the first content still yields a new (and therefore latest) version.
class VersionPolicy {
 public:
  explicit VersionPolicy(std::string baseVersion) : base_(std::move(baseVersion)) {}
  std::string versionFor(const PactKey& key, const std::string& sha256) const;
  // The broker already holds other content under the base version (e.g. after a restart of the manager).
  void markConflict(const PactKey& key) { pairs_[key].diverged = true; }
  void recordPublished(const PactKey& key, const std::string& sha256, const std::string& version);
  const std::string& baseVersion() const { return base_; }
  static std::string suffixed(const std::string& base, const std::string& sha256) {
    return base + "+" + sha256.substr(0, 12);
  }

 private:
  struct PairState {
    std::string firstSha;
    bool diverged = false;
  };
  std::string base_;
  std::map<PactKey, PairState> pairs_;
};

}  // namespace pactmocks::manager
