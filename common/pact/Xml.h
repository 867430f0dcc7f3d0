#pragma once
// A small XML reader for matching XML bodies: elements, attributes, text (entities decoded,
// CDATA kept); prolog, comments, processing instructions and DOCTYPE are skipped.
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pactmocks::pact {

struct XmlElement {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<XmlElement> children;
  std::string text;  // concatenated character data of this element, trimmed

  const std::string* attribute(std::string_view n) const;
};

class XmlParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The document's root element. Throws XmlParseError.
XmlElement parseXml(std::string_view text);

}  // namespace pactmocks::pact
