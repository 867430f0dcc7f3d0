// Fuzzes the server's request parsing path end to end: the input bytes are written as-is to a
// real HttpServer (same code as the mocks: Beast parser, limits, keep-alive, pipelining,
// Expect: 100-continue, router) over loopback, then the write side is shut and every response
// is read until the server closes. A crash, a sanitizer report or a server that does not close
// within the bound (a hang) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cerrno>
#include <stdexcept>
#include <string>
#include <optional>
#include <thread>

#include "RawConnection.h"
#include "TestServer.h"
#include "http/Router.h"

namespace {

using namespace pactmocks::http;

ServerOptions options() {
  ServerOptions o;
  o.address = "127.0.0.1";
  o.maxHeaderBytes = 2048;  // small limits so the fuzzer reaches 431/413 often
  o.maxBodyBytes = 4096;
  o.readTimeout = std::chrono::milliseconds(2000);
  o.idleTimeout = std::chrono::milliseconds(2000);
  return o;
}
Router router() {
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

// One server for the whole run (starting one per input would dominate the time).
pactmocks::testsupport::TestServer& server() {
  static pactmocks::testsupport::TestServer instance(router().asHandler(), options());
  return instance;
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_http_request: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::uint16_t port = server().port();
  // Hundreds of thousands of runs can briefly exhaust ephemeral ports (EADDRNOTAVAIL): retry
  // before calling it a finding, and say why if it persists.
  std::optional<pactmocks::testsupport::RawConnection> connection;
  for (int attempts = 0; !connection; ++attempts) {
    try {
      // Well above the server's 2 s read timeout: not closing within it is a hang.
      connection.emplace(port, std::chrono::seconds(5));
    } catch (const std::runtime_error& e) {
      if (attempts >= 200) {
        std::fprintf(stderr, "%s\n", e.what());
        fail("connect() failed repeatedly: the server stopped accepting?");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // ports being freed: a retry pace
    }
  }
  // The server may close early (431/413): a failed send is fine.
  connection->send(std::string(reinterpret_cast<const char*>(data), size));
  connection->shutdownWrite();
  connection->readUntilClose();
  if (connection->lastErrno() == EAGAIN) fail("server did not close the connection in time (hang)");
  // RST instead of FIN: no TIME_WAIT, so hundreds of thousands of runs do not exhaust ports.
  connection->resetOnClose();
  return 0;
}
