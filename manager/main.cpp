// manager: publishes the pact files of a mounted ConfigMap to the Pact Broker and reports
// readiness for the mock servers. See docs/manager.md.
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "BrokerMonitor.h"
#include "CoverageApi.h"
#include "HealthApi.h"
#include "ManagerConfig.h"
#include "ManagerStatus.h"
#include "ManagerVersion.h"
#include "Publisher.h"
#include "core/EnvConfig.h"
#include "core/Logging.h"
#include "core/OpenFileLimit.h"
#include "http/EventLoop.h"
#include "http/HttpServer.h"
#include "http/Shutdown.h"
#include "pactdir/DirectoryWatcher.h"

namespace {

constexpr int kExitConfig = 2;

}  // namespace

int main(int argc, char** argv) {
  using namespace pactmocks;
  using namespace pactmocks::manager;
  bool printConfig = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--print-config") == 0) {
      printConfig = true;
    } else if (std::strcmp(argv[i], "--version") == 0) {
      std::printf("manager %s\n", kManagerVersion);
      return 0;
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(helpText().c_str(), stdout);
      return 0;
    } else {
      std::fprintf(stderr, "manager: unknown argument %s (see manager --help)\n", argv[i]);
      return kExitConfig;
    }
  }

  ManagerConfig config;
  try {
    config = ManagerConfig::fromEnv(EnvConfig::fromProcess());
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "manager: %s\n", e.what());
    return kExitConfig;
  }
  if (printConfig) {
    std::cout << config.toJson().dump(2) << std::endl;
    return 0;
  }

  try {
    setupLogging(config.log);
    raiseOpenFileLimit();
    spdlog::info("manager {} starting: broker {}, configmap {} ({}{}{}), consumer version {}, health port {}",
                 kManagerVersion, config.brokerUrl, config.configMapPath, config.kubernetesNamespace,
                 config.kubernetesNamespace.empty() ? "" : "/", config.configMapName, config.baseVersion(),
                 config.healthPort);

    ManagerStatus status;
    status.setSource(config.configMapName, config.configMapPath, config.kubernetesNamespace);
    http::EventLoop loop(1);
    // Asks the mocks for GET /coverage and GET / on a worker of its own, never on the loop.
    MockFetcher mockFetcher(config.mocks, config.mockTimeout);
    mockFetcher.start();
    http::Router router = makeHealthRouter(status);
    addCoverageRoutes(router, status, mockFetcher, config.brokerUrl);
    http::ServerOptions serverOptions;
    serverOptions.address = config.healthAddress;
    serverOptions.port = config.healthPort;
    serverOptions.serverHeader = "pact-mocks-manager";
    http::HttpServer server(loop, serverOptions, router.asHandler());
    server.start();
    spdlog::info("health endpoints on {}:{}", config.healthAddress, server.port());

    Publisher publisher(config, status);
    publisher.start();
    BrokerMonitor monitor(config, status, [&publisher](bool healthy, bool firstTime) {
      // After an outage the broker may have restarted empty (emptyDir SQLite): verify. Losing it
      // also means a rescan, which withdraws the published flag.
      publisher.requestRescan(healthy && !firstTime);
    });
    monitor.start();
    pactdir::DirectoryWatcher watcher(loop, config.configMapPath, {config.debounce, config.rescanInterval},
                                      [&publisher](pactdir::DirectoryWatcher::Reason reason) {
                                        publisher.requestRescan(reason == pactdir::DirectoryWatcher::Reason::Periodic);
                                      });
    watcher.start();
    publisher.requestRescan();  // report file problems even before the broker is up

    http::ShutdownPlan shutdown;
    shutdown.servers = {&server};
    shutdown.drain = std::chrono::milliseconds(1000);
    shutdown.stopping = [&] {
      // Broker calls in flight are cancelled, so these return at once even with a hung broker.
      watcher.stop();
      monitor.stop();
      publisher.stop();
      mockFetcher.stop();
    };
    http::runUntilTerminated(loop, std::move(shutdown));
    spdlog::info("manager stopped");
    return 0;
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "manager: %s\n", e.what());
    return kExitConfig;
  } catch (const std::exception& e) {
    spdlog::critical("manager failed: {}", e.what());
    std::fprintf(stderr, "manager: %s\n", e.what());
    return 1;
  }
}
