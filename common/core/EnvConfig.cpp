#include "core/EnvConfig.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include <arpa/inet.h>
#include <netinet/in.h>

extern char** environ;

namespace pactmocks {

ConfigError::ConfigError(std::string variable, const std::string& message)
    : std::runtime_error("invalid configuration: " + variable + ": " + message), variable_(std::move(variable)) {}

EnvConfig::EnvConfig(std::map<std::string, std::string> vars) : vars_(std::move(vars)) {}

EnvConfig EnvConfig::fromProcess() {
  std::map<std::string, std::string> vars;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    vars.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return EnvConfig(std::move(vars));
}

namespace {
std::string trim(std::string s) {
  auto notSpace = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
  s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
  return s;
}
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}
std::string quoted(const std::string& v) { return "\"" + v + "\""; }
}  // namespace

std::optional<std::string> EnvConfig::optionalString(const std::string& name) const {
  auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  std::string v = trim(it->second);
  if (v.empty()) return std::nullopt;
  return v;
}

std::string EnvConfig::string(const std::string& name, const std::string& fallback) const {
  return optionalString(name).value_or(fallback);
}

std::string EnvConfig::requiredString(const std::string& name) const {
  auto v = optionalString(name);
  if (!v) throw ConfigError(name, "is required but not set");
  return *v;
}

std::int64_t EnvConfig::integer(const std::string& name, std::int64_t fallback, std::int64_t min,
                                std::int64_t max) const {
  auto v = optionalString(name);
  if (!v) return fallback;
  std::int64_t out = 0;
  const char* first = v->data();
  const char* last = first + v->size();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, out);
  if (ec == std::errc::result_out_of_range)
    throw ConfigError(name, quoted(*v) + " is out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")");
  if (ec != std::errc() || ptr != last) throw ConfigError(name, quoted(*v) + " is not an integer");
  if (out < min || out > max)
    throw ConfigError(name, quoted(*v) + " is out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")");
  return out;
}

std::uint16_t EnvConfig::port(const std::string& name, std::uint16_t fallback) const {
  return static_cast<std::uint16_t>(integer(name, fallback, 1, 65535));
}

bool EnvConfig::boolean(const std::string& name, bool fallback) const {
  auto v = optionalString(name);
  if (!v) return fallback;
  std::string l = lower(*v);
  if (l == "true" || l == "1" || l == "yes" || l == "on") return true;
  if (l == "false" || l == "0" || l == "no" || l == "off") return false;
  throw ConfigError(name, quoted(*v) + " is not a boolean (true/false)");
}

std::chrono::milliseconds EnvConfig::seconds(const std::string& name, double fallback, double min, double max) const {
  auto v = optionalString(name);
  double value = fallback;
  if (v) {
    char* end = nullptr;
    errno = 0;
    value = std::strtod(v->c_str(), &end);
    if (errno != 0 || end != v->c_str() + v->size() || !std::isfinite(value))
      throw ConfigError(name, quoted(*v) + " is not a number of seconds");
    if (value < min || value > max) {
      char range[96];
      std::snprintf(range, sizeof range, " is out of range (%g..%g seconds)", min, max);
      throw ConfigError(name, quoted(*v) + range);
    }
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(value * 1000.0)));
}

std::string EnvConfig::url(const std::string& name, const std::string& fallback) const {
  std::string v = string(name, fallback);
  std::string l = lower(v);
  if (l.rfind("https://", 0) == 0)
    throw ConfigError(name, quoted(v) +
                                " uses https, which is not supported yet: use http:// (plain http inside the pod, or a "
                                "TLS-terminating sidecar or proxy in front of it)");
  if (l.rfind("http://", 0) != 0) throw ConfigError(name, quoted(v) + " is not an http:// URL");
  constexpr std::size_t schemeLen = 7;
  while (v.size() > schemeLen && v.back() == '/') v.pop_back();
  if (v.size() == schemeLen) throw ConfigError(name, quoted(v) + " has no host");
  return v;
}

std::string EnvConfig::ipAddress(const std::string& name, const std::string& fallback) const {
  std::string v = string(name, fallback);
  // An IPv6 zone ("fe80::1%eth0") is accepted by the server's address parser, not by inet_pton.
  std::string numeric = v.substr(0, v.find('%'));
  in6_addr buffer{};
  const bool embeddedNul = numeric.find('\0') != std::string::npos;  // inet_pton would stop there
  if (embeddedNul ||
      (inet_pton(AF_INET, numeric.c_str(), &buffer) != 1 && inet_pton(AF_INET6, numeric.c_str(), &buffer) != 1))
    throw ConfigError(name, quoted(v) + " is not a numeric IPv4 or IPv6 address (e.g. 0.0.0.0, 127.0.0.1 or ::)");
  return v;
}

std::string EnvConfig::choice(const std::string& name, const std::string& fallback,
                              const std::vector<std::string>& allowed) const {
  std::string v = lower(string(name, fallback));
  for (const auto& a : allowed)
    if (v == a) return v;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : "|") + a;
  throw ConfigError(name, quoted(v) + " is not one of " + list);
}

}  // namespace pactmocks
