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

// `status` must outlive the router.
http::Router makeHealthRouter(const ManagerStatus& status);

}  // namespace pactmocks::manager
