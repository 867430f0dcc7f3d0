#pragma once
// Starting mock binaries and talking to them at the socket level, for the integration tests.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "TestProcess.h"

namespace pactmocks::mockserver::testing {

struct RunningMock {
  testsupport::TestProcess process;
  std::uint16_t port = 0;
};

// Starts `binary` (e.g. "azure-mock-server") on a free loopback port with `env` and `args`.
RunningMock startMock(const std::string& binary, std::map<std::string, std::string> env,
                      std::vector<std::string> args = {});

// GET a JSON document (null when the body is not JSON).
nlohmann::json getJson(std::uint16_t port, const std::string& path, int* status = nullptr);

// What a raw HTTP/1.1 exchange produced, byte for byte.
struct RawExchange {
  std::string bytes;     // everything received before EOF or error
  int readErrno = 0;     // errno of the failing recv (ECONNRESET for a reset), 0 on clean EOF
};
RawExchange rawExchange(std::uint16_t port, const std::string& request,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace pactmocks::mockserver::testing
