#include "pact/ResponseBuilder.h"

#include <chrono>
#include <random>

#include <nlohmann/json.hpp>

#include "pact/DateFormat.h"
#include "pact/GeneratorValue.h"
#include "pact/RegexGenerator.h"

namespace pactmocks::pact {

namespace {

using json = nlohmann::json;

long long intField(const json& c, const char* key, long long fallback) {
  auto it = c.find(key);
  return it != c.end() && it->is_number_integer() ? it->get<long long>() : fallback;
}

std::string strField(const json& c, const char* key) {
  auto it = c.find(key);
  return it != c.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string randomFrom(std::string_view alphabet, std::size_t n, std::mt19937_64& rng) {
  std::uniform_int_distribution<std::size_t> d(0, alphabet.size() - 1);
  std::string out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out += alphabet[d(rng)];
  return out;
}

// Replaces ${name} with provider-state params. Returns nullopt when a name is unknown.
std::optional<json> providerStateValue(const std::string& expression, const json& params) {
  if (expression.size() > 3 && expression.rfind("${", 0) == 0 && expression.back() == '}' &&
      expression.find("${", 2) == std::string::npos) {
    auto it = params.find(expression.substr(2, expression.size() - 3));
    if (it == params.end()) return std::nullopt;
    return *it;  // the whole value keeps its JSON type
  }
  std::string out;
  std::size_t pos = 0;
  while (true) {
    auto start = expression.find("${", pos);
    if (start == std::string::npos) {
      out += expression.substr(pos);
      break;
    }
    auto end = expression.find('}', start);
    if (end == std::string::npos) return std::nullopt;
    out += expression.substr(pos, start - pos);
    auto it = params.find(expression.substr(start + 2, end - start - 2));
    if (it == params.end()) return std::nullopt;
    out += it->is_string() ? it->get<std::string>() : it->dump();
    pos = end + 1;
  }
  return json(out);
}

json castTo(const json& value, const std::string& dataType) {
  if (!value.is_string()) return value;
  const std::string& s = value.get_ref<const std::string&>();
  try {
    if (dataType == "INTEGER") return json(std::stoll(s));
    if (dataType == "DECIMAL" || dataType == "FLOAT") return json(std::stod(s));
    if (dataType == "BOOLEAN") return json(s == "true");
  } catch (const std::exception&) {
  }
  return value;
}


void applyAt(json& node, std::vector<BodySegment>& path, const GeneratorEntry& g, const json& example,
             const GenerationInputs& in) {
  if (pathWeight(g.path, path, false) > 0) {
    if (auto v = generateValue(g.generator, node, in)) node = std::move(*v);
    return;
  }
  if (node.is_object()) {
    for (auto& [k, v] : node.items()) {
      path.push_back({false, k, 0, false});
      applyAt(v, path, g, example, in);
      path.pop_back();
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      path.push_back({true, {}, i, false});
      applyAt(node[i], path, g, example, in);
      path.pop_back();
    }
  }
}

// A string no contract value is expected to hold; a body that holds one anyway is caught by the
// count of its occurrences in serializeWithSlots and served from its tree.
constexpr std::string_view kSlotMarker = "\x01pact-mocks generated slot ";

bool isMarker(const json& node) {
  return node.is_string() && node.get_ref<const std::string&>().rfind(kSlotMarker, 0) == 0;
}

bool holdsMarker(const json& node) {
  if (isMarker(node)) return true;
  if (node.is_structured())
    for (const auto& v : node) if (holdsMarker(v)) return true;
  return false;
}

// Calls f(node) for each value generator `g` replaces in `node`, as applyAt visits them. Sets
// `overlap` when `g` would reach inside a value an earlier generator fills: a generated value
// may be an object (a provider-state param), so only the tree can tell what happens there.
template <typename F>
void forEachTarget(json& node, std::vector<BodySegment>& path, const GeneratorEntry& g, bool& overlap, F&& f) {
  if (pathWeight(g.path, path, false) > 0) {
    if (holdsMarker(node)) overlap = true;
    else f(node);
    return;
  }
  if (isMarker(node) && g.path.size() > path.size() + 1 &&
      pathWeight(RulePath(g.path.begin(), g.path.begin() + static_cast<std::ptrdiff_t>(path.size() + 1)), path, false) > 0) {
    overlap = true;
    return;
  }
  if (node.is_object()) {
    for (auto& [k, v] : node.items()) {
      path.push_back({false, k, 0, false});
      forEachTarget(v, path, g, overlap, f);
      path.pop_back();
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      path.push_back({true, {}, i, false});
      forEachTarget(node[i], path, g, overlap, f);
      path.pop_back();
    }
  }
}

}  // namespace

std::optional<SerializedBody> serializeWithSlots(const json& body, const std::vector<GeneratorEntry>& generators) {
  json marked = body;
  std::vector<GeneratedSlot> slots;
  bool overlap = false;
  for (std::size_t gi = 0; gi < generators.size() && !overlap; ++gi) {
    std::vector<BodySegment> path;
    forEachTarget(marked, path, generators[gi], overlap, [&](json& node) {
      slots.push_back({.offset = 0, .generator = gi, .example = node});
      node = std::string(kSlotMarker) + std::to_string(slots.size() - 1);
    });
  }
  if (overlap) return std::nullopt;
  const std::string text = marked.dump();
  // Each marker's serialized form (quotes included) must occur exactly once; then cut it out.
  std::vector<std::pair<std::size_t, std::size_t>> cuts;  // (position, length) by slot
  for (std::size_t k = 0; k < slots.size(); ++k) {
    const std::string needle = json(std::string(kSlotMarker) + std::to_string(k)).dump();
    const auto at = text.find(needle);
    if (at == std::string::npos || text.find(needle, at + 1) != std::string::npos) return std::nullopt;
    cuts.emplace_back(at, needle.size());
  }
  std::vector<std::size_t> order(slots.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cuts[a].first < cuts[b].first; });
  SerializedBody out;
  std::size_t from = 0;
  for (std::size_t k : order) {
    out.text.append(text, from, cuts[k].first - from);
    from = cuts[k].first + cuts[k].second;
    slots[k].offset = out.text.size();
    out.slots.push_back(std::move(slots[k]));
  }
  out.text.append(text, from);
  return out;
}

std::optional<json> generateValue(const Generator& g, const json& example, const GenerationInputs& in) {
  const json& c = g.config;
  std::mt19937_64& rng = in.rng;
  if (g.type == "RandomInt") {
    long long lo = intField(c, "min", 0), hi = intField(c, "max", 2147483647);
    if (hi < lo) std::swap(lo, hi);
    return json(std::uniform_int_distribution<long long>(lo, hi)(rng));
  }
  if (g.type == "RandomDecimal") {
    long long digits = std::max<long long>(2, intField(c, "digits", 6));
    std::string s = randomFrom("123456789", 1, rng) + randomFrom("0123456789", static_cast<std::size_t>(digits - 1), rng);
    std::uniform_int_distribution<std::size_t> d(1, s.size() - 1);
    s.insert(d(rng), ".");
    return json(std::stod(s));
  }
  if (g.type == "RandomHexadecimal") {
    return json(randomFrom("0123456789abcdef", static_cast<std::size_t>(intField(c, "digits", 8)), rng));
  }
  if (g.type == "RandomString") {
    return json(randomFrom("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                           static_cast<std::size_t>(intField(c, "size", 20)), rng));
  }
  if (g.type == "RandomBoolean") {
    return json(std::uniform_int_distribution<int>(0, 1)(rng) == 1);
  }
  if (g.type == "Regex") {
    if (auto s = generateFromRegex(strField(c, "regex"), rng, g.regex.get())) return json(*s);
    return std::nullopt;
  }
  if (g.type == "Uuid") {
    std::string hex = randomFrom("0123456789abcdef", 32, rng);
    hex[12] = '4';
    hex[16] = "89ab"[std::uniform_int_distribution<int>(0, 3)(rng)];
    const std::string format = strField(c, "format");
    if (format == "simple") return json(hex);
    std::string h = hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
                    hex.substr(20);
    if (format == "upper-case-hyphenated")
      for (auto& ch : h) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (format == "URN") return json("urn:uuid:" + h);
    return json(h);
  }
  if (g.type == "Date" || g.type == "Time" || g.type == "DateTime" || g.type == "Timestamp") {
    const DateKind kind = g.type == "Date" ? DateKind::Date : g.type == "Time" ? DateKind::Time : DateKind::Timestamp;
    try {
      return json(formatDate(strField(c, "format"), kind, in.now));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (g.type == "ProviderState") {
    if (!in.stateParams) return std::nullopt;
    auto v = providerStateValue(strField(c, "expression"), *in.stateParams);
    if (!v) return std::nullopt;
    return castTo(*v, strField(c, "dataType"));
  }
  if (g.type == "MockServerURL") {
    if (in.mockServerUrl.empty()) return std::nullopt;
    std::string source = strField(c, "example");
    if (source.empty() && example.is_string()) source = example.get<std::string>();
    const auto tail = g.regex ? g.regex->firstCapture(source) : std::nullopt;
    if (!tail) return std::nullopt;
    std::string base = in.mockServerUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return json(base + *tail);
  }
  return std::nullopt;
}

http::Response buildResponse(const Interaction& interaction, const GeneratorContext& context) {
  const ResponseSpec& spec = interaction.response;
  // One engine per thread, seeded once: a random_device per response costs a syscall each time.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  json params;
  GenerationInputs in{rng, {}, {}, &params};
  // Only generators read these: most responses are static and make no object, read no clock, build no URL.
  if (!spec.generators->empty()) {
    params = json::object();
    for (const auto& s : interaction.providerStates)
      for (const auto& [k, v] : s.params.items()) params[k] = v;
    in.now = std::chrono::system_clock::now();
    const auto host = context.requestHeaders ? context.requestHeaders->get("Host") : std::nullopt;
    in.mockServerUrl = host ? "http://" + std::string(*host) : "http://localhost:" + std::to_string(context.port);
  }

  http::Response response;
  response.status = spec.status;
  for (const auto& g : spec.generators->status) {
    if (auto v = generateValue(g.generator, json(spec.status), in); v && v->is_number_integer()) {
      int s = v->get<int>();
      if (s >= 100 && s <= 599) response.status = s;
    }
  }
  bool hasContentType = false;
  for (const auto& [name, value] : spec.headers) {
    std::string out = value;
    for (const auto& g : spec.generators->header) {
      if (!http::iequals(g.expression, name)) continue;
      if (auto v = generateValue(g.generator, json(value), in)) out = v->is_string() ? v->get<std::string>() : v->dump();
    }
    if (http::iequals(name, "content-type")) hasContentType = true;
    response.headers.add(name, std::move(out));
  }
  const Body& body = spec.body;
  if (spec.serializedJsonBody) {
    const std::string& text = *spec.serializedJsonBody;
    const std::vector<GeneratedSlot>& slots = *spec.generatedSlots;
    if (slots.empty()) {
      response.body = text;
    } else {
      response.body.reserve(text.size() + 32 * slots.size());
      std::size_t from = 0;
      for (const auto& slot : slots) {
        response.body.append(text, from, slot.offset - from);
        from = slot.offset;
        const auto value = generateValue(spec.generators->body[slot.generator].generator, slot.example, in);
        response.body += (value ? *value : slot.example).dump();
      }
      response.body.append(text, from);
    }
    if (!hasContentType) response.headers.add("Content-Type", body.contentType().empty() ? "application/json" : body.contentType());
    return response;
  }
  if (!body.present || body.value.is_null()) return response;
  if (body.isJson) {
    if (spec.generators->body.empty()) {
      response.body = body.value.dump();
    } else {
      json value = body.value;
      for (const auto& g : spec.generators->body) {
        std::vector<BodySegment> path;
        applyAt(value, path, g, value, in);
      }
      response.body = value.dump();
    }
    if (!hasContentType) response.headers.add("Content-Type", body.contentType().empty() ? "application/json" : body.contentType());
    return response;
  }
  std::string text = body.value.is_string() ? body.value.get<std::string>() : body.value.dump();
  for (const auto& g : spec.generators->body) {
    if (g.path.size() == 1)  // "$": the whole text body
      if (auto v = generateValue(g.generator, json(text), in)) text = v->is_string() ? v->get<std::string>() : v->dump();
  }
  response.body = std::move(text);
  if (!hasContentType && !response.body.empty()) {
    if (!body.contentType().empty()) response.headers.add("Content-Type", body.contentType());
    else if (body.xml()) response.headers.add("Content-Type", "application/xml");
    else response.headers.add("Content-Type", "text/plain; charset=utf-8");
  }
  return response;
}

}  // namespace pactmocks::pact
