// A fixed-response server on the HttpServer, for load measurements with wrk:
//   taskset -c 0 http_echo_server 8080 [threads]   then   taskset -c 1 wrk -c64 -t1 http://127.0.0.1:8080/
#include <cstdlib>
#include <iostream>
#include <string>

#include "http/HttpServer.h"

int main(int argc, char** argv) {
  using namespace pactmocks::http;
  const int port = argc > 1 ? std::atoi(argv[1]) : 8080;
  const unsigned threads = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 0;
  EventLoop loop(threads);
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = static_cast<std::uint16_t>(port);
  const std::string body = "Hello, World!";
  HttpServer server(loop, options, [&body](Request&) {
    Response r;
    r.headers.add("Content-Type", "text/plain");
    r.body = body;
    return r;
  });
  loop.onTerminate([&](int) {
    server.stop(std::chrono::milliseconds(0));
    loop.stop();
  });
  server.start();
  std::cerr << "listening on 127.0.0.1:" << server.port() << " with " << loop.threads() << " thread(s)\n";
  loop.run();
}
