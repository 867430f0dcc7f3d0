#include "MockTestSupport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace pactmocks::mockserver::testing {

RunningMock startMock(const std::string& binary, std::map<std::string, std::string> env,
                      std::vector<std::string> args) {
  RunningMock mock;
  mock.port = testsupport::freePort();
  env.emplace("PORT", std::to_string(mock.port));
  env.emplace("BIND_ADDRESS", "127.0.0.1");
  env.emplace("THREADS", "2");
  testsupport::ProcessOptions options;
  options.executable = testsupport::builtExecutable(binary);
  options.args = std::move(args);
  options.env = std::move(env);
  // The test runner's own configuration must not leak into the mock.
  options.unsetEnv = {"PACTS_DIR", "BROKER_URL", "MANAGER_URL", "PROVIDER_NAME", "CONSUMER_NAME"};
  mock.process = testsupport::TestProcess::start(std::move(options));
  return mock;
}

nlohmann::json getJson(std::uint16_t port, const std::string& path, int* status) {
  auto reply = testsupport::httpGet(port, path);
  if (status) *status = reply.status;
  auto j = nlohmann::json::parse(reply.body, nullptr, false);
  return j.is_discarded() ? nlohmann::json() : j;
}

RawExchange rawExchange(std::uint16_t port, const std::string& request, std::chrono::milliseconds timeout) {
  RawExchange out;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    out.readErrno = errno;
    ::close(fd);
    return out;
  }
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      out.readErrno = ETIMEDOUT;
      break;
    }
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      out.bytes.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0) out.readErrno = errno;
    break;
  }
  ::close(fd);
  return out;
}

}  // namespace pactmocks::mockserver::testing
