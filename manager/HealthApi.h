#pragma once
// The manager's HTTP API (all JSON): /liveness, /health, /readiness, /ready, /providers and
// /providers/{provider}/ready. Pure functions of a status snapshot, wired into a Router.
#include <nlohmann/json_fwd.hpp>

#include "ManagerStatus.h"
#include "http/Message.h"
#include "http/Router.h"

namespace pactmocks::manager {

nlohmann::json providersJson(const StatusSnapshot& s);
http::Response livenessResponse();
http::Response healthResponse(const StatusSnapshot& s);
http::Response readinessResponse(const StatusSnapshot& s);
http::Response readyResponse(const StatusSnapshot& s);
http::Response providersResponse(const StatusSnapshot& s);
http::Response providerReadyResponse(const StatusSnapshot& s, const std::string& provider);

// Long-poll of /providers/{p}/ready: with `?after=G` the answer waits (parked, no thread blocked)
// until the provider's generation exceeds G, or `wait` seconds (default 20, at most 55) pass,
// then answers the current state; without `after` it answers at once, as before.
inline constexpr double kLongPollDefaultWaitSeconds = 20;
inline constexpr double kLongPollMaxWaitSeconds = 55;  // under the server's 60 s delay cap
http::Response providerReadyLongPoll(ManagerStatus& status, const std::string& provider, const http::Request& request);

// `status` must outlive the router (long-poll waiters register with it).
http::Router makeHealthRouter(ManagerStatus& status);

}  // namespace pactmocks::manager
