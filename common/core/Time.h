#pragma once
#include <chrono>
#include <string>

namespace pactmocks {
// RFC 3339 UTC timestamp with milliseconds, e.g. 2026-11-25T21:47:48.123Z.
std::string rfc3339(std::chrono::system_clock::time_point t);
inline std::string nowRfc3339() { return rfc3339(std::chrono::system_clock::now()); }
}  // namespace pactmocks
