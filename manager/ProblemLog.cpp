#include "ProblemLog.h"

namespace pactmocks::manager {

std::vector<FileProblem> ProblemLog::update(const std::vector<FileProblem>& current) {
  std::set<std::string> present;
  std::vector<FileProblem> fresh;
  for (const auto& problem : current) {
    std::string id = problem.file + "\n" + problem.reason;
    if (!logged_.contains(id) && !present.contains(id)) fresh.push_back(problem);
    present.insert(std::move(id));
  }
  logged_ = std::move(present);
  return fresh;
}

}  // namespace pactmocks::manager
