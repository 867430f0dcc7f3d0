#pragma once
// Runs an HTTP server's event loop until SIGTERM/SIGINT, then drains: stop accepting, give
// in-flight requests up to `drain` to finish, stop the loop.
#include <chrono>
#include <functional>

#include "http/EventLoop.h"
#include "http/HttpServer.h"

namespace pactmocks::mockserver {

// `alsoStop` (optional) is called with the drain time when the signal arrives: other listeners
// (the HTTPS one) stop accepting at the same moment.
void runUntilTerminated(http::EventLoop& loop, http::HttpServer& server,
                        std::chrono::milliseconds drain = std::chrono::milliseconds(3000),
                        std::function<void(std::chrono::milliseconds)> alsoStop = {});

}  // namespace pactmocks::mockserver
