#pragma once
// Runs an HTTP server's event loop until SIGTERM/SIGINT, then drains: stop accepting, give
// in-flight requests up to `drain` to finish, stop the loop.
#include <chrono>

#include "http/EventLoop.h"
#include "http/HttpServer.h"

namespace pactmocks::mockserver {

void runUntilTerminated(http::EventLoop& loop, http::HttpServer& server,
                        std::chrono::milliseconds drain = std::chrono::milliseconds(3000));

}  // namespace pactmocks::mockserver
