#pragma once
// Typed, validated configuration read from environment variables.
//
// Pure: an EnvConfig is built from a name→value map, so tests need no real environment;
// `fromProcess()` is the one place that reads `environ`. A bad value throws ConfigError, whose
// message names the variable, the value and what was expected; mains turn it into exit code 2.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pactmocks {

class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string variable, const std::string& message);
  const std::string& variable() const { return variable_; }

 private:
  std::string variable_;
};

class EnvConfig {
 public:
  explicit EnvConfig(std::map<std::string, std::string> vars);
  static EnvConfig fromProcess();

  // Unset and empty are the same: the default applies.
  std::optional<std::string> optionalString(const std::string& name) const;
  std::string string(const std::string& name, const std::string& fallback) const;
  std::string requiredString(const std::string& name) const;
  std::int64_t integer(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
  std::uint16_t port(const std::string& name, std::uint16_t fallback) const;  // 1..65535
  bool boolean(const std::string& name, bool fallback) const;  // true/false/1/0/yes/no/on/off
  std::chrono::milliseconds seconds(const std::string& name, double fallback, double min, double max) const;
  // An http:// URL; trailing slashes removed. https and other schemes are refused: the HTTP client
  // speaks plain http only (TLS to a broker goes through a TLS-terminating sidecar or proxy).
  std::string url(const std::string& name, const std::string& fallback) const;
  // A numeric IPv4 or IPv6 address to listen on (what the HTTP server can bind; no host names).
  std::string ipAddress(const std::string& name, const std::string& fallback) const;
  // One of `allowed` (case-insensitive); returns the lower-case form.
  std::string choice(const std::string& name, const std::string& fallback, const std::vector<std::string>& allowed) const;

 private:
  std::map<std::string, std::string> vars_;
};

}  // namespace pactmocks
