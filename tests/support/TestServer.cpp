#include "TestServer.h"

#include <chrono>
#include <utility>

namespace pactmocks::testsupport {

namespace {
http::ServerOptions onLoopback(http::ServerOptions options) {
  options.address = "127.0.0.1";
  return options;
}
}  // namespace

TestServer::TestServer(http::Handler handler, http::ServerOptions options, unsigned threads)
    : loop_(threads), server_(loop_, onLoopback(std::move(options)), std::move(handler)), thread_(loop_) {
  server_.start();
}

TestServer::~TestServer() { server_.stop(std::chrono::milliseconds(0)); }

}  // namespace pactmocks::testsupport
