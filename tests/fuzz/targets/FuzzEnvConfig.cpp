// Fuzzes the environment configuration parser: the input is `NAME=VALUE` lines; every typed
// accessor is asked for every name. Anything but a value or a ConfigError is a finding.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/EnvConfig.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> vars;
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    auto eq = line.find('=');
    // A real environment cannot hold a NUL byte, nor '=' in a name.
    if (eq == std::string_view::npos || line.find('\0') != std::string_view::npos) continue;
    vars[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }
  const pactmocks::EnvConfig config(vars);
  for (const auto& entry : vars) {
    const std::string& name = entry.first;  // clang 14 cannot capture structured bindings
    auto attempt = [](auto&& call) {
      try {
        call();
      } catch (const pactmocks::ConfigError& e) {
        // A clear error must name the variable.
        if (std::string_view(e.what()).find(e.variable()) == std::string_view::npos) __builtin_trap();
      }
    };
    attempt([&] { (void)config.optionalString(name); });
    attempt([&] { (void)config.requiredString(name); });
    attempt([&] { (void)config.integer(name, 0, -1000, 1000); });
    attempt([&] { (void)config.integer(name, 0, INT64_MIN, INT64_MAX); });
    attempt([&] { (void)config.port(name, 8080); });
    attempt([&] { (void)config.boolean(name, false); });
    attempt([&] { (void)config.seconds(name, 2.0, 0.0, 3600.0); });
    attempt([&] { (void)config.seconds(name, 2.0, -1e6, 1e9); });
    attempt([&] { (void)config.url(name, "http://localhost:9292"); });
    attempt([&] { (void)config.ipAddress(name, "0.0.0.0"); });
    attempt([&] { (void)config.choice(name, "text", {"text", "json"}); });
  }
  return 0;
}
