// Fuzzes the server's request parsing path end to end: the input bytes are written as-is to a
// real HttpServer (same code as the mocks: Beast parser, limits, keep-alive, pipelining,
// Expect: 100-continue, router) over loopback, then the write side is shut and every response
// is read until the server closes. A crash, a sanitizer report or a server that does not close
// within the bound (a hang) is a finding.
#include <netinet/in.h>
#include <cerrno>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "http/EventLoop.h"
#include "http/HttpServer.h"
#include "http/Router.h"

namespace {

using namespace pactmocks::http;

// One server for the whole run (starting one per input would dominate the time).
class FuzzServer {
 public:
  FuzzServer() : loop_(1), server_(loop_, options(), router().asHandler()) {
    server_.start();
    thread_ = std::thread([this] { loop_.run(); });
  }
  ~FuzzServer() {
    server_.stop(std::chrono::milliseconds(0));
    loop_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return server_.port(); }

 private:
  static ServerOptions options() {
    ServerOptions o;
    o.address = "127.0.0.1";
    o.maxHeaderBytes = 2048;  // small limits so the fuzzer reaches 431/413 often
    o.maxBodyBytes = 4096;
    o.readTimeout = std::chrono::milliseconds(2000);
    o.idleTimeout = std::chrono::milliseconds(2000);
    return o;
  }
  static Router router() {
    Router r;
    auto echo = [](Request& request) {
      std::string out = request.method + " " + percentDecode(request.path) + "?" + percentDecode(request.query, true);
      for (const auto& [name, value] : request.headers.fields()) out += "\n" + name + ": " + value;
      for (const auto& [name, value] : request.params) out += "\n{" + name + "}=" + value;
      out += "\n" + std::to_string(request.body.size());
      return Response::text(200, out);
    };
    r.get("/providers/{provider}/ready", echo);
    r.add("*", "/files/{path...}", echo);
    r.post("/", echo);
    r.get("/", echo);
    return r;
  }

  EventLoop loop_;
  HttpServer server_;
  std::thread thread_;
};

FuzzServer& server() {
  static FuzzServer instance;
  return instance;
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_http_request: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::uint16_t port = server().port();
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) fail("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Well above the server's 2 s read timeout: not closing within it is a hang.
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  // Hundreds of thousands of runs can briefly exhaust ephemeral ports (EADDRNOTAVAIL): retry
  // before calling it a finding, and say why if it persists.
  int attempts = 0;
  while (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (++attempts > 200) {
      std::fprintf(stderr, "connect: %s\n", std::strerror(errno));
      fail("connect() failed repeatedly: the server stopped accepting?");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::size_t sent = 0;
  while (sent < size) {
    const ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (431/413): fine
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) continue;
    if (n == 0) break;
    if (errno == EAGAIN || errno == EWOULDBLOCK) fail("server did not close the connection in time (hang)");
    break;  // reset: fine
  }
  // RST instead of FIN: no TIME_WAIT, so hundreds of thousands of runs do not exhaust ports.
  linger lingerOption{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lingerOption, sizeof lingerOption);
  ::close(fd);
  return 0;
}
