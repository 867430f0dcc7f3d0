// mock-webhook: records POSTed deliveries for tests (port 1237, PORT to change it).
#include <iostream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/EnvConfig.h"
#include "core/Logging.h"
#include "core/OpenFileLimit.h"
#include "core/Usage.h"
#include "http/HttpServer.h"
#include "mockserver/MockConfig.h"
#include "mockserver/RequestJournal.h"
#include "http/Shutdown.h"
#include "mockserver/webhook/WebhookService.h"

#ifndef PACTMOCKS_VERSION
#define PACTMOCKS_VERSION "0.0.0"
#endif

using namespace pactmocks;

namespace {

struct WebhookConfig {
  std::uint16_t port = 1237;
  std::string bindAddress;
  std::size_t journalSize = 100, journalMaxBytes = mockserver::RequestJournal::kDefaultMaxBytes,
              maxBody = 4 * 1024 * 1024;
  LogSettings log;

  static WebhookConfig load(const EnvConfig& env, const mockserver::CommandLine& commandLine) {
    WebhookConfig c;
    c.port = commandLine.port ? *commandLine.port : env.port("PORT", 1237);
    c.bindAddress = env.ipAddress("BIND_ADDRESS", "0.0.0.0");
    c.journalSize = static_cast<std::size_t>(env.integer("JOURNAL_SIZE", 100, 0, 100'000));
    c.journalMaxBytes = static_cast<std::size_t>(
        env.integer("JOURNAL_MAX_BYTES", static_cast<long long>(c.journalMaxBytes), 0, 1LL << 30));
    c.maxBody = static_cast<std::size_t>(env.integer("MAX_BODY_BYTES", 4 * 1024 * 1024, 1024, 256LL * 1024 * 1024));
    c.log = LogSettings::fromEnv(env, "mock-webhook");
    return c;
  }

  nlohmann::json toJson() const {
    return {{"component", "mock-webhook"},
            {"port", port},
            {"bind_address", bindAddress},
            {"health_path", "/health"},
            {"journal_size", journalSize},
            {"journal_max_bytes", journalMaxBytes},
            {"max_body_bytes", maxBody},
            {"log_level", log.level},
            {"log_format", log.format},
            {"env_vars", {"PORT", "BIND_ADDRESS", "JOURNAL_SIZE", "JOURNAL_MAX_BYTES", "MAX_BODY_BYTES", "LOG_LEVEL", "LOG_FORMAT"}},
            {"env",
             {{"PORT", port},
              {"BIND_ADDRESS", bindAddress},
              {"JOURNAL_SIZE", journalSize},
              {"JOURNAL_MAX_BYTES", journalMaxBytes},
              {"MAX_BODY_BYTES", maxBody},
              {"LOG_LEVEL", log.level},
              {"LOG_FORMAT", log.format}}}};
  }
};

std::string helpText() {
  HelpText help;
  help.usage = "mock-webhook [--port N] [--print-config] [--version] [--help]";
  help.description =
      "Accepts any POST and answers {\"received\":true}; GET /__admin/requests lists the deliveries\n"
      "(credential headers redacted), DELETE /__admin/requests clears them. See docs/mockserver.md.";
  help.flags = {{"--port N", "listening port (wins over PORT)"}};
  help.variables = {{"PORT", "listening port"},
                    {"BIND_ADDRESS", "numeric listening address"},
                    {"JOURNAL_SIZE", "deliveries kept by GET /__admin/requests (0 disables it)"},
                    {"JOURNAL_MAX_BYTES", "bytes the journal may hold; bodies kept as text up to 64 KiB each"},
                    {"MAX_BODY_BYTES", "largest delivery accepted (413 above it)"}};
  return formatHelp(help, WebhookConfig::load(EnvConfig({}), {}).toJson()["env"]);
}

}  // namespace

int main(int argc, char** argv) {
  WebhookConfig config;
  mockserver::CommandLine commandLine;
  try {
    commandLine = mockserver::parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (commandLine.pactsDir) throw ConfigError("--pacts-dir", "is not an option of mock-webhook");
    if (commandLine.help) {
      std::cout << helpText();
      return 0;
    }
    if (commandLine.version) {
      std::cout << "mock-webhook " << PACTMOCKS_VERSION << "\n";
      return 0;
    }
    config = WebhookConfig::load(EnvConfig::fromProcess(), commandLine);
  } catch (const ConfigError& e) {
    std::cerr << "mock-webhook: " << e.what() << "\n";
    return 2;
  }
  if (commandLine.printConfig) {
    std::cout << config.toJson().dump(2) << "\n";
    return 0;
  }
  setupLogging(config.log);
  raiseOpenFileLimit();
  try {
    mockserver::RequestJournal journal(config.journalSize, config.journalMaxBytes);
    mockserver::WebhookService service(journal);
    http::EventLoop loop(1);  // deliveries are rare; one thread keeps it small
    http::ServerOptions options;
    options.address = config.bindAddress;
    options.port = config.port;
    options.maxBodyBytes = config.maxBody;
    http::HttpServer server(loop, options, [&service](http::Request& r) { return service.handle(r); });
    server.start();
    spdlog::info("mock-webhook {} listening on {}:{}", PACTMOCKS_VERSION, config.bindAddress, server.port());
    http::runUntilTerminated(loop, server);
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
