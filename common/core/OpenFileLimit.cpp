#include "core/OpenFileLimit.h"

#include <sys/resource.h>

#include <algorithm>

#include <spdlog/spdlog.h>

namespace pactmocks {

OpenFileLimit raiseOpenFileLimit(std::uint64_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  const rlim_t target = std::min<rlim_t>(wanted, limit.rlim_max);  // an unlimited hard limit is RLIM_INFINITY, the largest
  if (limit.rlim_cur < target) {
    rlimit raised = limit;
    raised.rlim_cur = target;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      spdlog::debug("open-file limit raised from {} to {}", limit.rlim_cur, raised.rlim_cur);
      limit = raised;
    }
  }
  return {static_cast<std::uint64_t>(limit.rlim_cur), static_cast<std::uint64_t>(limit.rlim_max)};
}

}  // namespace pactmocks
