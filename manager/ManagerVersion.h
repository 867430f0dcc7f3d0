#pragma once
namespace pactmocks::manager {
#ifdef PACTMOCKS_VERSION
inline constexpr const char* kManagerVersion = PACTMOCKS_VERSION;
#else
inline constexpr const char* kManagerVersion = "0.0.0-dev";
#endif
}  // namespace pactmocks::manager
