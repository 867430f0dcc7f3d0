#pragma once
// --help text shared by every binary: usage line, flags, the environment variables it reads with
// their defaults, and the exit codes. Defaults are taken from the binary's own --print-config
// output for an empty environment, so the help cannot drift from what the binary really does.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace pactmocks {

struct HelpEntry {
  std::string name;     // a flag ("--port N") or a variable ("PORT")
  std::string meaning;  // one line
};

struct HelpText {
  std::string usage;        // "manager [--print-config] [--version] [--help]"
  std::string description;  // one or two lines
  std::vector<HelpEntry> flags;      // the binary's own; --print-config, --version, --help are added
  std::vector<HelpEntry> variables;  // the binary's own; LOG_LEVEL and LOG_FORMAT are added
};

// Flags, variables and exit codes (0 clean, 1 runtime failure, 2 bad configuration) shared by every
// binary are appended. `defaults` maps variable names to their effective default (null or "" =
// unset); a variable missing from it is an error in the caller and shows as "(no default listed)".
std::string formatHelp(const HelpText& help, const nlohmann::json& defaults);

// A --print-config value as a person reads it: strings as they are, 5.0 as 5, null/"" as "unset".
std::string displayValue(const nlohmann::json& value);

}  // namespace pactmocks
