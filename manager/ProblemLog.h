#pragma once
// Logs each problem once while it lasts: it remembers only the problems still present, so a
// problem that goes away and comes back is logged again, and the memory follows the ConfigMap.
#include <set>
#include <string>
#include <vector>

#include "PactValidation.h"

namespace pactmocks::manager {

class ProblemLog {
 public:
  // The problems of `current` not logged yet (to log now); forgets the ones no longer current.
  std::vector<FileProblem> update(const std::vector<FileProblem>& current);
  std::size_t size() const { return logged_.size(); }

 private:
  std::set<std::string> logged_;
};

}  // namespace pactmocks::manager
