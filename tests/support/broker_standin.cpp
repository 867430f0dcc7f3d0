// pact-broker-standin: a small Pact Broker for tests and local runs.
//   pact-broker-standin [--port N] [--address A] [--data-dir D] [--username U --password P]
// Prints "listening on ADDRESS:PORT" as its first stdout line (port 0 = ephemeral).
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

#include <spdlog/spdlog.h>

#include "BrokerStandin.h"
#include "core/EnvConfig.h"
#include "core/Logging.h"
#include "http/EventLoop.h"
#include "http/HttpServer.h"
#include "http/Shutdown.h"

namespace {

int usage(const char* error) {
  std::fprintf(stderr,
               "%s%spact-broker-standin [--port N] [--address A] [--data-dir D] [--username U --password P] "
               "[--version] [--help]\n"
               "  A stand-in for the Pact Broker (pact_broker " PACTMOCKS_STANDIN_BROKER_VERSION
               "): the calls of ARCHITECTURE.md, proven equal to the real broker by tests/integration/real-broker.\n"
               "  Exit codes: 0 stopped by SIGTERM/SIGINT, 1 runtime error, 2 bad arguments.\n",
               error ? error : "", error ? "\nusage: " : "usage: ");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pactmocks;
  std::string address = "127.0.0.1", dataDir;
  long port = 9292;
  testsupport::BrokerStandinOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (arg == "--help" || arg == "-h") {
      usage(nullptr);
      return 0;
    }
    if (arg == "--version") {
      std::printf("pact-broker-standin %s (answers as pact_broker %s)\n", PACTMOCKS_VERSION,
                  PACTMOCKS_STANDIN_BROKER_VERSION);
      return 0;
    }
    if (arg == "--port" && (v = value())) {
      char* end = nullptr;
      port = std::strtol(v, &end, 10);
      if (*end || port < 0 || port > 65535) return usage("--port must be 0..65535");
    } else if (arg == "--address" && (v = value())) {
      address = v;
    } else if (arg == "--data-dir" && (v = value())) {
      dataDir = v;
    } else if (arg == "--username" && (v = value())) {
      options.username = v;
    } else if (arg == "--password" && (v = value())) {
      options.password = v;
    } else {
      return usage(("unknown or incomplete argument: " + arg).c_str());
    }
  }
  try {
    setupLogging(LogSettings::fromEnv(EnvConfig::fromProcess(), "pact-broker-standin"));
    if (!dataDir.empty()) {
      std::filesystem::create_directories(dataDir);
      options.dataFile = (std::filesystem::path(dataDir) / "broker.json").string();
    }
    testsupport::BrokerStandin standin(options);
    http::Router router = standin.router();
    http::EventLoop loop(2);
    http::ServerOptions serverOptions;
    serverOptions.address = address;
    serverOptions.port = static_cast<std::uint16_t>(port);
    serverOptions.serverHeader = "pact-broker-standin";
    http::HttpServer server(loop, serverOptions, router.asHandler());
    server.start();
    std::cout << "listening on " << address << ":" << server.port() << std::endl;
    spdlog::info("pact broker stand-in on {}:{} (auth {}, data {})", address, server.port(),
                 options.username.empty() ? "off" : "on", options.dataFile.empty() ? "memory" : options.dataFile);
    http::runUntilTerminated(loop, server, std::chrono::milliseconds(2000));
    spdlog::info("stopped");
    return 0;
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "pact-broker-standin: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pact-broker-standin: %s\n", e.what());
    return 1;
  }
}
