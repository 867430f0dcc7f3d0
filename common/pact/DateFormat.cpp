#include "pact/DateFormat.h"

#include <chrono>
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
  using namespace std::chrono;
  const std::string defaultFormat = format.empty() ? defaultDateFormat(kind) : std::string();
  const std::string_view fmt = format.empty() ? std::string_view(defaultFormat) : format;
  // The civil calendar by arithmetic (UTC), not gmtime_r: glibc's takes the process-wide time zone
  // lock on every call, and a response with a date generator is made on any serving thread.
  const auto secs = floor<seconds>(t);
  const long millis = static_cast<long>(duration_cast<milliseconds>(t - secs).count());
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> clock{secs - day};
  // Calendar fields as the format letters use them: month 1-12, day of the year from 1, Sunday = 0.
  const struct {
    int year, month, day, yearDay, weekDay, hour, minute, second;
  } c{static_cast<int>(ymd.year()),
      static_cast<int>(static_cast<unsigned>(ymd.month())),
      static_cast<int>(static_cast<unsigned>(ymd.day())),
      static_cast<int>((day - sys_days{ymd.year() / January / 1}).count()) + 1,
      static_cast<int>(weekday{day}.c_encoding()),
      static_cast<int>(clock.hours().count()),
      static_cast<int>(clock.minutes().count()),
      static_cast<int>(clock.seconds().count())};
  std::string out;
  out.reserve(fmt.size() + 8);
  for (const auto& tok : tokenize(fmt)) {
    const std::size_t n = tok.count;
    switch (tok.letter) {
      case 0: out += tok.literal; break;
      case 'G': out += "AD"; break;
      case 'y': case 'Y': case 'u':
        out += n == 2 ? pad(c.year % 100, 2) : pad(c.year, n); break;
      case 'M': case 'L':
        if (n >= 4) out += kMonths[c.month - 1];
        else if (n == 3) out += std::string(kMonths[c.month - 1]).substr(0, 3);
        else out += pad(c.month, n);
        break;
      case 'd': out += pad(c.day, n); break;
      case 'D': out += pad(c.yearDay, n); break;
      case 'w': out += pad((c.yearDay - 1) / 7 + 1, n); break;
      case 'W': out += pad((c.day - 1) / 7 + 1, n); break;
      case 'F': out += pad((c.day - 1) / 7 + 1, n); break;
      case 'E': out += n >= 4 ? std::string(kDays[c.weekDay]) : std::string(kDays[c.weekDay]).substr(0, 3); break;
      case 'a': out += c.hour < 12 ? "AM" : "PM"; break;
      case 'H': out += pad(c.hour, n); break;
      case 'k': out += pad(c.hour == 0 ? 24 : c.hour, n); break;
      case 'K': out += pad(c.hour % 12, n); break;
      case 'h': out += pad(c.hour % 12 == 0 ? 12 : c.hour % 12, n); break;
      case 'm': out += pad(c.minute, n); break;
      case 's': out += pad(c.second, n); break;
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
