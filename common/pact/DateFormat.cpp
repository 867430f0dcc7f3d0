#include "pact/DateFormat.h"

#include <ctime>
#include <stdexcept>
#include <vector>

namespace pactmocks::pact {

namespace {

struct Token {
  char letter = 0;      // 0 for literal text
  std::size_t count = 0;
  std::string literal;
};

bool isPatternLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::vector<Token> tokenize(std::string_view f) {
  std::vector<Token> out;
  for (std::size_t i = 0; i < f.size();) {
    char c = f[i];
    if (c == '\'') {
      // '' is a literal quote; 'text' is literal text.
      if (i + 1 < f.size() && f[i + 1] == '\'') {
        out.push_back({0, 0, "'"});
        i += 2;
        continue;
      }
      std::size_t end = i + 1;
      std::string lit;
      while (true) {
        if (end >= f.size()) throw std::invalid_argument("unterminated quote in date format '" + std::string(f) + "'");
        if (f[end] == '\'') {
          if (end + 1 < f.size() && f[end + 1] == '\'') {
            lit += '\'';
            end += 2;
            continue;
          }
          break;
        }
        lit += f[end++];
      }
      out.push_back({0, 0, lit});
      i = end + 1;
    } else if (isPatternLetter(c)) {
      std::size_t j = i;
      while (j < f.size() && f[j] == c) ++j;
      out.push_back({c, j - i, {}});
      i = j;
    } else {
      out.push_back({0, 0, std::string(1, c)});
      ++i;
    }
  }
  return out;
}

std::string escapeRegex(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\^$.|?*+()[]{}/-").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string digits(std::size_t n) { return "\\d{" + std::to_string(n) + "}"; }
std::string digitsAtLeast(std::size_t n) { return n <= 1 ? "\\d{1,2}" : digits(n); }

std::string tokenRegex(const Token& t) {
  if (t.letter == 0) return escapeRegex(t.literal);
  const std::size_t n = t.count;
  switch (t.letter) {
    case 'G': return "(?:AD|BC)";
    case 'y': case 'Y': case 'u': return n == 2 ? digits(2) : (n <= 1 ? "\\d+" : "\\d{" + std::to_string(n) + ",}");
    case 'M': case 'L':
      if (n >= 4) return "[A-Za-z]+";
      if (n == 3) return "[A-Za-z]{3}";
      return n == 2 ? "(?:0[1-9]|1[0-2])" : "(?:1[0-2]|0?[1-9])";
    case 'd': return n == 2 ? "(?:0[1-9]|[12]\\d|3[01])" : "(?:3[01]|[12]\\d|0?[1-9])";
    case 'D': return n <= 1 ? "\\d{1,3}" : digits(n);
    case 'w': case 'W': case 'F': return digitsAtLeast(n);
    case 'E': return n >= 4 ? "[A-Za-z]+" : "[A-Za-z]{3}";
    case 'a': return "(?:AM|PM|am|pm)";
    case 'H': return n == 2 ? "(?:[01]\\d|2[0-3])" : "(?:2[0-3]|1\\d|0?\\d)";
    case 'k': return n == 2 ? "(?:0[1-9]|1\\d|2[0-4])" : "(?:2[0-4]|1\\d|0?[1-9])";
    case 'K': return n == 2 ? "(?:0\\d|1[01])" : "(?:1[01]|0?\\d)";
    case 'h': return n == 2 ? "(?:0[1-9]|1[0-2])" : "(?:1[0-2]|0?[1-9])";
    case 'm': case 's': return n == 2 ? "[0-5]\\d" : "(?:[0-5]\\d|\\d)";
    case 'S': return n <= 1 ? "\\d+" : digits(n);
    case 'z': return "[A-Za-z][A-Za-z0-9/_+\\-]*";
    case 'Z': return "[+\\-]\\d{4}";
    case 'X':
      if (n == 1) return "(?:Z|[+\\-]\\d{2}(?:\\d{2})?)";
      if (n == 2) return "(?:Z|[+\\-]\\d{4})";
      return "(?:Z|[+\\-]\\d{2}:\\d{2})";
    default:
      throw std::invalid_argument(std::string("unknown date format letter '") + t.letter + "'");
  }
}

std::string pad(long v, std::size_t width) {
  std::string s = std::to_string(v < 0 ? -v : v);
  while (s.size() < width) s.insert(s.begin(), '0');
  return v < 0 ? "-" + s : s;
}

constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

}  // namespace

std::string defaultDateFormat(DateKind kind) {
  switch (kind) {
    case DateKind::Date: return "yyyy-MM-dd";
    case DateKind::Time: return "HH:mm:ss";
    case DateKind::Timestamp: return "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
  }
  return "yyyy-MM-dd";
}

std::string dateFormatToRegex(std::string_view format, DateKind kind) {
  if (format.empty()) {
    switch (kind) {
      case DateKind::Date: return "\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])";
      case DateKind::Time: return "(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d+)?)?";
      case DateKind::Timestamp:
        return "\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[T ](?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d+)?)?"
               "(?:Z|[+\\-]\\d{2}:?\\d{2})?";
    }
  }
  std::string re;
  for (const auto& t : tokenize(format)) re += tokenRegex(t);
  return re;
}

std::string formatDate(std::string_view format, DateKind kind, std::chrono::system_clock::time_point t) {
  const std::string fmt = format.empty() ? defaultDateFormat(kind) : std::string(format);
  const auto secs = std::chrono::time_point_cast<std::chrono::seconds>(t);
  const long millis = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(t - secs).count());
  const std::time_t tt = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  std::string out;
  for (const auto& tok : tokenize(fmt)) {
    const std::size_t n = tok.count;
    switch (tok.letter) {
      case 0: out += tok.literal; break;
      case 'G': out += "AD"; break;
      case 'y': case 'Y': case 'u':
        out += n == 2 ? pad((tm.tm_year + 1900) % 100, 2) : pad(tm.tm_year + 1900, n); break;
      case 'M': case 'L':
        if (n >= 4) out += kMonths[tm.tm_mon];
        else if (n == 3) out += std::string(kMonths[tm.tm_mon]).substr(0, 3);
        else out += pad(tm.tm_mon + 1, n);
        break;
      case 'd': out += pad(tm.tm_mday, n); break;
      case 'D': out += pad(tm.tm_yday + 1, n); break;
      case 'w': out += pad(tm.tm_yday / 7 + 1, n); break;
      case 'W': out += pad((tm.tm_mday - 1) / 7 + 1, n); break;
      case 'F': out += pad((tm.tm_mday - 1) / 7 + 1, n); break;
      case 'E': out += n >= 4 ? std::string(kDays[tm.tm_wday]) : std::string(kDays[tm.tm_wday]).substr(0, 3); break;
      case 'a': out += tm.tm_hour < 12 ? "AM" : "PM"; break;
      case 'H': out += pad(tm.tm_hour, n); break;
      case 'k': out += pad(tm.tm_hour == 0 ? 24 : tm.tm_hour, n); break;
      case 'K': out += pad(tm.tm_hour % 12, n); break;
      case 'h': out += pad(tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12, n); break;
      case 'm': out += pad(tm.tm_min, n); break;
      case 's': out += pad(tm.tm_sec, n); break;
      case 'S': {
        std::string ms = pad(millis, 3);
        if (n <= 3) out += ms.substr(0, n);
        else out += ms + std::string(n - 3, '0');
        break;
      }
      case 'z': out += "UTC"; break;
      case 'Z': out += "+0000"; break;
      case 'X': out += "Z"; break;
      default: throw std::invalid_argument(std::string("unknown date format letter '") + tok.letter + "'");
    }
  }
  return out;
}

}  // namespace pactmocks::pact
