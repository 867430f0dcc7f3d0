#pragma once
// Java SimpleDateFormat-style patterns (as used by Pact's date/time/timestamp matchers and
// generators): validation through a regex built once, and formatting for generators.
#include <chrono>
#include <string>
#include <string_view>

namespace pactmocks::pact {

enum class DateKind { Date, Time, Timestamp };

// Default pattern when a matcher or generator gives none (ISO 8601 forms).
std::string defaultDateFormat(DateKind kind);

// An RE2 pattern accepting exactly the strings `format` produces. An empty format means the
// ISO default of `kind` (timestamps then accept optional fraction and zone).
// Throws std::invalid_argument for an unterminated quote or an unknown pattern letter.
std::string dateFormatToRegex(std::string_view format, DateKind kind);

// Formats `t` (UTC) with `format` (empty → ISO default of `kind`).
std::string formatDate(std::string_view format, DateKind kind, std::chrono::system_clock::time_point t);

}  // namespace pactmocks::pact
