#include "mockserver/MockConfig.h"

#include <charconv>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/Logging.h"
#include "core/Usage.h"

namespace pactmocks::mockserver {
namespace {

std::uint16_t parsePortArgument(const std::string& text) {
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 1 || value > 65535)
    throw ConfigError("--port", "\"" + text + "\" is not a port number (1..65535)");
  return static_cast<std::uint16_t>(value);
}

}  // namespace

CommandLine parseCommandLine(const std::vector<std::string>& args) {
  CommandLine out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto valueOf = [&](const std::string& flag) -> std::optional<std::string> {
      if (arg == flag) {
        // "--pacts-dir --print-config" must not take the next flag as the directory.
        if (i + 1 >= args.size() || args[i + 1].starts_with("--"))
          throw ConfigError(flag, "needs a value (e.g. " + flag + (flag == "--port" ? " 1234" : " DIR") + ")");
        return args[++i];
      }
      if (arg.starts_with(flag + "=")) return arg.substr(flag.size() + 1);
      return std::nullopt;
    };
    if (auto v = valueOf("--port")) {
      out.port = parsePortArgument(*v);
    } else if (auto d = valueOf("--pacts-dir")) {
      if (d->empty()) throw ConfigError("--pacts-dir", "must not be empty");
      out.pactsDir = *d;
    } else if (arg == "--print-config") {
      out.printConfig = true;
    } else if (arg == "--version") {
      out.version = true;
    } else if (arg == "--help" || arg == "-h") {
      out.help = true;
    } else {
      throw ConfigError(arg, "unknown argument (see --help)");
    }
  }
  return out;
}

MockConfig MockConfig::load(const EnvConfig& env, const ProviderProfile& profile, const CommandLine& commandLine) {
  MockConfig c;
  c.provider = env.string("PROVIDER_NAME", profile.providerName);
  c.component = profile.component;
  c.port = commandLine.port ? *commandLine.port : env.port("PORT", profile.defaultPort);
  c.bindAddress = env.ipAddress("BIND_ADDRESS", "0.0.0.0");
  c.brokerUrl = http::urlFromEnv(env, "BROKER_URL", "http://localhost:9292");
  c.brokerCredentials.username = env.string("BROKER_USERNAME", "");
  c.brokerCredentials.password = env.string("BROKER_PASSWORD", "");
  c.brokerCredentials.bearerToken = env.string("BROKER_TOKEN", "");
  if (!c.brokerCredentials.password.empty() && c.brokerCredentials.username.empty())
    throw ConfigError("BROKER_USERNAME", "must be set when BROKER_PASSWORD is set");
  c.managerUrl = http::urlFromEnv(env, "MANAGER_URL", "http://localhost:1238");
  c.consumerName = env.optionalString("CONSUMER_NAME");
  c.startupTimeout = env.seconds("STARTUP_TIMEOUT_SECONDS", 90, 0, 86'400);
  c.startupPollInterval = env.seconds("STARTUP_POLL_INTERVAL_SECONDS", 2, 0.05, 3'600);
  c.reloadInterval = env.seconds("RELOAD_INTERVAL_SECONDS", 5, 0.05, 86'400);
  c.pactsDir = commandLine.pactsDir ? commandLine.pactsDir : env.optionalString("PACTS_DIR");
  c.maxBodyBytes = static_cast<std::size_t>(env.integer("MAX_BODY_BYTES", 4 * 1024 * 1024, 1024, 256LL * 1024 * 1024));
  c.journalSize = static_cast<std::size_t>(env.integer("JOURNAL_SIZE", 100, 0, 100'000));
  c.journalMaxBytes = static_cast<std::size_t>(env.integer("JOURNAL_MAX_BYTES", 4 * 1024 * 1024, 0, 1LL << 30));
  c.threads = static_cast<unsigned>(env.integer("THREADS", 0, 0, 256));
  c.noMatchStatus = static_cast<int>(env.integer("NO_MATCH_STATUS", 500, 400, 599));
  c.azureTenantId = env.string("AZURE_TENANT_ID", c.azureTenantId);
  // The tenant ends up in the challenge's authority URL, which the SDK parses.
  if (c.azureTenantId.empty() || c.azureTenantId.find_first_not_of(
                                     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") != std::string::npos)
    throw ConfigError("AZURE_TENANT_ID", "\"" + c.azureTenantId + "\" is not a tenant id (letters, digits, '-', '.', '_')");
  c.bearerChallenge = env.boolean("AZURE_BEARER_CHALLENGE", profile.bearerChallenge);
  const auto tlsPort = env.optionalString("TLS_PORT");
  const auto tlsCert = env.optionalString("TLS_CERT_FILE");
  const auto tlsKey = env.optionalString("TLS_KEY_FILE");
  if (tlsPort || tlsCert || tlsKey) {
    // Half a TLS configuration is a mistake, not a reason to serve plain HTTP only.
    for (const auto& [name, value] : {std::pair{"TLS_PORT", &tlsPort}, {"TLS_CERT_FILE", &tlsCert}, {"TLS_KEY_FILE", &tlsKey}})
      if (!*value || (*value)->empty())
        throw ConfigError(name, "must be set together with TLS_PORT, TLS_CERT_FILE and TLS_KEY_FILE");
    c.tlsPort = env.port("TLS_PORT", 0);
    if (*c.tlsPort == c.port) throw ConfigError("TLS_PORT", "must differ from PORT (" + std::to_string(c.port) + ")");
    c.tlsCertFile = *tlsCert;
    c.tlsKeyFile = *tlsKey;
    for (const auto& [name, path] : {std::pair{"TLS_CERT_FILE", &c.tlsCertFile}, {"TLS_KEY_FILE", &c.tlsKeyFile}})
      if (!std::ifstream(*path).good()) throw ConfigError(name, "cannot read \"" + *path + "\"");
  }
  c.tlsReloadInterval = env.seconds("TLS_RELOAD_INTERVAL_SECONDS", 10, 0, 86'400);
  auto log = LogSettings::fromEnv(env, profile.component);
  c.logLevel = log.level;
  c.logFormat = log.format;
  return c;
}

nlohmann::json MockConfig::toJson() const {
  auto mask = [](const std::string& secret) -> nlohmann::json {
    if (secret.empty()) return nullptr;
    return "****";
  };
  auto seconds = [](std::chrono::milliseconds ms) { return static_cast<double>(ms.count()) / 1000.0; };
  nlohmann::json j = {
      {"provider", provider},
      {"component", component},
      {"mode", localMode() ? "dir" : "broker"},
      {"port", port},
      {"bind_address", bindAddress},
      {"health_path", "/health"},
      {"metrics_path", "/metrics"},
      {"broker_url", brokerUrl},
      {"broker_username", brokerCredentials.username.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(brokerCredentials.username)},
      {"broker_password", mask(brokerCredentials.password)},
      {"broker_token", mask(brokerCredentials.bearerToken)},
      {"manager_url", managerUrl},
      {"consumer_name", consumerName ? nlohmann::json(*consumerName) : nlohmann::json(nullptr)},
      {"startup_timeout_seconds", seconds(startupTimeout)},
      {"startup_poll_interval_seconds", seconds(startupPollInterval)},
      {"reload_interval_seconds", seconds(reloadInterval)},
      {"pacts_dir", pactsDir ? nlohmann::json(*pactsDir) : nlohmann::json(nullptr)},
      {"max_body_bytes", maxBodyBytes},
      {"journal_size", journalSize},
      {"journal_max_bytes", journalMaxBytes},
      {"threads", threads},
      {"no_match_status", noMatchStatus},
      {"azure_tenant_id", azureTenantId},
      {"azure_bearer_challenge", bearerChallenge},
      {"tls_port", tlsPort ? nlohmann::json(*tlsPort) : nlohmann::json(nullptr)},
      {"tls_cert_file", tlsCertFile.empty() ? nlohmann::json(nullptr) : nlohmann::json(tlsCertFile)},
      {"tls_key_file", tlsKeyFile.empty() ? nlohmann::json(nullptr) : nlohmann::json(tlsKeyFile)},
      {"tls_reload_interval_seconds", seconds(tlsReloadInterval)},
      {"log_level", logLevel},
      {"log_format", logFormat},
      {"env_vars", mockEnvironmentVariables()},
      // The same values keyed by variable name, so docs and --help can be checked against them.
      {"env",
       {{"PROVIDER_NAME", provider},
        {"PORT", port},
        {"BIND_ADDRESS", bindAddress},
        {"BROKER_URL", brokerUrl},
        {"BROKER_USERNAME", brokerCredentials.username},
        {"BROKER_PASSWORD", mask(brokerCredentials.password)},
        {"BROKER_TOKEN", mask(brokerCredentials.bearerToken)},
        {"MANAGER_URL", managerUrl},
        {"CONSUMER_NAME", consumerName ? nlohmann::json(*consumerName) : nlohmann::json(nullptr)},
        {"STARTUP_TIMEOUT_SECONDS", seconds(startupTimeout)},
        {"STARTUP_POLL_INTERVAL_SECONDS", seconds(startupPollInterval)},
        {"RELOAD_INTERVAL_SECONDS", seconds(reloadInterval)},
        {"PACTS_DIR", pactsDir ? nlohmann::json(*pactsDir) : nlohmann::json(nullptr)},
        {"MAX_BODY_BYTES", maxBodyBytes},
        {"JOURNAL_SIZE", journalSize},
        {"JOURNAL_MAX_BYTES", journalMaxBytes},
        {"THREADS", threads},
        {"NO_MATCH_STATUS", noMatchStatus},
        {"AZURE_TENANT_ID", azureTenantId},
        {"AZURE_BEARER_CHALLENGE", bearerChallenge},
        {"TLS_PORT", tlsPort ? nlohmann::json(*tlsPort) : nlohmann::json(nullptr)},
        {"TLS_CERT_FILE", tlsCertFile.empty() ? nlohmann::json(nullptr) : nlohmann::json(tlsCertFile)},
        {"TLS_KEY_FILE", tlsKeyFile.empty() ? nlohmann::json(nullptr) : nlohmann::json(tlsKeyFile)},
        {"TLS_RELOAD_INTERVAL_SECONDS", seconds(tlsReloadInterval)},
        {"LOG_LEVEL", logLevel},
        {"LOG_FORMAT", logFormat}}},
  };
  return j;
}

const std::vector<std::string>& mockEnvironmentVariables() {
  static const std::vector<std::string> names = {
      "PROVIDER_NAME", "PORT", "BIND_ADDRESS", "BROKER_URL", "BROKER_USERNAME", "BROKER_PASSWORD", "BROKER_TOKEN",
      "MANAGER_URL", "CONSUMER_NAME", "STARTUP_TIMEOUT_SECONDS", "STARTUP_POLL_INTERVAL_SECONDS",
      "RELOAD_INTERVAL_SECONDS", "PACTS_DIR", "MAX_BODY_BYTES", "JOURNAL_SIZE", "JOURNAL_MAX_BYTES", "THREADS", "NO_MATCH_STATUS", "AZURE_TENANT_ID", "AZURE_BEARER_CHALLENGE",
      "TLS_PORT", "TLS_CERT_FILE", "TLS_KEY_FILE", "TLS_RELOAD_INTERVAL_SECONDS", "LOG_LEVEL", "LOG_FORMAT"};
  return names;
}

std::string usageText(const ProviderProfile& profile) {
  HelpText help;
  help.usage = profile.component + " [--port N] [--pacts-dir DIR] [--print-config] [--version] [--help]";
  help.description =
      "Answers " + profile.providerName +
      " API requests from Pact contracts (from the Pact Broker, or from DIR in local mode),\n"
      "with fault-injection headers and /health, /metrics, /__admin/* endpoints. See docs/mockserver.md.";
  help.flags = {{"--port N", "listening port (wins over PORT)"},
                {"--pacts-dir DIR", "local mode: serve the pact files of DIR (wins over PACTS_DIR)"}};
  help.variables = {
      {"PROVIDER_NAME", "Pact provider whose contracts are served"},
      {"PORT", "listening port"},
      {"BIND_ADDRESS", "numeric listening address"},
      {"BROKER_URL", "Pact Broker (http:// only; https is not supported yet)"},
      {"BROKER_USERNAME", "basic auth user for the broker"},
      {"BROKER_PASSWORD", "basic auth password (needs BROKER_USERNAME)"},
      {"BROKER_TOKEN", "bearer token (wins over basic auth)"},
      {"MANAGER_URL", "the manager sidecar (http:// only)"},
      {"CONSUMER_NAME", "serve only this consumer's pact (default: every consumer)"},
      {"STARTUP_TIMEOUT_SECONDS", "wait for broker and manager, then serve the built-in default contract"},
      {"STARTUP_POLL_INTERVAL_SECONDS", "poll period of the start-up waits"},
      {"RELOAD_INTERVAL_SECONDS", "manager poll period (broker mode) / rescan period (local mode)"},
      {"PACTS_DIR", "local mode: serve the pact files of this directory, no broker or manager"},
      {"MAX_BODY_BYTES", "largest request body accepted (413 above it)"},
      {"JOURNAL_SIZE", "requests kept for GET /__admin/requests (0 disables it)"},
      {"JOURNAL_MAX_BYTES", "bytes the journal may hold; bodies kept as text up to 64 KiB each (0 disables it)"},
      {"THREADS", "serving threads; 0 = one per usable CPU"},
      {"NO_MATCH_STATUS", "status of the no-match answer (400-599), in the provider's error envelope"},
      {"AZURE_TENANT_ID", "tenant named in Key Vault's 401 Bearer challenge"},
      {"AZURE_BEARER_CHALLENGE", "answer token-less unmatched requests with Key Vault's 401 challenge"},
      {"TLS_PORT", "HTTPS port next to PORT (with TLS_CERT_FILE and TLS_KEY_FILE)"},
      {"TLS_CERT_FILE", "PEM certificate (chain) for TLS_PORT"},
      {"TLS_KEY_FILE", "PEM private key for TLS_PORT"},
      {"TLS_RELOAD_INTERVAL_SECONDS", "how often a renewed certificate is picked up (0 = never)"}};
  return formatHelp(help, MockConfig::load(EnvConfig({}), profile, {}).toJson()["env"]);
}

}  // namespace pactmocks::mockserver
