#include "mockserver/MockServerApp.h"

#include <iostream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/Logging.h"
#include "core/OpenFileLimit.h"
#include "http/HttpServer.h"
#include "http/Shutdown.h"
#include "http/TlsServer.h"
#include "mockserver/AllocatorPolicy.h"
#include "mockserver/PactStore.h"
#include "mockserver/PactSync.h"
#include "mockserver/MockConfig.h"
#include "mockserver/MockService.h"
#include "mockserver/ProviderErrors.h"

#ifndef PACTMOCKS_VERSION
#define PACTMOCKS_VERSION "0.0.0"
#endif

namespace pactmocks::mockserver {

int runMockServer(const ProviderProfile& profile, int argc, char** argv) {
  MockConfig config;
  CommandLine commandLine;
  try {
    commandLine = parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (commandLine.help) {
      std::cout << usageText(profile);
      return 0;
    }
    if (commandLine.version) {
      std::cout << profile.component << " " << PACTMOCKS_VERSION << "\n";
      return 0;
    }
    config = MockConfig::load(EnvConfig::fromProcess(), profile, commandLine);
  } catch (const ConfigError& e) {
    std::cerr << profile.component << ": " << e.what() << "\n";
    return 2;
  }
  if (commandLine.printConfig) {
    std::cout << config.toJson().dump(2) << "\n";
    return 0;
  }

  setupLogging({config.logLevel, config.logFormat, profile.component});
  configureAllocator();
  raiseOpenFileLimit();  // a descriptor per connection, and per pact file while a generation loads
  try {
    // The built-in contract must always parse; checking it up front turns a broken build into a
    // clear startup error rather than a surprise after a broker timeout.
    PactSync::defaultPacts(profile.defaultPact, config.provider);

    // Before the sync: its directory watcher lives on the loop.
    http::EventLoop loop(config.threads);
    PactStore store;
    MockMetrics metrics;
    RequestJournal journal(config.journalSize, config.journalMaxBytes);
    PactSync sync(config, profile.defaultPact, store, metrics);

    MockServiceOptions serviceOptions;
    serviceOptions.provider = config.provider;
    serviceOptions.errorStyle = profile.errorStyle;
    serviceOptions.port = config.port;
    serviceOptions.version = PACTMOCKS_VERSION;
    serviceOptions.noMatchStatus = config.noMatchStatus;
    if (config.bearerChallenge) serviceOptions.challengeTenant = config.azureTenantId;
    MockService service(serviceOptions, store, metrics, journal,
                        [&sync](auto done) { sync.reloadAsync(std::move(done)); });

    http::ServerOptions serverOptions;
    serverOptions.address = config.bindAddress;
    serverOptions.port = config.port;
    serverOptions.maxBodyBytes = config.maxBodyBytes;
    // 400/413/431 in the cloud's own error format, as for every other error the SDK may see.
    serverOptions.rejectionResponse = [style = profile.errorStyle](int status, const std::string& message) {
      return providerError(style, status, message);
    };
    http::HttpServer server(loop, serverOptions, [&service](http::Request& r) { return service.handle(r); });
    std::unique_ptr<http::TlsServer> tls;
    if (config.tlsPort) {
      http::ServerOptions tlsOptions = serverOptions;
      tlsOptions.port = *config.tlsPort;
      http::TlsSettings settings{config.tlsCertFile, config.tlsKeyFile, config.tlsReloadInterval,
                                 std::max(1u, loop.threads() / 2)};
      try {
        tls = http::makeTlsServer(tlsOptions, settings, [&service](http::Request& r) { return service.handle(r); });
      } catch (const http::TlsSetupError& e) {
        using Input = http::TlsSetupError::Input;
        if (e.input() == Input::Certificate || e.input() == Input::Key) {
          // A bad certificate or key is a configuration error like a bad variable: exit 2.
          std::cerr << profile.component << ": " << (e.input() == Input::Certificate ? "TLS_CERT_FILE" : "TLS_KEY_FILE")
                    << ": " << e.what() << "\n";
          spdlog::critical("{}", e.what());
          return 2;
        }
        throw;
      }
    }
    sync.start(loop);
    server.start();
    if (tls) tls->start();
    spdlog::info("{} {} for provider \"{}\" listening on {}:{}{} ({} mode, {} thread(s))", profile.component,
                 PACTMOCKS_VERSION, config.provider, config.bindAddress, server.port(),
                 tls ? " and https on " + std::to_string(tls->port()) : std::string(),
                 config.localMode() ? "dir" : "broker", loop.threads());
    http::ShutdownPlan shutdown;
    shutdown.servers = {&server};
    if (tls) shutdown.tlsServers = {tls.get()};
    shutdown.stopping = [&sync] { sync.stop(); };  // cancels broker calls in flight
    http::runUntilTerminated(loop, std::move(shutdown));
    spdlog::info("stopped");
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}

}  // namespace pactmocks::mockserver
