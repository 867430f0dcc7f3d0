#include "pact/RegexGenerator.h"

#include <re2/re2.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace pactmocks::pact {

namespace {

struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Node {
  enum class Kind { Chars, Seq, Alt, Repeat } kind = Kind::Seq;
  std::string chars;  // Chars: the set to pick from
  std::vector<std::unique_ptr<Node>> items;
  int min = 1, max = 1;
};

std::string range(char a, char b) {
  std::string s;
  for (int c = a; c <= b; ++c) s += static_cast<char>(c);
  return s;
}
const std::string& digitsSet() {
  static const std::string s = range('0', '9');
  return s;
}
const std::string& wordSet() {
  static const std::string s = range('a', 'z') + range('A', 'Z') + range('0', '9') + "_";
  return s;
}
const std::string& printableSet() {
  static const std::string s = range(' ', '~');
  return s;
}

std::string complement(const std::string& set) {
  std::string out;
  for (char c : printableSet())
    if (set.find(c) == std::string::npos) out += c;
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}
  std::unique_ptr<Node> parse() {
    auto n = alt();
    if (i_ != p_.size()) throw Unsupported("trailing input");
    return n;
  }

 private:
  bool more() const { return i_ < p_.size(); }
  char peek() const { return p_[i_]; }

  std::unique_ptr<Node> alt() {
    auto first = seq();
    if (!more() || peek() != '|') return first;
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::Alt;
    n->items.push_back(std::move(first));
    while (more() && peek() == '|') {
      ++i_;
      n->items.push_back(seq());
    }
    return n;
  }

  std::unique_ptr<Node> seq() {
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::Seq;
    while (more() && peek() != '|' && peek() != ')') {
      auto a = atom();
      if (!a) continue;
      n->items.push_back(quantified(std::move(a)));
    }
    return n;
  }

  int number() {
    std::size_t start = i_;
    while (more() && peek() >= '0' && peek() <= '9') ++i_;
    if (start == i_) throw Unsupported("number expected");
    return std::stoi(std::string(p_.substr(start, i_ - start)));
  }

  std::unique_ptr<Node> quantified(std::unique_ptr<Node> a) {
    if (!more()) return a;
    int min = 1, max = 1;
    char c = peek();
    if (c == '*') min = 0, max = 3, ++i_;
    else if (c == '+') min = 1, max = 4, ++i_;
    else if (c == '?') min = 0, max = 1, ++i_;
    else if (c == '{') {
      ++i_;
      min = number();
      max = min;
      if (more() && peek() == ',') {
        ++i_;
        max = (more() && peek() == '}') ? min + 3 : number();
      }
      if (!more() || peek() != '}') throw Unsupported("bad repetition");
      ++i_;
    } else {
      return a;
    }
    if (more() && (peek() == '?' || peek() == '+')) ++i_;  // lazy / possessive: same strings
    auto r = std::make_unique<Node>();
    r->kind = Node::Kind::Repeat;
    r->min = min;
    r->max = max;
    r->items.push_back(std::move(a));
    return r;
  }

  static std::unique_ptr<Node> chars(std::string set) {
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::Chars;
    n->chars = std::move(set);
    return n;
  }

  std::string escapeSet(char c) {
    switch (c) {
      case 'd': return digitsSet();
      case 'D': return complement(digitsSet());
      case 'w': return wordSet();
      case 'W': return complement(wordSet());
      case 's': return " ";
      case 'S': return complement(" \t\n\r");
      case 'n': return "\n";
      case 't': return "\t";
      case 'r': return "\r";
      default:
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
          throw Unsupported("escape not supported");
        return std::string(1, c);
    }
  }

  std::unique_ptr<Node> atom() {
    char c = p_[i_++];
    switch (c) {
      case '^':
      case '$':
        return nullptr;
      case '.':
        return chars(wordSet());
      case '(': {
        if (more() && peek() == '?') {
          ++i_;
          if (more() && peek() == ':') ++i_;
          else if (more() && (peek() == 'P' || peek() == '<')) {
            while (more() && peek() != '>') ++i_;
            if (!more()) throw Unsupported("bad group");
            ++i_;
          } else {
            throw Unsupported("group flags");
          }
        }
        auto inner = alt();
        if (!more() || peek() != ')') throw Unsupported("unclosed group");
        ++i_;
        return inner;
      }
      case '[':
        return charClass();
      case '\\':
        if (!more()) throw Unsupported("dangling escape");
        if (peek() == 'b' || peek() == 'B' || peek() == 'A' || peek() == 'z') {
          ++i_;
          return nullptr;
        }
        return chars(escapeSet(p_[i_++]));
      case '*':
      case '+':
      case '?':
      case '{':
        throw Unsupported("quantifier without atom");
      default:
        return chars(std::string(1, c));
    }
  }

  std::unique_ptr<Node> charClass() {
    bool negate = false;
    if (more() && peek() == '^') negate = true, ++i_;
    std::string set;
    bool first = true;
    while (more() && (peek() != ']' || first)) {
      first = false;
      char c = p_[i_++];
      if (c == '[' && more() && peek() == ':') throw Unsupported("POSIX class");
      if (c == '\\') {
        if (!more()) throw Unsupported("dangling escape");
        set += escapeSet(p_[i_++]);
        continue;
      }
      if (more() && peek() == '-' && i_ + 1 < p_.size() && p_[i_ + 1] != ']') {
        char hi = p_[i_ + 1];
        if (hi == '\\') throw Unsupported("escaped range end");
        i_ += 2;
        if (hi < c) throw Unsupported("bad range");
        set += range(c, hi);
        continue;
      }
      set += c;
    }
    if (!more()) throw Unsupported("unclosed class");
    ++i_;
    if (negate) set = complement(set);
    if (set.empty()) throw Unsupported("empty class");
    return chars(std::move(set));
  }

  std::string_view p_;
  std::size_t i_ = 0;
};

void emit(const Node& n, std::mt19937_64& rng, std::string& out) {
  switch (n.kind) {
    case Node::Kind::Chars: {
      std::uniform_int_distribution<std::size_t> d(0, n.chars.size() - 1);
      out += n.chars[d(rng)];
      break;
    }
    case Node::Kind::Seq:
      for (const auto& i : n.items) emit(*i, rng, out);
      break;
    case Node::Kind::Alt: {
      std::uniform_int_distribution<std::size_t> d(0, n.items.size() - 1);
      emit(*n.items[d(rng)], rng, out);
      break;
    }
    case Node::Kind::Repeat: {
      std::uniform_int_distribution<int> d(n.min, std::max(n.min, n.max));
      int times = d(rng);
      for (int k = 0; k < times; ++k) emit(*n.items[0], rng, out);
      break;
    }
  }
}

}  // namespace

std::optional<std::string> generateFromRegex(std::string_view pattern, std::mt19937_64& rng, const LazyRegex* compiled) {
  std::unique_ptr<Node> tree;
  try {
    tree = Parser(pattern).parse();
  } catch (const Unsupported&) {
    return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::optional<re2::RE2> own;
  if (!compiled) {
    re2::RE2::Options opts;
    opts.set_log_errors(false);
    own.emplace(std::string(pattern), opts);
    if (!own->ok()) return std::nullopt;
  }
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::string out;
    emit(*tree, rng, out);
    if (compiled ? compiled->fullMatch(out) : re2::RE2::FullMatch(out, *own)) return out;
  }
  return std::nullopt;
}

}  // namespace pactmocks::pact
