#include "pact/QueryString.h"

#include "http/Message.h"

namespace pactmocks::pact {

// Same decoding as the HTTP layer's, so the matcher and the router never disagree on a name.
std::string decodeComponent(std::string_view s, bool plusAsSpace) { return http::percentDecode(s, plusAsSpace); }

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
