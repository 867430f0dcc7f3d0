#include "pact/BodyMatcher.h"


#include <algorithm>

namespace pactmocks::pact {

namespace {

using json = nlohmann::json;
using Path = std::vector<BodySegment>;

// Body locations read like the Mismatch contract: "$.body.a[0].b".
std::string location(const Path& path) {
  std::string out = "$.body";
  for (const auto& s : path) {
    if (s.isIndex) {
      out += "[" + std::to_string(s.index) + "]";
    } else if (s.name.find_first_of(".[]'@# -") != std::string::npos) {
      out += "['" + s.name + "']";
    } else {
      out += "." + s.name;
    }
  }
  return out;
}

std::string valueText(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

bool sameType(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return true;
  return a.type() == b.type();
}

bool isIntegerText(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isDecimalText(std::string_view s) {
  auto dot = s.find('.');
  if (dot == std::string_view::npos) return false;
  std::string_view a = s.substr(0, dot), b = s.substr(dot + 1);
  return (a.empty() || isIntegerText(a) || a == "-") && !b.empty() &&
         std::all_of(b.begin(), b.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const char* typeLabel(const json& v) { return v.is_number() ? "number" : v.type_name(); }

// The rules that apply at one place of a body: the most specific rule for exactly this path,
// or failing that a type matcher of an ancestor (type matchers cascade to children).
struct Resolved {
  const RuleList* rules = nullptr;
  bool cascaded = false;
};

class JsonComparer {
 public:
  JsonComparer(const RuleCategory& rules, MismatchSink& sink) : rules_(rules), sink_(sink) {}

  void compare(const json& e, const json& a, Path& path, const RuleList* override = nullptr) {
    if (sink_.done()) return;
    Resolved r = override ? Resolved{override, false} : resolve(rules_, path);
    if (r.rules && !r.cascaded) {
      std::string reason;
      if (!applyRules(*r.rules, e, a, reason, ValueKind::Json)) {
        sink_.add(Mismatch::Kind::Body, location(path), shortJson(e), shortJson(a), reason);
        return;
      }
      if (e.is_object() && a.is_object()) return compareObject(e, a, path, r.rules);
      if (e.is_array() && a.is_array()) return compareArray(e, a, path, r.rules);
      return;
    }
    if (r.cascaded) {
      if (!sameType(e, a)) {
        sink_.add(Mismatch::Kind::Body, location(path), shortJson(e), shortJson(a),
                  std::string("Expected a ") + typeLabel(e) + " but was a " + typeLabel(a));
        return;
      }
      if (e.is_object()) return compareObject(e, a, path, nullptr);
      if (e.is_array()) return compareArray(e, a, path, r.rules);
      return;
    }
    if (e.is_object() && a.is_object()) return compareObject(e, a, path, nullptr);
    if (e.is_array() && a.is_array()) return compareArray(e, a, path, nullptr);
    if (!sameType(e, a)) {
      sink_.add(Mismatch::Kind::Body, location(path), shortJson(e), shortJson(a),
                std::string("Expected ") + shortJson(e) + " (" + typeLabel(e) + ") but received " + shortJson(a) + " (" +
                    typeLabel(a) + ")");
      return;
    }
    if (e != a) {
      sink_.add(Mismatch::Kind::Body, location(path), shortJson(e), shortJson(a),
                "Expected " + shortJson(e) + " but received " + shortJson(a));
    }
  }

  static Resolved resolve(const RuleCategory& cat, const Path& path) {
    Resolved best;
    std::size_t bestWeight = 0;
    for (const auto& r : cat.rules) {
      std::size_t w = pathWeight(r.path, path, false);
      if (w > bestWeight) {
        bestWeight = w;
        best.rules = &r.rules;
      }
    }
    if (best.rules) return best;
    // Cascade: the deepest ancestor's type matcher.
    std::size_t bestLen = 0;
    for (const auto& r : cat.rules) {
      if (!r.rules.hasTypeLike() || r.path.size() > path.size()) continue;
      std::size_t w = pathWeight(r.path, path, true);
      if (w > 0 && (r.path.size() > bestLen || !best.rules)) {
        bestLen = r.path.size();
        best.rules = &r.rules;
        best.cascaded = true;
      }
    }
    return best;
  }

 private:
  static const Matcher* find(const RuleList* rules, MatcherType t) {
    if (!rules) return nullptr;
    for (const auto& m : rules->matchers)
      if (m.type == t) return &m;
    return nullptr;
  }

  void compareObject(const json& e, const json& a, Path& path, const RuleList* rules) {
    const Matcher* eachKey = find(rules, MatcherType::EachKey);
    const Matcher* eachValue = find(rules, MatcherType::EachValue);
    const bool values = find(rules, MatcherType::Values) != nullptr;
    if (eachKey || eachValue || values) {
      for (const auto& [key, av] : a.items()) {
        if (sink_.done()) return;
        if (eachKey && eachKey->nested) {
          std::string reason;
          if (!applyRules(*eachKey->nested, json(key), json(key), reason)) {
            path.push_back({false, key, 0, false});
            sink_.add(Mismatch::Kind::Body, location(path), "", key, "Key '" + key + "': " + reason);
            path.pop_back();
            continue;
          }
        }
        const json* example = nullptr;
        if (auto it = e.find(key); it != e.end()) example = &*it;
        else if (!e.empty()) example = &*e.begin();
        else if (eachValue && !eachValue->value.is_null()) example = &eachValue->value;
        path.push_back({false, key, 0, false});
        if (eachValue && eachValue->nested && !eachValue->nested->empty()) {
          compare(example ? *example : av, av, path, eachValue->nested.get());
        } else if (example) {
          compare(*example, av, path);
        }
        path.pop_back();
      }
      return;
    }
    for (const auto& [key, ev] : e.items()) {
      if (sink_.done()) return;
      path.push_back({false, key, 0, false});
      auto it = a.find(key);
      if (it == a.end()) {
        sink_.add(Mismatch::Kind::Body, location(path), shortJson(ev), "",
                  "Expected key '" + key + "' but was missing");
      } else {
        compare(ev, *it, path);
      }
      path.pop_back();
    }
    for (const auto& [key, av] : a.items()) {
      if (sink_.done()) return;
      if (!e.contains(key)) {
        path.push_back({false, key, 0, false});
        sink_.add(Mismatch::Kind::Body, location(path), "", shortJson(av),
                  "Unexpected key '" + key + "' in the request body");
        path.pop_back();
      }
    }
  }

  void compareArray(const json& e, const json& a, Path& path, const RuleList* rules) {
    if (const Matcher* contains = find(rules, MatcherType::ArrayContains)) {
      for (const auto& variant : contains->variants) {
        if (sink_.done()) return;
        if (variant.index >= e.size()) continue;
        const json& example = e[variant.index];
        bool found = false;
        for (const auto& item : a) {
          MismatchSink probe{nullptr, true, false};
          static const RuleCategory kNoRules;
          JsonComparer sub(variant.rules ? *variant.rules : kNoRules, probe);
          Path subPath;
          sub.compare(example, item, subPath);
          if (!probe.failed) {
            found = true;
            break;
          }
        }
        if (!found)
          sink_.add(Mismatch::Kind::Body, location(path), shortJson(example), shortJson(a),
                    "Expected an element matching " + shortJson(example) + " in the array");
      }
      return;
    }
    const Matcher* eachValue = find(rules, MatcherType::EachValue);
    const bool typeLike = rules && (rules->hasTypeLike() || eachValue || find(rules, MatcherType::Values));
    if (typeLike) {
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (sink_.done()) return;
        const json* example = i < e.size() ? &e[i] : (e.empty() ? nullptr : &e[0]);
        if (!example && eachValue && !eachValue->value.is_null()) example = &eachValue->value;
        if (!example) continue;
        path.push_back({true, {}, i, false});
        if (eachValue && eachValue->nested && !eachValue->nested->empty()) compare(*example, a[i], path, eachValue->nested.get());
        else compare(*example, a[i], path);
        path.pop_back();
      }
      return;
    }
    if (e.size() != a.size()) {
      sink_.add(Mismatch::Kind::Body, location(path), shortJson(e), shortJson(a),
                "Expected an array of " + std::to_string(e.size()) + " elements but received " +
                    std::to_string(a.size()) + " elements");
      if (sink_.done()) return;
    }
    for (std::size_t i = 0; i < std::min(e.size(), a.size()); ++i) {
      if (sink_.done()) return;
      path.push_back({true, {}, i, false});
      compare(e[i], a[i], path);
      path.pop_back();
    }
  }

  const RuleCategory& rules_;
  MismatchSink& sink_;
};

class XmlComparer {
 public:
  XmlComparer(const RuleCategory& rules, MismatchSink& sink) : rules_(rules), sink_(sink) {}

  void compare(const XmlElement& e, const XmlElement& a, Path& path) {
    if (sink_.done()) return;
    if (e.name != a.name) {
      sink_.add(Mismatch::Kind::Body, location(path), e.name, a.name,
                "Expected element <" + e.name + "> but received <" + a.name + ">");
      return;
    }
    Resolved own = JsonComparer::resolve(rules_, path);
    // A min/max matcher on an element bounds its number of child elements.
    if (own.rules && !own.cascaded) {
      for (const auto& m : own.rules->matchers) {
        if (m.min && a.children.size() < *m.min)
          sink_.add(Mismatch::Kind::Body, location(path), "", "",
                    "Expected at least " + std::to_string(*m.min) + " child elements but received " +
                        std::to_string(a.children.size()));
        if (m.max && a.children.size() > *m.max)
          sink_.add(Mismatch::Kind::Body, location(path), "", "",
                    "Expected at most " + std::to_string(*m.max) + " child elements but received " +
                        std::to_string(a.children.size()));
      }
      if (sink_.done()) return;
    }
    compareAttributes(e, a, path);
    compareText(e, a, path, own);
    compareChildren(e, a, path);
  }

 private:
  static bool isNamespaceDecl(const std::string& name) { return name == "xmlns" || name.rfind("xmlns:", 0) == 0; }

  void compareStrings(const std::string& ev, const std::string& av, Path& path, const Resolved& r, const char* what) {
    if (r.rules && !r.cascaded) {
      std::string reason;
      if (!applyRules(*r.rules, json(ev), json(av), reason))
        sink_.add(Mismatch::Kind::Body, location(path), ev, av, reason);
      return;
    }
    if (r.cascaded) return;  // a cascaded type matcher: text matches text
    if (ev != av)
      sink_.add(Mismatch::Kind::Body, location(path), ev, av,
                std::string("Expected ") + what + " '" + ev + "' but received '" + av + "'");
  }

  void compareAttributes(const XmlElement& e, const XmlElement& a, Path& path) {
    for (const auto& [name, ev] : e.attributes) {
      if (sink_.done()) return;
      if (isNamespaceDecl(name)) continue;
      path.push_back({false, "@" + name, 0, false});
      if (const std::string* av = a.attribute(name)) {
        compareStrings(ev, *av, path, JsonComparer::resolve(rules_, path), "attribute value");
      } else {
        sink_.add(Mismatch::Kind::Body, location(path), ev, "", "Expected attribute '" + name + "' but was missing");
      }
      path.pop_back();
    }
    for (const auto& [name, av] : a.attributes) {
      if (sink_.done()) return;
      if (isNamespaceDecl(name) || e.attribute(name)) continue;
      path.push_back({false, "@" + name, 0, false});
      sink_.add(Mismatch::Kind::Body, location(path), "", av, "Unexpected attribute '" + name + "'");
      path.pop_back();
    }
  }

  void compareText(const XmlElement& e, const XmlElement& a, Path& path, const Resolved& own) {
    if (sink_.done() || (e.text.empty() && a.text.empty())) return;
    path.push_back({false, "#text", 0, false});
    Resolved r = JsonComparer::resolve(rules_, path);
    path.pop_back();
    if (!r.rules || r.cascaded) {
      if (own.rules && !own.cascaded && !own.rules->hasTypeLike()) r = own;
      else if (own.rules) r = Resolved{own.rules, true};
    }
    compareStrings(e.text, a.text, path, r, "text");
  }

  void compareChildren(const XmlElement& e, const XmlElement& a, Path& path) {
    std::vector<std::string> names;
    for (const auto& c : e.children)
      if (std::find(names.begin(), names.end(), c.name) == names.end()) names.push_back(c.name);
    for (const auto& name : names) {
      if (sink_.done()) return;
      std::vector<const XmlElement*> ex, ac;
      for (const auto& c : e.children)
        if (c.name == name) ex.push_back(&c);
      for (const auto& c : a.children)
        if (c.name == name) ac.push_back(&c);
      path.push_back({false, name, 0, false});
      Resolved group = JsonComparer::resolve(rules_, path);
      // Only a type matcher on the element itself makes its repetitions a list matched by
      // example; a matcher on an ancestor bounds the ancestor's children, not this list.
      const bool arrayMode = group.rules && !group.cascaded && group.rules->hasTypeLike();
      if (arrayMode) {
        for (const auto& m : group.rules->matchers) {
          if (m.min && ac.size() < *m.min)
            sink_.add(Mismatch::Kind::Body, location(path), "", "",
                      "Expected at least " + std::to_string(*m.min) + " <" + name + "> elements but received " +
                          std::to_string(ac.size()));
          if (m.max && ac.size() > *m.max)
            sink_.add(Mismatch::Kind::Body, location(path), "", "",
                      "Expected at most " + std::to_string(*m.max) + " <" + name + "> elements but received " +
                          std::to_string(ac.size()));
        }
      } else if (ex.size() != ac.size()) {
        sink_.add(Mismatch::Kind::Body, location(path), std::to_string(ex.size()), std::to_string(ac.size()),
                  "Expected " + std::to_string(ex.size()) + " <" + name + "> elements but received " +
                      std::to_string(ac.size()));
      }
      const std::size_t n = arrayMode ? ac.size() : std::min(ex.size(), ac.size());
      for (std::size_t i = 0; i < n && !sink_.done(); ++i) {
        const XmlElement& example = i < ex.size() ? *ex[i] : *ex[0];
        path.push_back({true, {}, i, true});
        compare(example, *ac[i], path);
        path.pop_back();
      }
      path.pop_back();
    }
    for (const auto& c : a.children) {
      if (sink_.done()) return;
      if (std::find(names.begin(), names.end(), c.name) == names.end()) {
        path.push_back({false, c.name, 0, false});
        sink_.add(Mismatch::Kind::Body, location(path), "", "<" + c.name + ">", "Unexpected element <" + c.name + ">");
        path.pop_back();
      }
    }
  }

  const RuleCategory& rules_;
  MismatchSink& sink_;
};

}  // namespace

void MismatchSink::add(Mismatch::Kind kind, std::string loc, std::string expected, std::string actual,
                       std::string reason) {
  failed = true;
  if (out) out->push_back(Mismatch{kind, std::move(loc), std::move(expected), std::move(actual), std::move(reason)});
}

std::string shortJson(const json& v) {
  // Actual values come from requests (a path can carry any bytes): replaced, never a throw.
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 120) s = s.substr(0, 117) + "...";
  return s;
}

bool applyMatcher(const Matcher& m, const json& e, const json& a, std::string& reason, ValueKind kind) {
  const bool text = kind == ValueKind::Text && a.is_string();
  switch (m.type) {
    case MatcherType::Equality:
      if (a == e) return true;
      reason = "Expected " + shortJson(a) + " to be equal to " + shortJson(e);
      return false;
    case MatcherType::Regex:
      if (a.is_string() || a.is_number() || a.is_boolean()) {
        if (m.regex->fullMatch(valueText(a))) return true;
      }
      reason = "Expected " + shortJson(a) + " to match '" + m.text + "'";
      return false;
    case MatcherType::Type:
    case MatcherType::MinType:
    case MatcherType::MaxType:
    case MatcherType::MinMaxType:
      if (!sameType(e, a)) {
        reason = std::string("Expected ") + shortJson(a) + " (" + typeLabel(a) + ") to be the same type as " + shortJson(e) +
                 " (" + typeLabel(e) + ")";
        return false;
      }
      if (a.is_array()) {
        if (m.min && a.size() < *m.min) {
          reason = "Expected an array with at least " + std::to_string(*m.min) + " elements but received " +
                   std::to_string(a.size());
          return false;
        }
        if (m.max && a.size() > *m.max) {
          reason = "Expected an array with at most " + std::to_string(*m.max) + " elements but received " +
                   std::to_string(a.size());
          return false;
        }
      }
      return true;
    case MatcherType::Include:
      if ((a.is_string() || a.is_number()) && valueText(a).find(m.text) != std::string::npos) return true;
      reason = "Expected " + shortJson(a) + " to include '" + m.text + "'";
      return false;
    case MatcherType::Integer:
      if (a.is_number_integer() || (text && isIntegerText(a.get_ref<const std::string&>()))) return true;
      reason = "Expected " + shortJson(a) + " to be an integer";
      return false;
    case MatcherType::Decimal:
      if (a.is_number_float() || (text && isDecimalText(a.get_ref<const std::string&>()))) return true;
      reason = "Expected " + shortJson(a) + " to be a decimal number";
      return false;
    case MatcherType::Number:
      if (a.is_number() ||
          (text && (isIntegerText(a.get_ref<const std::string&>()) || isDecimalText(a.get_ref<const std::string&>()))))
        return true;
      reason = "Expected " + shortJson(a) + " to be a number";
      return false;
    case MatcherType::Boolean:
      if (a.is_boolean() || (text && (a == "true" || a == "false"))) return true;
      reason = "Expected " + shortJson(a) + " to be a boolean";
      return false;
    case MatcherType::Null:
      if (a.is_null()) return true;
      reason = "Expected " + shortJson(a) + " to be null";
      return false;
    case MatcherType::Date:
    case MatcherType::Time:
    case MatcherType::Timestamp:
      if (a.is_string() && m.regex->fullMatch(a.get_ref<const std::string&>())) return true;
      reason = "Expected " + shortJson(a) + " to match the " + toString(m.type) + " format '" +
               (m.text.empty() ? std::string("ISO 8601") : m.text) + "'";
      return false;
    case MatcherType::NotEmpty:
      if (!a.is_null() && !(a.is_string() && a.get_ref<const std::string&>().empty()) &&
          !((a.is_array() || a.is_object()) && a.empty()))
        return true;
      reason = "Expected " + shortJson(a) + " to be non-empty";
      return false;
    case MatcherType::Semver:
      if (a.is_string() && m.regex->fullMatch(a.get_ref<const std::string&>())) return true;
      reason = "Expected " + shortJson(a) + " to be a semantic version";
      return false;
    case MatcherType::EachKey:
    case MatcherType::EachValue:
    case MatcherType::Values:
    case MatcherType::ArrayContains:
      // Structural: checked while walking objects and arrays.
      if (a.is_object() || a.is_array() || !(e.is_object() || e.is_array())) return true;
      reason = std::string("Expected ") + typeLabel(e) + " but received " + typeLabel(a);
      return false;
    case MatcherType::StatusCode: {
      // Responses only: a status class name or a list of codes.
      if (!a.is_number_integer()) return true;
      const long long code = a.get<long long>();
      bool ok = true;
      if (m.value.is_array()) {
        ok = std::any_of(m.value.begin(), m.value.end(), [&](const json& c) { return c == code; });
      } else if (m.value.is_string()) {
        const std::string& cls = m.value.get_ref<const std::string&>();
        if (cls == "information") ok = code >= 100 && code < 200;
        else if (cls == "success") ok = code >= 200 && code < 300;
        else if (cls == "redirect") ok = code >= 300 && code < 400;
        else if (cls == "clientError") ok = code >= 400 && code < 500;
        else if (cls == "serverError") ok = code >= 500 && code < 600;
        else if (cls == "nonError") ok = code < 400;
        else if (cls == "error") ok = code >= 400;
      } else if (m.value.is_number_integer()) {
        ok = m.value == code;
      }
      if (!ok) reason = "Expected status " + std::to_string(code) + " to be " + shortJson(m.value);
      return ok;
    }
    case MatcherType::ContentType:
      return true;
  }
  return true;
}

bool applyRules(const RuleList& rules, const json& e, const json& a, std::string& reason, ValueKind kind) {
  if (rules.matchers.empty()) {
    if (a == e) return true;
    reason = "Expected " + shortJson(a) + " to be equal to " + shortJson(e);
    return false;
  }
  if (rules.combine == Combine::Or) {
    std::string all;
    for (const auto& m : rules.matchers) {
      std::string r;
      if (applyMatcher(m, e, a, r, kind)) return true;
      if (!all.empty()) all += "; or ";
      all += r;
    }
    reason = all;
    return false;
  }
  for (const auto& m : rules.matchers)
    if (!applyMatcher(m, e, a, reason, kind)) return false;
  return true;
}

void compareJsonBodies(const json& expected, const json& actual, const RuleCategory& rules, MismatchSink& sink) {
  Path path;
  JsonComparer(rules, sink).compare(expected, actual, path);
}

void compareXmlBodies(const XmlElement& expected, const XmlElement& actual, const RuleCategory& rules,
                      MismatchSink& sink) {
  Path path;
  path.push_back({false, expected.name, 0, false});
  XmlComparer(rules, sink).compare(expected, actual, path);
}

}  // namespace pactmocks::pact
