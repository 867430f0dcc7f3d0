#include "pact/PathPatternSegments.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace pactmocks::pact {

namespace {

// One top-level element of a pattern. A plain character stands for itself; anything else
// (classes, groups, '.', escapes like \d, quantified atoms) is opaque. Anchors match no text.
struct Atom {
  enum class Kind { Char, Opaque, Anchor } kind;
  char c = 0;
};

// The index just past the class starting at `i` ('['), or nullopt where it cannot be read safely.
std::optional<std::size_t> skipClass(std::string_view p, std::size_t i) {
  std::size_t j = i + 1;
  if (j < p.size() && p[j] == '^') ++j;
  if (j < p.size() && p[j] == ']') ++j;  // a leading ']' is a member, not the end
  while (j < p.size() && p[j] != ']') {
    if (p[j] == '\\') {
      j += 2;
    } else if (p[j] == '[' && j + 1 < p.size() && p[j + 1] == ':') {
      return std::nullopt;  // [:alpha:] holds a ']' of its own
    } else {
      ++j;
    }
  }
  if (j >= p.size()) return std::nullopt;
  return j + 1;
}

// The index just past the group starting at `i` ('('), or nullopt where it cannot be read safely.
std::optional<std::size_t> skipGroup(std::string_view p, std::size_t i) {
  int depth = 0;
  std::size_t j = i;
  while (j < p.size()) {
    const char c = p[j];
    if (c == '\\') {
      if (j + 1 < p.size() && p[j + 1] == 'Q') return std::nullopt;
      j += 2;
    } else if (c == '[') {
      auto end = skipClass(p, j);
      if (!end) return std::nullopt;
      j = *end;
    } else if (c == '(') {
      ++depth;
      ++j;
    } else if (c == ')') {
      ++j;
      if (--depth == 0) return j;
    } else {
      ++j;
    }
  }
  return std::nullopt;
}

std::optional<std::vector<Atom>> topLevelAtoms(std::string_view p) {
  std::vector<Atom> atoms;
  std::size_t i = 0;
  while (i < p.size()) {
    const char c = p[i];
    switch (c) {
      case '|': return std::nullopt;  // alternatives: no segment is required by all of them
      case ')': return std::nullopt;
      case '\\': {
        if (i + 1 >= p.size()) return std::nullopt;
        const char e = p[i + 1];
        if (e == 'Q' || e == 'E') return std::nullopt;
        // \d, \x41, \pL, \A...: opaque. The rest of a longer escape ({41}, {Greek}) can only add
        // characters to this opaque segment, never a '/', '|' or group.
        atoms.push_back(std::isalnum(static_cast<unsigned char>(e)) ? Atom{Atom::Kind::Opaque} : Atom{Atom::Kind::Char, e});
        i += 2;
        break;
      }
      case '[': {
        auto end = skipClass(p, i);
        if (!end) return std::nullopt;
        atoms.push_back({Atom::Kind::Opaque});
        i = *end;
        break;
      }
      case '(': {
        // Only plain and named groups: (?i) and (?i:...) change how what follows matches.
        if (i + 1 < p.size() && p[i + 1] == '?') {
          const std::string_view head = p.substr(i, 3);
          if (head != "(?:" && head != "(?P" && head != "(?<") return std::nullopt;
        }
        auto end = skipGroup(p, i);
        if (!end) return std::nullopt;
        atoms.push_back({Atom::Kind::Opaque});
        i = *end;
        break;
      }
      case '*':
      case '+':
      case '?':
      case '{':
        // A quantifier makes what it applies to optional or repeated. A '{' that starts no
        // repetition is a literal to RE2; treating it as one here only leaves a segment out.
        if (atoms.empty()) return std::nullopt;
        atoms.back().kind = Atom::Kind::Opaque;
        ++i;
        break;
      case '^':
      case '$':
        atoms.push_back({Atom::Kind::Anchor, c});
        ++i;
        break;
      case '.':
        atoms.push_back({Atom::Kind::Opaque});
        ++i;
        break;
      default:
        atoms.push_back({Atom::Kind::Char, c});
        ++i;
    }
  }
  return atoms;
}

}  // namespace

std::vector<std::string> literalPathSegments(std::string_view pattern) {
  auto atoms = topLevelAtoms(pattern);
  if (!atoms) return {};
  // The top level is one concatenation, so its unquantified '/' characters appear in every match
  // in order, with exactly the characters between them: a plain segment between two of them (or a
  // '/' and the start or end of the whole match) is a segment of every accepted path.
  std::vector<std::string> out;
  std::string segment;
  bool plain = true;
  auto finish = [&] {
    if (plain && !segment.empty() && std::find(out.begin(), out.end(), segment) == out.end()) out.push_back(segment);
    segment.clear();
    plain = true;
  };
  for (std::size_t k = 0; k < atoms->size(); ++k) {
    const Atom& a = (*atoms)[k];
    if (a.kind == Atom::Kind::Char && a.c == '/') {
      finish();
    } else if (a.kind == Atom::Kind::Char) {
      segment += a.c;
    } else if (a.kind == Atom::Kind::Anchor && ((a.c == '^' && k == 0) || (a.c == '$' && k + 1 == atoms->size()))) {
      // the whole-path anchors the full match implies anyway
    } else {
      plain = false;
    }
  }
  finish();
  return out;
}

}  // namespace pactmocks::pact
