#include "pact/PactParser.h"

#include "core/Base64.h"
#include "core/Sha256.h"
#include "core/TextSource.h"

#include <algorithm>
#include <array>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/Message.h"
#include "pact/QueryString.h"
#include "pact/ResponseBuilder.h"
#include "pact/Xml.h"

namespace pactmocks::pact {

namespace {

std::string escapePointer(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// Parsing state: the source name for errors and the spec version of the document.
// Matching rules and generators already parsed in one pact, by their JSON text: identical ones are
// shared (see SharedValue).
struct Interned {
  std::unordered_map<std::string, SharedValue<MatchingRules>> rules;
  std::unordered_map<std::string, SharedValue<Generators>> generators;
};

struct Ctx {
  const std::string& source;
  SpecVersion version;
  RegexCache* regexes = nullptr;
  Interned& interned;

  [[noreturn]] void fail(const std::string& pointer, const std::string& reason) const {
    throw PactParseError(source, pointer, reason);
  }
};

std::string typeName(const nlohmann::json& v) { return v.type_name(); }

std::string optString(const Ctx& ctx, const nlohmann::json& obj, const char* key, const std::string& ptr,
                      std::string fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  if (!it->is_string()) ctx.fail(ptr + "/" + key, std::string("expected a string, found ") + typeName(*it));
  return it->get<std::string>();
}

std::vector<std::pair<std::string, std::string>> parseHeaders(const Ctx& ctx, const nlohmann::json& obj,
                                                              const std::string& ptr) {
  std::vector<std::pair<std::string, std::string>> out;
  auto it = obj.find("headers");
  if (it == obj.end() || it->is_null()) return out;
  if (!it->is_object()) ctx.fail(ptr + "/headers", "expected an object, found " + typeName(*it));
  for (const auto& [name, value] : it->items()) {
    if (value.is_string()) {
      out.emplace_back(name, value.get<std::string>());
    } else if (value.is_array()) {
      std::string joined;
      for (const auto& v : value) {
        if (!v.is_string()) ctx.fail(ptr + "/headers/" + escapePointer(name), "header values must be strings");
        if (!joined.empty()) joined += ", ";
        joined += v.get<std::string>();
      }
      out.emplace_back(name, std::move(joined));
    } else if (value.is_number() || value.is_boolean()) {
      out.emplace_back(name, value.dump());
    } else {
      ctx.fail(ptr + "/headers/" + escapePointer(name), "expected a string, found " + typeName(value));
    }
  }
  return out;
}

std::string headerValue(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  for (const auto& [n, v] : headers)
    if (http::iequals(n, name)) return v;
  return {};
}

std::string base64Decode(const Ctx& ctx, const std::string& ptr, std::string_view in) {
  auto decoded = pactmocks::base64Decode(in);
  if (!decoded) ctx.fail(ptr, "invalid base64 content");
  return std::move(*decoded);
}

bool isJsonContentType(std::string_view ct) {
  auto semi = ct.find(';');
  std::string base(ct.substr(0, semi));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (auto& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return base == "application/json" || base == "application/x-amz-json-1.1" || base == "application/x-amz-json-1.0" ||
         (base.size() > 5 && base.ends_with("+json"));
}

bool isXmlContentType(std::string_view ct, const std::string& content) {
  std::string base(ct.substr(0, ct.find(';')));
  for (auto& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (base.find("xml") != std::string::npos) return true;
  if (!base.empty()) return false;
  auto first = content.find_first_not_of(" \t\r\n");
  return first != std::string::npos && content[first] == '<';
}

Body parseBody(const Ctx& ctx, const nlohmann::json& obj, const std::string& ptr,
               const std::vector<std::pair<std::string, std::string>>& headers) {
  Body body;
  auto it = obj.find("body");
  if (it == obj.end()) return body;
  body.present = true;
  const std::string header = headerValue(headers, "Content-Type");
  std::string_view contentType = header;
  const nlohmann::json* content = &*it;
  if (ctx.version == SpecVersion::V4 && it->is_object() && it->contains("content")) {
    const auto& wrapper = *it;
    content = &wrapper["content"];
    if (auto ct = wrapper.find("contentType"); ct != wrapper.end() && ct->is_string() &&
                                               ct->get_ref<const std::string&>() != header) {
      body.extras.edit().contentType = ct->get<std::string>();
      contentType = body.contentType();
    }
    auto enc = wrapper.find("encoded");
    bool base64 = enc != wrapper.end() && ((enc->is_string() && enc->get<std::string>() == "base64") ||
                                           (enc->is_boolean() && enc->get<bool>()));
    if (enc != wrapper.end() && enc->is_string() && enc->get<std::string>() != "base64" &&
        enc->get<std::string>() != "json")
      ctx.fail(ptr + "/body/encoded", "unsupported encoding '" + enc->get<std::string>() + "'");
    if (base64) {
      if (!content->is_string()) ctx.fail(ptr + "/body/content", "base64 content must be a string");
      body.value = base64Decode(ctx, ptr + "/body/content", content->get<std::string>());
      body.isJson = false;
      return body;
    }
    if (content->is_string() && isJsonContentType(contentType) && !content->get<std::string>().empty()) {
      // V4 may store JSON bodies as a string of JSON.
      auto parsed = nlohmann::json::parse(content->get<std::string>(), nullptr, false);
      if (!parsed.is_discarded()) {
        body.value = std::move(parsed);
        body.isJson = true;
        return body;
      }
    }
  }
  body.value = *content;
  body.isJson = !content->is_string() && !content->is_null();
  if (content->is_string() && isXmlContentType(contentType, content->get<std::string>())) {
    try {
      body.extras.edit().xml = std::make_shared<const XmlElement>(parseXml(content->get<std::string>()));
    } catch (const XmlParseError&) {
      // Not well-formed: compared as text.
    }
  }
  return body;
}

// What parse(ctx, obj, ptr) gives for `obj`'s member `name`: the same value as an earlier identical
// member's in `cache`. A member that is absent or null parses to an empty value, never cached.
template <class T, class Parse>
SharedValue<T> parseInterned(const Ctx& ctx, std::unordered_map<std::string, SharedValue<T>>& cache,
                             const nlohmann::json& obj, const char* name, const std::string& ptr, Parse parse) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return parse(ctx, obj, ptr);
  std::string key = it->dump();
  if (auto found = cache.find(key); found != cache.end()) return found->second;
  SharedValue<T> value = parse(ctx, obj, ptr);
  cache.emplace(std::move(key), value);
  return value;
}

// "/x/y" JSON pointer of a rule category entry.
std::string rulePtr(const std::string& base, const std::string& cat, const std::string& key) {
  return base + "/" + cat + (key.empty() ? "" : "/" + escapePointer(key));
}

// The name in a V2 "$.query.name" / "$.headers['X-Y']" key after the category prefix.
std::string v2Name(std::string_view rest) {
  if (rest.empty()) return {};
  RulePath p = parseRulePath("$" + std::string(rest));
  if (p.size() >= 2 && p[1].kind == PathToken::Kind::Field) return p[1].name;
  return std::string(rest.substr(rest[0] == '.' ? 1 : 0));
}

MatchingRules parseMatchingRules(const Ctx& ctx, const nlohmann::json& obj, const std::string& ptr) {
  MatchingRules rules;
  auto it = obj.find("matchingRules");
  if (it == obj.end() || it->is_null()) return rules;
  const std::string base = ptr + "/matchingRules";
  if (!it->is_object()) ctx.fail(base, "expected an object, found " + typeName(*it));
  bool v2Style = false;
  for (const auto& [key, _] : it->items())
    if (!key.empty() && key[0] == '$') v2Style = true;
  try {
    if (v2Style) {
      for (const auto& [key, value] : it->items()) {
        const std::string p = base + "/" + escapePointer(key);
        try {
          PathRule r;
          r.rules = parseRuleList(value, ctx.regexes);
          if (key == "$.path") {
            rules.path.rules.push_back(std::move(r));
          } else if (key.rfind("$.query", 0) == 0) {
            r.expression = v2Name(std::string_view(key).substr(7));
            rules.query.rules.push_back(std::move(r));
          } else if (key.rfind("$.headers", 0) == 0 || key.rfind("$.header", 0) == 0) {
            std::size_t len = key.rfind("$.headers", 0) == 0 ? 9 : 8;
            r.expression = v2Name(std::string_view(key).substr(len));
            rules.header.rules.push_back(std::move(r));
          } else if (key.rfind("$.body", 0) == 0) {
            r.expression = "$" + key.substr(6);
            r.path = parseRulePath(r.expression);
            rules.body.rules.push_back(std::move(r));
          } else if (key == "$.status") {
            rules.status.rules.push_back(std::move(r));
          }
          // Other keys address nothing a request has: ignored.
        } catch (const std::invalid_argument& e) {
          ctx.fail(p, e.what());
        }
      }
      return rules;
    }
    for (const auto& [cat, value] : it->items()) {
      const std::string cp = base + "/" + escapePointer(cat);
      if (!value.is_object()) ctx.fail(cp, "expected an object, found " + typeName(value));
      if (cat == "path" || cat == "status" || cat == "method") {
        if (cat == "method") continue;
        try {
          PathRule r;
          if (value.contains("matchers") || value.contains("match")) {
            r.rules = parseRuleList(value, ctx.regexes);
          } else if (!value.empty()) {
            // Some writers key the path rule by an expression: {"path": {"$": {...}}}.
            r.rules = parseRuleList(value.begin().value(), ctx.regexes);
          } else {
            continue;
          }
          (cat == "path" ? rules.path : rules.status).rules.push_back(std::move(r));
        } catch (const std::invalid_argument& e) {
          ctx.fail(cp, e.what());
        }
      } else if (cat == "query" || cat == "header" || cat == "headers" || cat == "body") {
        RuleCategory& target = cat == "query" ? rules.query : cat == "body" ? rules.body : rules.header;
        for (const auto& [key, rv] : value.items()) {
          try {
            PathRule r;
            r.expression = key;
            if (cat == "body") {
              r.path = parseRulePath(key);
            } else if (!key.empty() && key[0] == '$') {
              r.expression = v2Name(std::string_view(key).substr(1));
            }
            r.rules = parseRuleList(rv, ctx.regexes);
            target.rules.push_back(std::move(r));
          } catch (const std::invalid_argument& e) {
            ctx.fail(rulePtr(base, cat, key), e.what());
          }
        }
      }
      // Unknown categories (e.g. "metadata" of messages) are ignored.
    }
  } catch (const PactParseError&) {
    throw;
  }
  return rules;
}

Generators parseGenerators(const Ctx& ctx, const nlohmann::json& obj, const std::string& ptr) {
  Generators gens;
  auto it = obj.find("generators");
  if (it == obj.end() || it->is_null()) return gens;
  const std::string base = ptr + "/generators";
  if (!it->is_object()) ctx.fail(base, "expected an object, found " + typeName(*it));
  for (const auto& [cat, value] : it->items()) {
    const std::string cp = base + "/" + escapePointer(cat);
    if (!value.is_object()) ctx.fail(cp, "expected an object, found " + typeName(value));
    try {
      if (cat == "path" || cat == "status") {
        GeneratorEntry e;
        e.generator = parseGenerator(value.contains("type") ? value : value.begin().value(), ctx.regexes);
        (cat == "path" ? gens.path : gens.status).push_back(std::move(e));
        continue;
      }
      std::vector<GeneratorEntry>* target = cat == "body" ? &gens.body
                                            : cat == "header" || cat == "headers" ? &gens.header
                                            : cat == "query" ? &gens.query
                                                             : nullptr;
      if (!target) continue;
      for (const auto& [key, g] : value.items()) {
        try {
          GeneratorEntry e;
          e.expression = key;
          if (cat == "body") e.path = parseRulePath(key);
          e.generator = parseGenerator(g, ctx.regexes);
          target->push_back(std::move(e));
        } catch (const std::invalid_argument& ex) {
          ctx.fail(cp + "/" + escapePointer(key), ex.what());
        }
      }
    } catch (const std::invalid_argument& ex) {
      ctx.fail(cp, ex.what());
    }
  }
  return gens;
}

void parseQuery(const Ctx& ctx, const nlohmann::json& req, const std::string& ptr, RequestSpec& spec) {
  auto it = req.find("query");
  if (it == req.end() || it->is_null()) return;
  QuerySpec query;
  // A map while parsing (repeated names merge), a sorted list once done.
  auto keep = [&](QueryMap params) {
    query.params.assign(std::make_move_iterator(params.begin()), std::make_move_iterator(params.end()));
    spec.query = std::move(query);
  };
  if (it->is_string()) {
    const std::string raw = it->get<std::string>();
    if (ctx.version == SpecVersion::V1) query.raw = raw;
    return keep(parseQueryString(raw));
  }
  QueryMap params;
  if (!it->is_object()) ctx.fail(ptr + "/query", "expected a string or an object, found " + typeName(*it));
  for (const auto& [name, values] : it->items()) {
    auto& list = params[name];
    if (values.is_string()) {
      list.push_back(values.get<std::string>());
    } else if (values.is_array()) {
      for (const auto& v : values) {
        if (v.is_string()) list.push_back(v.get<std::string>());
        else if (v.is_null()) list.emplace_back();
        else ctx.fail(ptr + "/query/" + escapePointer(name), "query values must be strings");
      }
    } else {
      ctx.fail(ptr + "/query/" + escapePointer(name), "expected a string or an array of strings, found " + typeName(values));
    }
  }
  keep(std::move(params));
}

RequestSpec parseRequest(const Ctx& ctx, const nlohmann::json& req, const std::string& ptr) {
  if (!req.is_object()) ctx.fail(ptr, "expected an object, found " + typeName(req));
  RequestSpec spec;
  spec.method = optString(ctx, req, "method", ptr, "GET");
  for (auto& c : spec.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  spec.path = optString(ctx, req, "path", ptr, "/");
  parseQuery(ctx, req, ptr, spec);
  spec.headers = parseHeaders(ctx, req, ptr);
  spec.body = parseBody(ctx, req, ptr, spec.headers);
  spec.rules = parseInterned(ctx, ctx.interned.rules, req, "matchingRules", ptr, parseMatchingRules);
  (void)parseGenerators(ctx, req, ptr);  // validated, not kept: see RequestSpec
  return spec;
}

ResponseSpec parseResponse(const Ctx& ctx, const nlohmann::json& res, const std::string& ptr) {
  if (!res.is_object()) ctx.fail(ptr, "expected an object, found " + typeName(res));
  ResponseSpec spec;
  if (auto it = res.find("status"); it != res.end() && !it->is_null()) {
    if (!it->is_number_integer()) ctx.fail(ptr + "/status", "expected an integer, found " + typeName(*it));
    spec.status = it->get<int>();
    if (spec.status < 100 || spec.status > 599) ctx.fail(ptr + "/status", "not an HTTP status: " + it->dump());
  }
  spec.headers = parseHeaders(ctx, res, ptr);
  spec.body = parseBody(ctx, res, ptr, spec.headers);
  (void)parseMatchingRules(ctx, res, ptr);  // validated, not kept: see ResponseSpec
  spec.generators = parseInterned(ctx, ctx.interned.generators, res, "generators", ptr, parseGenerators);
  const Generators& generators = *spec.generators;
  if (spec.body.present && spec.body.isJson && !spec.body.value.is_null()) {
    if (generators.body.empty()) {
      spec.serializedJsonBody = spec.body.value.dump();
      spec.body.value = nullptr;
    } else if (auto serialized = serializeWithSlots(spec.body.value, generators.body)) {
      spec.serializedJsonBody = std::move(serialized->text);
      spec.generatedSlots = std::move(serialized->slots);
      spec.body.value = nullptr;
    }
  }
  return spec;
}

std::vector<ProviderState> parseProviderStates(const Ctx& ctx, const nlohmann::json& in, const std::string& ptr) {
  std::vector<ProviderState> out;
  if (auto it = in.find("providerStates"); it != in.end() && !it->is_null()) {
    if (!it->is_array()) ctx.fail(ptr + "/providerStates", "expected an array, found " + typeName(*it));
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& s = (*it)[i];
      const std::string sp = ptr + "/providerStates/" + std::to_string(i);
      if (s.is_string()) {
        out.push_back({s.get<std::string>(), nlohmann::json::object()});
        continue;
      }
      if (!s.is_object()) ctx.fail(sp, "expected an object, found " + typeName(s));
      ProviderState state;
      state.name = optString(ctx, s, "name", sp, "");
      if (auto p = s.find("params"); p != s.end() && !p->is_null()) {
        if (!p->is_object()) ctx.fail(sp + "/params", "expected an object, found " + typeName(*p));
        state.params = *p;
      }
      out.push_back(std::move(state));
    }
  } else if (auto ps = in.find("providerState"); ps != in.end() && !ps->is_null()) {
    if (!ps->is_string()) ctx.fail(ptr + "/providerState", "expected a string, found " + typeName(*ps));
    out.push_back({ps->get<std::string>(), nlohmann::json::object()});
  } else if (auto ps2 = in.find("provider_state"); ps2 != in.end() && ps2->is_string()) {
    out.push_back({ps2->get<std::string>(), nlohmann::json::object()});
  }
  return out;
}

std::optional<SpecVersion> versionFromString(std::string v) {
  if (v.empty()) return std::nullopt;
  if (v[0] == 'v' || v[0] == 'V') v.erase(0, 1);
  if (v.rfind("1.1", 0) == 0) return SpecVersion::V1_1;
  if (v[0] == '1') return SpecVersion::V1;
  if (v[0] == '2') return SpecVersion::V2;
  if (v[0] == '3') return SpecVersion::V3;
  if (v[0] == '4') return SpecVersion::V4;
  return std::nullopt;
}

// The version the metadata declares, if it declares one (an unknown one is an error).
std::optional<SpecVersion> declaredVersion(const std::string& source, const nlohmann::json& doc) {
  auto meta = doc.find("metadata");
  if (meta == doc.end() || !meta->is_object()) return std::nullopt;
  for (const char* key : {"pactSpecification", "pact-specification"}) {
    auto s = meta->find(key);
    if (s != meta->end() && s->is_object()) {
      auto v = s->find("version");
      if (v != s->end() && v->is_string()) {
        if (auto parsed = versionFromString(v->get<std::string>())) return *parsed;
        throw PactParseError(source, std::string("/metadata/") + key + "/version",
                             "unknown specification version '" + v->get<std::string>() + "'");
      }
    }
  }
  if (auto v = meta->find("pactSpecificationVersion"); v != meta->end() && v->is_string()) {
    if (auto parsed = versionFromString(v->get<std::string>())) return *parsed;
    throw PactParseError(source, "/metadata/pactSpecificationVersion",
                         "unknown specification version '" + v->get<std::string>() + "'");
  }
  return std::nullopt;
}

// No declared version: the first interaction with a V3/V4 feature decides, else V2.
struct ShapeHints {
  bool hasType = false, hasProviderStates = false, queryIsObject = false;
  std::optional<SpecVersion> version() const {
    if (hasType) return SpecVersion::V4;
    if (hasProviderStates || queryIsObject) return SpecVersion::V3;
    return std::nullopt;
  }
};

SpecVersion guessedVersion(const nlohmann::json& doc) {
  auto it = doc.find("interactions");
  if (it == doc.end() || !it->is_array()) return SpecVersion::V2;
  for (const auto& i : *it) {
    if (!i.is_object()) continue;
    ShapeHints hints;
    hints.hasType = i.contains("type");
    hints.hasProviderStates = i.contains("providerStates");
    if (auto r = i.find("request"); r != i.end() && r->is_object()) {
      if (auto q = r->find("query"); q != r->end() && q->is_object()) hints.queryIsObject = true;
    }
    if (auto v = hints.version()) return *v;
  }
  return SpecVersion::V2;
}

std::string requireName(const std::string& source, const nlohmann::json& doc, const char* role) {
  auto it = doc.find(role);
  const std::string ptr = std::string("/") + role;
  if (it == doc.end() || !it->is_object()) throw PactParseError(source, ptr, std::string("missing ") + role + " object");
  auto n = it->find("name");
  if (n == it->end() || !n->is_string() || n->get<std::string>().empty())
    throw PactParseError(source, ptr + "/name", std::string("missing ") + role + ".name");
  return n->get<std::string>();
}

}  // namespace

PactParseError::PactParseError(std::string source, std::string pointer, std::string reason)
    : std::runtime_error(source + (pointer.empty() ? "" : " at " + pointer) + ": " + reason),
      source_(std::move(source)),
      pointer_(std::move(pointer)),
      reason_(std::move(reason)) {}

namespace {

// One interaction of the document's `interactions` array, at index `i`, into `pact`.
void parseInteraction(const Ctx& ctx, const nlohmann::json& in, std::size_t i, Pact& pact,
                      const std::array<unsigned char, 16>& textDigest = {}) {
  const std::string ptr = "/interactions/" + std::to_string(i);
  if (!in.is_object()) ctx.fail(ptr, "expected an object, found " + typeName(in));
  if (auto t = in.find("type"); t != in.end()) {
    if (!t->is_string()) ctx.fail(ptr + "/type", "expected a string, found " + typeName(*t));
    if (t->get<std::string>() != "Synchronous/HTTP") {
      pact.notes.push_back("skipped interaction " + std::to_string(i) + " ('" + optString(ctx, in, "description", ptr, "") +
                           "') of type " + t->get<std::string>() + ": only HTTP interactions are served");
      return;
    }
  }
  Interaction interaction;
  interaction.description = optString(ctx, in, "description", ptr, "");
  interaction.providerStates = parseProviderStates(ctx, in, ptr);
  auto req = in.find("request");
  if (req == in.end()) ctx.fail(ptr + "/request", "missing request");
  interaction.request = parseRequest(ctx, *req, ptr + "/request");
  auto res = in.find("response");
  if (res == in.end()) ctx.fail(ptr + "/response", "missing response");
  interaction.response = parseResponse(ctx, *res, ptr + "/response");
  interaction.textDigest = textDigest;
  pact.interactions.push_back(std::move(interaction));
}

// The document minus its interactions: names and metadata, checked as parseDocument checks them.
Pact pactHeader(const nlohmann::json& doc, const std::string& source, SpecVersion version) {
  if (!doc.is_object()) throw PactParseError(source, "", "a pact must be a JSON object, found " + typeName(doc));
  Pact pact;
  pact.source = source;
  pact.consumer = requireName(source, doc, "consumer");
  pact.provider = requireName(source, doc, "provider");
  pact.specVersion = version;
  return pact;
}

Pact parseDocument(const nlohmann::json& doc, const std::string& source) {
  Pact pact = pactHeader(doc, source, SpecVersion::V2);  // checks that it is an object
  pact.specVersion = declaredVersion(source, doc).value_or(guessedVersion(doc));
  RegexCache regexes;
  Interned interned;
  const Ctx ctx{source, pact.specVersion, &regexes, interned};
  auto it = doc.find("interactions");
  if (it == doc.end()) ctx.fail("/interactions", "no interactions array");
  if (!it->is_array()) ctx.fail("/interactions", "expected an array, found " + typeName(*it));
  // Exact size: an interaction is ~1 KiB, so growth by doubling would waste up to half of the
  // model's largest block (6 MiB at 10,000 interactions).
  pact.interactions.reserve(it->size());
  for (std::size_t i = 0; i < it->size(); ++i) parseInteraction(ctx, (*it)[i], i, pact);
  pact.interactions.shrink_to_fit();  // skipped (non-HTTP) interactions
  return pact;
}

// The text is read twice so that no document of the whole file ever exists (a 10,000-interaction
// pact is ~9 MiB of text but several times that as a JSON tree): the first pass keeps everything
// but the interactions, whose elements are dropped unread after noting the shape hints that
// guessedVersion needs when the metadata declares no version (pact writers put the metadata after
// the interactions); the second builds one interaction's tree at a time and parses it.
using Event = nlohmann::json::parse_event_t;
// Parsed interactions are copied in batches of this many (InteractionList::relayout), so that each
// lies in one stretch of the heap rather than among its element tree's freed nodes. At 10,000
// interactions that serves 7-15 % more requests per second and takes 0.6-1.8 MiB off idle; the
// batch bounds what the copies add to the load peak (copying the whole pact at once raised it by
// 18 MiB).
constexpr std::size_t kRelayoutBatch = 256;
constexpr int kTopKeys = 1;      // depth of the document's own keys
constexpr int kInteraction = 2;  // depth of an element of `interactions`

bool endsValue(Event event) {
  return event == Event::object_end || event == Event::array_end || event == Event::value;
}

struct HeaderPass {
  bool inInteractions = false;  // the current top-level key is "interactions"
  bool interactionsIsArray = false;
  std::size_t interactions = 0;
  ShapeHints element;                // hints of the element being read
  bool underRequest = false, queryKey = false;
  std::optional<SpecVersion> guess;  // of the first element with a hint

  bool operator()(int depth, Event event, nlohmann::json& parsed) {
    if (event == Event::key && depth == kTopKeys) {
      inInteractions = parsed == "interactions";
      if (inInteractions) {  // a repeated key: the last array counts
        *this = HeaderPass{};
        inInteractions = true;
      }
      return true;
    }
    if (!inInteractions || depth < kTopKeys) return true;
    if (depth == kTopKeys) {
      if (event == Event::array_start) interactionsIsArray = true;
      else if (event == Event::object_start || event == Event::value) interactionsIsArray = false;
      return true;
    }
    if (depth == kInteraction) {
      if (!endsValue(event)) return event != Event::key;  // keep the element open to see its end
      ++interactions;
      if (!guess && event == Event::object_end) guess = element.version();
      element = {};
      return false;
    }
    // Inside an element: note the hints, keep nothing.
    if (event == Event::key && depth == kInteraction + 1) {
      underRequest = parsed == "request";
      element.hasType = element.hasType || parsed == "type";
      element.hasProviderStates = element.hasProviderStates || parsed == "providerStates";
    } else if (event == Event::key && depth == kInteraction + 2) {
      queryKey = underRequest && parsed == "query";
    } else if (event == Event::object_start && depth == kInteraction + 2 && queryKey) {
      element.queryIsObject = true;
    }
    return false;
  }
};

using TextDigest = std::array<unsigned char, 16>;

TextDigest digestOf(std::string_view text) {
  const auto full = sha256(text);
  TextDigest out{};
  std::copy_n(full.begin(), out.size(), out.begin());
  return out;
}

// The interactions of the previous parse of the same pact, by text digest, each handed out once.
// Only under the same specification version: the same text means another thing under another.
class KeptInteractions {
 public:
  KeptInteractions(const Pact* previous, SpecVersion version) {
    if (!previous || previous->specVersion != version) return;
    kept_.reserve(previous->interactions.size());
    for (std::size_t i = 0; i < previous->interactions.size(); ++i) {
      const auto& shared = previous->interactions.shared(i);
      if (shared->textDigest != TextDigest{}) kept_.push_back({shared->textDigest, shared});
    }
    std::stable_sort(kept_.begin(), kept_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  // The unchanged interaction of this text, or null.
  std::shared_ptr<const Interaction> take(const TextDigest& digest) {
    auto it = std::lower_bound(kept_.begin(), kept_.end(), digest,
                               [](const auto& entry, const TextDigest& d) { return entry.first < d; });
    for (; it != kept_.end() && it->first == digest; ++it)
      if (it->second) return std::exchange(it->second, nullptr);
    return nullptr;
  }
  bool empty() const { return kept_.empty(); }

 private:
  std::vector<std::pair<TextDigest, std::shared_ptr<const Interaction>>> kept_;
};

}  // namespace

Pact parsePact(std::string_view jsonText, const std::string& source, const Pact* previous) {
  return parsePact(TextSource::inMemory(jsonText), source, previous);
}

namespace {
// A failed read ends the text early, so a parse error after it is about the end of the input: the
// read's error is the one to report.
void throwIfReadFailed(const std::string& source, const TextReader& reader) {
  if (!reader.error().empty()) throw PactParseError(source, "", "cannot read: " + reader.error());
}

// One pass of the JSON parser over the text, with `callback`.
template <class Callback>
void parsePass(const std::string& source, TextReader& reader, nlohmann::json& out, Callback&& callback) {
  try {
    out = nlohmann::json::parse(reader.begin(), reader.end(), std::forward<Callback>(callback));
  } catch (const nlohmann::json::parse_error& e) {
    throwIfReadFailed(source, reader);
    throw PactParseError(source, "", std::string("not valid JSON: ") + e.what());
  }
  throwIfReadFailed(source, reader);
}
}  // namespace

Pact parsePact(const TextSource& text, const std::string& source, const Pact* previous) {
  HeaderPass scan;
  nlohmann::json header;
  {
    TextReader reader(text);
    parsePass(source, reader, header, std::ref(scan));
  }
  try {
    Pact pact = pactHeader(header, source, SpecVersion::V2);
    pact.specVersion = declaredVersion(source, header).value_or(scan.guess.value_or(SpecVersion::V2));
    RegexCache regexes;
    Interned interned;
    const Ctx ctx{source, pact.specVersion, &regexes, interned};
    auto it = header.find("interactions");
    if (it == header.end()) ctx.fail("/interactions", "no interactions array");
    if (!scan.interactionsIsArray) ctx.fail("/interactions", "expected an array, found " + typeName(*it));
    header = nullptr;
    pact.interactions.reserve(scan.interactions);  // exact: see parseDocument

    KeptInteractions kept(previous, pact.specVersion);
    // The lexer never reads past a closing brace (it reads ahead only after numbers and literals), so
    // an object's events fall right after its `{` and its `}`: the element's text is captured between.
    TextReader reader(text);
    bool inInteractions = false;
    std::size_t index = 0;
    std::size_t laidOut = 0;  // interactions before this one are relaid out (see below)
    auto each = [&](int depth, Event event, nlohmann::json& parsed) {
      if (event == Event::key && depth == kTopKeys) {
        inInteractions = parsed == "interactions";
        if (inInteractions) {  // a repeated key: the last array counts, as in a document
          index = 0;
          laidOut = 0;
          pact.interactions.clear();
          pact.notes.clear();
        }
        return inInteractions;  // the rest was read by the first pass
      }
      if (!inInteractions || depth != kInteraction) return true;
      if (event == Event::object_start && pact.interactions.size() - laidOut >= kRelayoutBatch) {
        pact.interactions.relayout(laidOut);  // the batch's element trees are freed by now
        laidOut = pact.interactions.size();
      }
      if (event == Event::object_start) reader.startCapture();  // at its `{`
      if (!endsValue(event)) return true;
      TextDigest digest{};
      if (event == Event::object_end && reader.capturing()) {
        digest = digestOf(reader.takeCapture());
        if (auto same = kept.take(digest)) {
          pact.interactions.push_back(std::move(same));  // unchanged since the previous parse
          ++index;
          return false;
        }
      }
      parseInteraction(ctx, parsed, index++, pact, digest);
      return false;  // done with this element's tree
    };
    // What is left of the document (its interactions were taken out one by one) is not needed.
    nlohmann::json rest;
    parsePass(source, reader, rest, std::ref(each));
    pact.interactions.relayout(laidOut);
    pact.interactions.shrink_to_fit();  // skipped (non-HTTP) interactions
    return pact;
  } catch (const PactParseError&) {
    throw;
  } catch (const std::exception& e) {
    throw PactParseError(source, "", std::string("invalid pact: ") + e.what());
  }
}

Pact parsePact(const nlohmann::json& doc, const std::string& source) {
  try {
    return parseDocument(doc, source);
  } catch (const PactParseError&) {
    throw;
  } catch (const std::exception& e) {
    // Anything unforeseen in a hostile document is still a parse error naming the source.
    throw PactParseError(source, "", std::string("invalid pact: ") + e.what());
  }
}

RequestSpec parseRequestSpec(const nlohmann::json& request, SpecVersion version, const std::string& source) {
  Interned interned;  // one request: nothing to share
  const Ctx ctx{source, version, nullptr, interned};
  try {
    return parseRequest(ctx, request, "");
  } catch (const PactParseError&) {
    throw;
  } catch (const std::exception& e) {
    throw PactParseError(source, "", std::string("invalid request: ") + e.what());
  }
}

}  // namespace pactmocks::pact
