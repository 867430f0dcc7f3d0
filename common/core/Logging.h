#pragma once
// Process-wide logging setup (spdlog). LOG_LEVEL: trace|debug|info|warn|error|off (default info).
// LOG_FORMAT: text (human lines) | json (one JSON object per line, for log collectors).
#include <string>

#include "core/EnvConfig.h"

namespace pactmocks {

struct LogSettings {
  std::string level = "info";
  std::string format = "text";
  std::string component;  // e.g. "manager", "aws-mock-server": a field in every line

  static LogSettings fromEnv(const EnvConfig& env, std::string component);
};

// Installs the default logger (stderr). Call once at the top of main.
void setupLogging(const LogSettings& settings);

// Escapes a string for embedding in a JSON log line.
std::string jsonEscape(const std::string& s);

}  // namespace pactmocks
