#include "pact/RequestMatcher.h"

#include <algorithm>

#include "pact/BodyMatcher.h"

namespace pactmocks::pact {

namespace {

using json = nlohmann::json;

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

std::vector<std::string_view> splitTrim(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto p = s.find(sep, start);
    out.push_back(trim(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start)));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

// Media-type-like values (Content-Type, Accept): the main value must be equal; every expected
// parameter must be present with an equal value (case-insensitive); extra parameters are fine.
bool parameterisedEqual(std::string_view expected, std::string_view actual) {
  auto ev = splitTrim(expected, ',');
  auto av = splitTrim(actual, ',');
  if (ev.size() != av.size()) return false;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    auto ep = splitTrim(ev[i], ';');
    auto ap = splitTrim(av[i], ';');
    if (ep[0] != ap[0]) return false;
    for (std::size_t k = 1; k < ep.size(); ++k) {
      if (ep[k].empty()) continue;
      auto eq = ep[k].find('=');
      std::string_view name = trim(ep[k].substr(0, eq));
      std::string_view value = eq == std::string_view::npos ? std::string_view() : unquote(trim(ep[k].substr(eq + 1)));
      bool found = false;
      for (std::size_t j = 1; j < ap.size() && !found; ++j) {
        auto aeq = ap[j].find('=');
        std::string_view an = trim(ap[j].substr(0, aeq));
        std::string_view avv = aeq == std::string_view::npos ? std::string_view() : unquote(trim(ap[j].substr(aeq + 1)));
        if (http::iequals(an, name)) {
          if (!http::iequals(avv, value)) return false;
          found = true;
        }
      }
      if (!found) return false;
    }
  }
  return true;
}

bool isIgnored(std::span<const std::string> ignored, std::string_view name) {
  return std::any_of(ignored.begin(), ignored.end(), [&](const std::string& n) { return http::iequals(n, name); });
}

std::string_view mediaBase(std::string_view ct) { return trim(ct.substr(0, ct.find(';'))); }

bool isFormMediaType(std::string_view ct) { return lower(mediaBase(ct)) == "application/x-www-form-urlencoded"; }

class Matching {
 public:
  Matching(const RequestSpec& e, const RequestView& a, const MatchOptions& o, std::vector<Mismatch>* out)
      : e_(e), a_(a), o_(o), sink_{out, o.stopAtFirst, false} {}

  bool run() {
    method();
    if (!sink_.done()) path();
    if (!sink_.done()) query();
    if (!sink_.done()) headers();
    if (!sink_.done()) body();
    return !sink_.failed;
  }

 private:
  void method() {
    if (!http::iequals(e_.method, a_.method()))
      sink_.add(Mismatch::Kind::Method, "method", e_.method, std::string(a_.method()),
                "Expected method " + e_.method + " but received " + std::string(a_.method()));
  }

  void path() {
    if (o_.pathRuleConfirmed) return;
    if (!e_.rules->path.empty()) {
      std::string reason;
      if (!applyRules(e_.rules->path.rules.front().rules, json(e_.path), json(a_.path()), reason))
        sink_.add(Mismatch::Kind::Path, "path", e_.path, a_.path(), reason);
      return;
    }
    if (e_.path != a_.path())
      sink_.add(Mismatch::Kind::Path, "path", e_.path, a_.path(),
                "Expected path '" + e_.path + "' but received '" + a_.path() + "'");
  }

  void query() {
    const QuerySpec& expected = *e_.query;
    if (expected.raw) {
      // V1: query strings compare as (decoded) strings.
      std::string ev = decodeComponent(*expected.raw, false);
      std::string av = decodeComponent(a_.rawQuery().value_or(""), false);
      if (ev != av) sink_.add(Mismatch::Kind::Query, "query", ev, av, "Expected query '" + ev + "' but received '" + av + "'");
      return;
    }
    const QueryMap& actual = a_.query();
    for (const auto& [name, evalues] : expected.params) {
      if (sink_.done()) return;
      const std::string loc = "query." + name;
      auto it = actual.find(name);
      if (it == actual.end()) {
        sink_.add(Mismatch::Kind::Query, loc, joinValues(evalues), "",
                  "Expected query parameter '" + name + "' but was missing");
        continue;
      }
      const auto& avalues = it->second;
      if (const RuleList* rules = e_.rules->query.forName(name, false)) {
        for (std::size_t i = 0; i < avalues.size(); ++i) {
          std::string reason;
          const std::string& example = evalues.empty() ? avalues[i] : evalues[std::min(i, evalues.size() - 1)];
          if (!applyRules(*rules, json(example), json(avalues[i]), reason)) {
            sink_.add(Mismatch::Kind::Query, loc, example, avalues[i], reason);
            break;
          }
        }
        for (const auto& m : rules->matchers) {
          if ((m.min && avalues.size() < *m.min) || (m.max && avalues.size() > *m.max))
            sink_.add(Mismatch::Kind::Query, loc, joinValues(evalues), joinValues(avalues),
                      "Query parameter '" + name + "' has " + std::to_string(avalues.size()) + " values");
        }
        continue;
      }
      if (evalues != avalues)
        sink_.add(Mismatch::Kind::Query, loc, joinValues(evalues), joinValues(avalues),
                  "Expected query parameter '" + name + "' = [" + joinValues(evalues) + "] but received [" +
                      joinValues(avalues) + "]");
    }
    for (const auto& [name, avalues] : actual) {
      if (sink_.done()) return;
      if (!expected.find(name))
        sink_.add(Mismatch::Kind::Query, "query." + name, "", joinValues(avalues),
                  "Unexpected query parameter '" + name + "'");
    }
  }

  static std::string joinValues(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
      if (!out.empty()) out += ", ";
      out += s;
    }
    return out;
  }

  void headers() {
    for (const auto& [name, evalue] : e_.headers) {
      if (sink_.done()) return;
      // Built only for a mismatch: this loop runs for every header of every request.
      const auto loc = [&name = name] { return "header." + name; };
      auto actual = a_.header(name);
      if (!actual) {
        sink_.add(Mismatch::Kind::Header, loc(), evalue, "", "Expected header '" + name + "' but was missing");
        continue;
      }
      if (const RuleList* rules = e_.rules->header.forName(name, true)) {
        std::string reason;
        if (!applyRules(*rules, json(evalue), json(*actual), reason)) sink_.add(Mismatch::Kind::Header, loc(), evalue, *actual, reason);
        continue;
      }
      // SDK noise (signatures, dates, user agents): its example value is never the one the SDK sends,
      // so only presence and any rule above are checked.
      if (isIgnored(o_.ignoredHeaders, name)) continue;
      bool equal;
      if (evalue == *actual) {
        equal = true;  // the usual case, decided without splitting either value
      } else if (http::iequals(name, "content-type") || http::iequals(name, "accept")) {
        equal = parameterisedEqual(evalue, *actual);
      } else {
        equal = splitTrim(evalue, ',') == splitTrim(*actual, ',');
      }
      if (!equal)
        sink_.add(Mismatch::Kind::Header, loc(), evalue, *actual,
                  "Expected header '" + name + "' to have value '" + evalue + "' but was '" + *actual + "'");
    }
  }

  std::string expectedContentType() const {
    if (auto own = contentTypeOf(e_.body, e_.headers); !own.empty()) return std::string(own);
    auto ct = a_.firstHeader("Content-Type");
    return ct ? std::string(*ct) : std::string();
  }

  void body() {
    const Body& b = e_.body;
    if (!b.present) return;
    std::string_view actual = a_.body().value_or("");
    if (const Matcher* ct = rootContentTypeMatcher()) {
      // A contentType matcher on the whole body: only the kind of content is checked.
      std::string actualType = lower(mediaBase(a_.firstHeader("Content-Type").value_or("")));
      if (actualType.empty()) actualType = a_.json() ? "application/json" : a_.xml() ? "application/xml" : "text/plain";
      if (actualType != lower(mediaBase(ct->text)))
        sink_.add(Mismatch::Kind::BodyType, "$.body", ct->text, actualType,
                  "Expected a body of type " + ct->text + " but received " + actualType);
      return;
    }
    if (b.value.is_null()) {
      if (!trim(actual).empty() && trim(actual) != "null")
        sink_.add(Mismatch::Kind::Body, "$.body", "", std::string(actual.substr(0, 120)),
                  "Expected an empty body but received " + std::to_string(actual.size()) + " bytes");
      return;
    }
    if (b.isJson) {
      const json* aj = a_.json();
      if (!aj) {
        sink_.add(Mismatch::Kind::BodyType, "$.body", "JSON", std::string(actual.substr(0, 120)),
                  actual.empty() ? "Expected a JSON body but the request has no body"
                                 : "Expected a JSON body but the request body is not valid JSON");
        return;
      }
      compareJsonBodies(b.value, *aj, e_.rules->body, sink_);
      return;
    }
    const std::string& text = b.value.is_string() ? b.value.get_ref<const std::string&>() : emptyString();
    if (text.empty()) {
      if (!trim(actual).empty())
        sink_.add(Mismatch::Kind::Body, "$.body", "", std::string(actual.substr(0, 120)),
                  "Expected an empty body but received " + std::to_string(actual.size()) + " bytes");
      return;
    }
    const std::string ct = expectedContentType();
    if (const XmlElement* ex = b.xml()) {
      const XmlElement* ax = a_.xml();
      if (!ax) {
        sink_.add(Mismatch::Kind::BodyType, "$.body", "XML", std::string(actual.substr(0, 120)),
                  "Expected an XML body but the request body is not well-formed XML");
        return;
      }
      compareXmlBodies(*ex, *ax, e_.rules->body, sink_);
      return;
    }
    if (isFormMediaType(ct)) return formBody(text, actual);
    if (isJsonMediaType(ct) || (!text.empty() && (text[0] == '{' || text[0] == '['))) {
      auto ej = json::parse(text, nullptr, false);
      const json* aj = a_.json();
      if (!ej.is_discarded() && aj) {
        compareJsonBodies(ej, *aj, e_.rules->body, sink_);
        return;
      }
    }
    // Text: a rule on the whole body, else equality.
    for (const auto& r : e_.rules->body.rules) {
      if (r.path.size() == 1) {
        std::string reason;
        if (!applyRules(r.rules, json(text), json(std::string(actual)), reason))
          sink_.add(Mismatch::Kind::Body, "$.body", text, std::string(actual.substr(0, 120)), reason);
        return;
      }
    }
    if (text != actual)
      sink_.add(Mismatch::Kind::Body, "$.body", text, std::string(actual.substr(0, 120)),
                "Expected body '" + text.substr(0, 120) + "' but received '" + std::string(actual.substr(0, 120)) + "'");
  }

  const Matcher* rootContentTypeMatcher() const {
    for (const auto& r : e_.rules->body.rules)
      if (r.path.size() == 1)
        for (const auto& m : r.rules.matchers)
          if (m.type == MatcherType::ContentType) return &m;
    return nullptr;
  }

  void formBody(const std::string& text, std::string_view actual) {
    QueryMap ev = parseQueryString(text), av = parseQueryString(actual);
    for (const auto& [name, evalues] : ev) {
      std::vector<BodySegment> path{{false, name, 0, false}};
      auto it = av.find(name);
      if (it == av.end()) {
        sink_.add(Mismatch::Kind::Body, "$.body." + name, joinValues(evalues), "", "Expected form field '" + name + "' but was missing");
        continue;
      }
      const RuleList* rules = nullptr;
      std::size_t best = 0;
      for (const auto& r : e_.rules->body.rules) {
        std::size_t w = pathWeight(r.path, path, false);
        if (w > best) best = w, rules = &r.rules;
      }
      if (rules) {
        for (std::size_t i = 0; i < it->second.size(); ++i) {
          std::string reason;
          const std::string& example = evalues[std::min(i, evalues.size() - 1)];
          if (!applyRules(*rules, json(example), json(it->second[i]), reason))
            sink_.add(Mismatch::Kind::Body, "$.body." + name, example, it->second[i], reason);
        }
      } else if (evalues != it->second) {
        sink_.add(Mismatch::Kind::Body, "$.body." + name, joinValues(evalues), joinValues(it->second),
                  "Expected form field '" + name + "' = [" + joinValues(evalues) + "] but received [" +
                      joinValues(it->second) + "]");
      }
    }
    for (const auto& [name, values] : av)
      if (!ev.count(name))
        sink_.add(Mismatch::Kind::Body, "$.body." + name, "", joinValues(values), "Unexpected form field '" + name + "'");
  }

  static const std::string& emptyString() {
    static const std::string empty;
    return empty;
  }

  const RequestSpec& e_;
  const RequestView& a_;
  const MatchOptions& o_;
  MismatchSink sink_;
};

}  // namespace

RequestView::RequestView(std::string_view method, std::string path, std::optional<std::string_view> query,
                         HeaderList headers, std::optional<std::string_view> body)
    : method_(method), path_(std::move(path)), query_(query), headers_(headers), body_(body) {}

RequestView RequestView::from(const http::Request& r) {
  std::optional<std::string_view> q;
  if (!r.query.empty() || r.target.find('?') != std::string::npos) q = r.query;
  std::optional<std::string_view> body;
  if (!r.body.empty()) body = r.body;
  std::string path = r.path.find('%') == std::string::npos ? r.path : decodeComponent(r.path, false);
  return RequestView(r.method, std::move(path), q, HeaderList(r.headers.fields()), body);
}

std::optional<std::string> RequestView::header(std::string_view name) const {
  std::optional<std::string> out;
  for (const auto& [n, v] : headers_) {
    if (!http::iequals(n, name)) continue;
    if (!out) out = v;
    else {
      *out += ", ";
      *out += v;
    }
  }
  return out;
}

std::optional<std::string_view> RequestView::firstHeader(std::string_view name) const {
  for (const auto& [n, v] : headers_)
    if (http::iequals(n, name)) return std::string_view(v);
  return std::nullopt;
}

const QueryMap& RequestView::query() const {
  if (!queryMap_) queryMap_ = parseQueryString(query_.value_or(""));
  return *queryMap_;
}

const nlohmann::json* RequestView::json() const {
  if (!jsonTried_) {
    jsonTried_ = true;
    if (body_ && !body_->empty()) {
      auto parsed = nlohmann::json::parse(*body_, nullptr, false);
      if (!parsed.is_discarded()) json_ = std::move(parsed);
    }
  }
  return json_ ? &*json_ : nullptr;
}

const XmlElement* RequestView::xml() const {
  if (!xmlTried_) {
    xmlTried_ = true;
    if (body_ && !body_->empty()) {
      try {
        xml_ = parseXml(*body_);
      } catch (const XmlParseError&) {
      }
    }
  }
  return xml_ ? &*xml_ : nullptr;
}

bool matchRequest(const RequestSpec& expected, const RequestView& actual, const MatchOptions& options,
                  std::vector<Mismatch>* mismatches) {
  return Matching(expected, actual, options, mismatches).run();
}

std::vector<Mismatch> mismatchesOf(const RequestSpec& expected, const RequestView& actual,
                                   std::span<const std::string> ignoredHeaders) {
  std::vector<Mismatch> out;
  MatchOptions o;
  o.ignoredHeaders = ignoredHeaders;
  matchRequest(expected, actual, o, &out);
  return out;
}

bool isJsonMediaType(std::string_view contentType) {
  std::string base = lower(mediaBase(contentType));
  return base == "application/json" || base == "application/x-amz-json-1.1" || base == "application/x-amz-json-1.0" ||
         (base.size() > 5 && base.ends_with("+json"));
}

}  // namespace pactmocks::pact
