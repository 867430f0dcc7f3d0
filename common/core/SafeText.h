#pragma once
// Text from contracts and requests made safe for what we write (JSON, XML, HTML, metric labels).
// Header-only so that every binary can use it without another library.
//
// Contract strings are arbitrary bytes: a description may hold markup, quotes or invalid UTF-8.
// Invalid sequences become U+FFFD, characters XML 1.0 forbids are dropped, and markup
// characters are escaped, so a hostile description can never break or inject into a document.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pactmocks {

namespace safetext_detail {
// Decodes one UTF-8 sequence at text[i]; returns its length (0 when invalid) and the code point.
inline std::size_t decodeUtf8(std::string_view text, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  std::size_t len = 0;
  if (b0 < 0x80) { cp = b0; return 1; }
  if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; }
  else return 0;
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid UTF-8.
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}
inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Calls `onChar(codePoint, bytes)` for each valid character of `text` and `onInvalid()` for each
// byte that starts no valid UTF-8 sequence.
template <class OnChar, class OnInvalid>
void forEachUtf8(std::string_view text, OnChar onChar, OnInvalid onInvalid) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t len = decodeUtf8(text, i, cp);
    if (len == 0) {
      onInvalid();
      ++i;
    } else {
      onChar(cp, text.substr(i, len));
      i += len;
    }
  }
}
}  // namespace safetext_detail

// `text` with every byte that starts no valid UTF-8 sequence replaced by U+FFFD.
inline std::string validUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  safetext_detail::forEachUtf8(
      text, [&](char32_t, std::string_view bytes) { out.append(bytes); },
      [&] { out += safetext_detail::kReplacement; });
  return out;
}

// Text for XML or HTML content and attribute values: valid UTF-8, no character XML 1.0
// forbids (C0 controls other than tab/newline/CR, U+FFFE, U+FFFF), markup escaped.
inline std::string markupEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  const auto onChar = [&](char32_t cp, std::string_view bytes) {
    const bool forbidden = (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF;
    if (forbidden) return;
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.append(bytes);
    }
  };
  safetext_detail::forEachUtf8(text, onChar, [&] { out += safetext_detail::kReplacement; });
  return out;
}

// JSON text that is always valid: nlohmann's dump throws on invalid UTF-8 by default;
// this replaces invalid sequences instead.
inline std::string dumpSafeJson(const nlohmann::json& value, int indent = -1) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace pactmocks
