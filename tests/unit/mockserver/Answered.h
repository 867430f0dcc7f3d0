#pragma once
// What the HTTP server sends for a handler's response, without a server: a parked response as
// it was completed, or, not completed yet, its timeout answer (as when its timeout passed).
#include <optional>

#include "http/Message.h"

namespace pactmocks::mockserver::testing {

inline http::Response answered(http::Response response) {
  if (!response.deferred) return response;
  std::optional<http::Response> out;
  response.deferred->attach([&out](http::Response completed) { out = std::move(completed); });
  if (!out && response.deferred->claim()) out = response.deferred->timeoutResponse();
  return out ? std::move(*out) : http::Response::text(500, "parked response lost");
}

}  // namespace pactmocks::mockserver::testing
