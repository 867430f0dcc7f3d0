// mock-webhook: records POSTed deliveries for tests (port 1237, PORT to change it).
#include <iostream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/EnvConfig.h"
#include "core/Logging.h"
#include "http/HttpServer.h"
#include "mockserver/MockConfig.h"
#include "mockserver/RequestJournal.h"
#include "mockserver/ServerLifecycle.h"
#include "mockserver/webhook/WebhookService.h"

#ifndef PACTMOCKS_VERSION
#define PACTMOCKS_VERSION "0.0.0"
#endif

using namespace pactmocks;

int main(int argc, char** argv) {
  std::uint16_t port = 1237;
  std::size_t journalSize = 100, maxBody = 4 * 1024 * 1024;
  std::string bindAddress;
  LogSettings log;
  mockserver::CommandLine commandLine;
  try {
    commandLine = mockserver::parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (commandLine.pactsDir) throw ConfigError("--pacts-dir", "is not an option of mock-webhook");
    if (commandLine.help) {
      std::cout << "Usage: mock-webhook [--port N] [--print-config] [--version]\n"
                   "Accepts any POST and answers {\"received\":true}; GET /__admin/requests lists them.\n";
      return 0;
    }
    if (commandLine.version) {
      std::cout << "mock-webhook " << PACTMOCKS_VERSION << "\n";
      return 0;
    }
    const auto env = EnvConfig::fromProcess();
    port = commandLine.port ? *commandLine.port : env.port("PORT", 1237);
    bindAddress = env.string("BIND_ADDRESS", "0.0.0.0");
    journalSize = static_cast<std::size_t>(env.integer("JOURNAL_SIZE", 100, 0, 100'000));
    maxBody = static_cast<std::size_t>(env.integer("MAX_BODY_BYTES", 4 * 1024 * 1024, 1024, 256LL * 1024 * 1024));
    log = LogSettings::fromEnv(env, "mock-webhook");
  } catch (const ConfigError& e) {
    std::cerr << "mock-webhook: " << e.what() << "\n";
    return 2;
  }
  if (commandLine.printConfig) {
    nlohmann::json config = {{"component", "mock-webhook"}, {"port", port},           {"bind_address", bindAddress},
                             {"health_path", "/health"},    {"journal_size", journalSize}, {"max_body_bytes", maxBody},
                             {"log_level", log.level},      {"log_format", log.format},
                             {"env_vars", {"PORT", "BIND_ADDRESS", "JOURNAL_SIZE", "MAX_BODY_BYTES", "LOG_LEVEL",
                                           "LOG_FORMAT"}}};
    std::cout << config.dump(2) << "\n";
    return 0;
  }
  setupLogging(log);
  try {
    mockserver::RequestJournal journal(journalSize);
    mockserver::WebhookService service(journal);
    http::EventLoop loop(1);  // deliveries are rare; one thread keeps it small
    http::ServerOptions options;
    options.address = bindAddress;
    options.port = port;
    options.maxBodyBytes = maxBody;
    http::HttpServer server(loop, options, [&service](http::Request& r) { return service.handle(r); });
    server.start();
    spdlog::info("mock-webhook {} listening on {}:{}", PACTMOCKS_VERSION, bindAddress, server.port());
    mockserver::runUntilTerminated(loop, server);
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
