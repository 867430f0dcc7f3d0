#include "pact/Xml.h"

namespace pactmocks::pact {

namespace {

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  XmlElement document() {
    skipMisc();
    if (!peek('<')) fail("expected a root element");
    XmlElement root = element(0);
    skipMisc();
    if (pos_ != s_.size()) fail("content after the root element");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw XmlParseError("invalid XML at offset " + std::to_string(pos_) + ": " + why);
  }
  bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool startsWith(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
  void skipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  void skipPast(std::string_view end) {
    auto p = s_.find(end, pos_);
    if (p == std::string_view::npos) fail("unterminated construct");
    pos_ = p + end.size();
  }
  // Prolog, comments, processing instructions, DOCTYPE and whitespace between elements.
  void skipMisc() {
    while (true) {
      skipSpace();
      if (startsWith("<?")) skipPast("?>");
      else if (startsWith("<!--")) skipPast("-->");
      else if (startsWith("<!DOCTYPE") || startsWith("<!doctype")) skipPast(">");
      else return;
    }
  }
  static bool nameChar(char c) {
    return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '/' && c != '>' && c != '=' && c != '<' && c != '"' &&
           c != '\'';
  }
  std::string name() {
    std::size_t start = pos_;
    while (pos_ < s_.size() && nameChar(s_[pos_])) ++pos_;
    if (pos_ == start) fail("expected a name");
    return std::string(s_.substr(start, pos_ - start));
  }
  std::string decode(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      auto semi = raw.find(';', i);
      if (semi == std::string_view::npos) {
        out += raw[i];
        continue;
      }
      std::string_view ent = raw.substr(i + 1, semi - i - 1);
      if (ent == "lt") out += '<';
      else if (ent == "gt") out += '>';
      else if (ent == "amp") out += '&';
      else if (ent == "quot") out += '"';
      else if (ent == "apos") out += '\'';
      else if (!ent.empty() && ent[0] == '#') {
        unsigned long cp = 0;
        try {
          cp = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X') ? std::stoul(std::string(ent.substr(2)), nullptr, 16)
                                                                   : std::stoul(std::string(ent.substr(1)));
        } catch (...) {
          fail("bad character reference");
        }
        appendUtf8(out, cp);
      } else {
        out.append(raw.substr(i, semi - i + 1));
      }
      i = semi;
    }
    return out;
  }
  static void appendUtf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  static std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
  }

  XmlElement element(int depth) {
    if (depth > 200) fail("nesting too deep");
    ++pos_;  // '<'
    XmlElement el;
    el.name = name();
    while (true) {
      skipSpace();
      if (startsWith("/>")) {
        pos_ += 2;
        return el;
      }
      if (peek('>')) {
        ++pos_;
        break;
      }
      std::string attr = name();
      skipSpace();
      if (!peek('=')) fail("expected '=' after attribute " + attr);
      ++pos_;
      skipSpace();
      if (!peek('"') && !peek('\'')) fail("expected a quoted attribute value");
      char q = s_[pos_++];
      auto end = s_.find(q, pos_);
      if (end == std::string_view::npos) fail("unterminated attribute value");
      el.attributes.emplace_back(std::move(attr), decode(s_.substr(pos_, end - pos_)));
      pos_ = end + 1;
    }
    std::string text;
    while (true) {
      if (pos_ >= s_.size()) fail("unterminated element " + el.name);
      if (startsWith("</")) {
        pos_ += 2;
        std::string closing = name();
        if (closing != el.name) fail("mismatched closing tag " + closing + " for " + el.name);
        skipSpace();
        if (!peek('>')) fail("expected '>'");
        ++pos_;
        el.text = trim(text);
        return el;
      }
      if (startsWith("<!--")) {
        skipPast("-->");
      } else if (startsWith("<![CDATA[")) {
        pos_ += 9;
        auto end = s_.find("]]>", pos_);
        if (end == std::string_view::npos) fail("unterminated CDATA");
        text.append(s_.substr(pos_, end - pos_));
        pos_ = end + 3;
      } else if (startsWith("<?")) {
        skipPast("?>");
      } else if (peek('<')) {
        el.children.push_back(element(depth + 1));
      } else {
        auto next = s_.find('<', pos_);
        if (next == std::string_view::npos) next = s_.size();
        text += decode(s_.substr(pos_, next - pos_));
        pos_ = next;
      }
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

const std::string* XmlElement::attribute(std::string_view n) const {
  for (const auto& [k, v] : attributes)
    if (k == n) return &v;
  return nullptr;
}

XmlElement parseXml(std::string_view text) { return Reader(text).document(); }

}  // namespace pactmocks::pact
