#include "pact/QueryString.h"

namespace pactmocks::pact {

namespace {
int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string decodeComponent(std::string_view s, bool plusAsSpace) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = hexValue(s[i + 1]), lo = hexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plusAsSpace && c == '+') ? ' ' : c;
  }
  return out;
}

QueryMap parseQueryString(std::string_view raw) {
  QueryMap out;
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t amp = raw.find('&', start);
    if (amp == std::string_view::npos) amp = raw.size();
    std::string_view piece = raw.substr(start, amp - start);
    if (!piece.empty()) {
      std::size_t eq = piece.find('=');
      std::string name = decodeComponent(piece.substr(0, eq), true);
      std::string value = eq == std::string_view::npos ? std::string() : decodeComponent(piece.substr(eq + 1), true);
      out[std::move(name)].push_back(std::move(value));
    }
    start = amp + 1;
  }
  return out;
}

}  // namespace pactmocks::pact
