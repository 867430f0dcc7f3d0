#include "JsonHttp.h"

#include "TestProcess.h"

namespace pactmocks::testsupport {

JsonReply getJsonReply(std::uint16_t port, const std::string& path, std::chrono::milliseconds timeout) {
  auto reply = httpGet(port, path, timeout);
  JsonReply out;
  out.status = reply.status;
  out.body = nlohmann::json::parse(reply.body, nullptr, false);
  if (out.body.is_discarded()) out.body = nullptr;
  return out;
}

}  // namespace pactmocks::testsupport
