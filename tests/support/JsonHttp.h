#pragma once
// GET a JSON document from a loopback server: what most assertions on /health, /ready and the
// admin endpoints start from.
#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace pactmocks::testsupport {

struct JsonReply {
  int status = 0;       // 0: no response
  nlohmann::json body;  // null when the body is not JSON
};
JsonReply getJsonReply(std::uint16_t port, const std::string& path,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5));
// Only the document (null when there is none).
inline nlohmann::json getJson(std::uint16_t port, const std::string& path,
                              std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  return getJsonReply(port, path, timeout).body;
}

}  // namespace pactmocks::testsupport
