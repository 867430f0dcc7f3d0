#include "core/Usage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace pactmocks {

std::string displayValue(const nlohmann::json& value) {
  if (value.is_null()) return "unset";
  if (value.is_string()) return value.get<std::string>().empty() ? "unset" : value.get<std::string>();
  if (value.is_number_float()) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value.get<double>());
    return text;
  }
  return value.dump();
}

namespace {
void section(std::string& out, std::string_view title, const std::vector<HelpEntry>& entries,
             const nlohmann::json* defaults) {
  if (entries.empty()) return;
  std::size_t width = 0;
  for (const auto& e : entries) width = std::max(width, e.name.size());
  out += "\n";
  out += title;
  out += ":\n";
  for (const auto& e : entries) {
    out += "  " + e.name + std::string(width - e.name.size() + 2, ' ');
    if (defaults) {
      auto it = defaults->find(e.name);
      out += "[default: " + (it == defaults->end() ? std::string("(no default listed)") : displayValue(*it)) + "] ";
    }
    out += e.meaning + "\n";
  }
}
}  // namespace

std::string formatHelp(const HelpText& help, const nlohmann::json& defaults) {
  auto flags = help.flags;
  flags.insert(flags.end(), {{"--print-config", "print the effective configuration as JSON (secrets masked) and exit"},
                             {"--version", "print the version and exit"},
                             {"--help, -h", "print this help and exit"}});
  auto variables = help.variables;
  variables.insert(variables.end(), {{"LOG_LEVEL", "trace, debug, info, warn, error, off"},
                                     {"LOG_FORMAT", "text or json (one object per line)"}});
  const std::vector<HelpEntry> exitCodes = {
      {"0", "clean exit (SIGTERM/SIGINT, --help, --version, --print-config)"},
      {"1", "runtime failure after start-up (e.g. the port is already in use)"},
      {"2", "bad configuration: an invalid variable or argument, named in the message"}};
  std::string out = "Usage: " + help.usage + "\n" + help.description + "\n";
  section(out, "Flags", flags, nullptr);
  section(out, "Environment (unset or empty = the default)", variables, &defaults);
  section(out, "Exit codes", exitCodes, nullptr);
  return out;
}

}  // namespace pactmocks
