#pragma once
// The process's limit on open files. Containers commonly start processes with a soft limit of
// 1,024 and a much higher hard limit; a mock holds a descriptor per connection and, while it loads
// a generation, per pact file, so the servers raise the soft limit at startup.
#include <cstdint>
#include <limits>

namespace pactmocks {

struct OpenFileLimit {
  std::uint64_t soft = 0;  // in force
  std::uint64_t hard = 0;
};

// Raises the soft limit to `wanted`, at most to the hard limit, and never lowers it. Returns the
// limits in force afterwards (both 0 when they cannot be read).
OpenFileLimit raiseOpenFileLimit(std::uint64_t wanted = std::numeric_limits<std::uint64_t>::max());

}  // namespace pactmocks
