#include "BrokerStandin.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "core/Base64.h"
#include "core/Sha256.h"
#include "core/Time.h"

namespace pactmocks::testsupport {

namespace {

using nlohmann::json;
using http::percentEncodeSegment;
using http::Request;
using http::Response;

const char* kNotFound = "The requested document was not found on this server.";

Response notFound() { return Response::json(404, {{"error", kNotFound}}); }

std::string baseUrl(const Request& request) {
  auto host = request.headers.get("Host");
  return "http://" + std::string(host ? *host : "localhost:9292");
}

std::string pactHref(const std::string& base, const std::string& provider, const std::string& consumer,
                     const std::string& version) {
  return base + "/pacts/provider/" + percentEncodeSegment(provider) + "/consumer/" + percentEncodeSegment(consumer) +
         "/version/" + percentEncodeSegment(version);
}

bool isJsonContentType(const Request& request) {
  auto ct = request.headers.get("Content-Type");
  if (!ct) return false;
  std::string v(*ct);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v.rfind("application/json", 0) == 0 || v.rfind("application/hal+json", 0) == 0;
}

// Content negotiation as pact_broker 2.113 (webmachine) does it: a missing Accept means anything;
// otherwise one listed media range must be served by the resource. The HAL resources serve only
// application/hal+json; the pact documents also serve application/json and text/html.
enum class Resource { Hal, PactDocument };

std::string lowerTrimmed(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != ' ' && c != '\t') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

bool acceptable(const Request& request, Resource resource) {
  auto header = request.headers.get("Accept");
  if (!header) return true;
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    // Parameters (q included) are ignored: pact_broker 2.113 serves `application/hal+json;q=0` too.
    const std::string range = lowerTrimmed(item.substr(0, item.find(';')));
    if (range == "*/*" || range == "application/*" || range == "application/hal+json") return true;
    if (resource == Resource::PactDocument && (range == "application/json" || range == "text/html")) return true;
  }
  return false;
}

// webmachine's 406: an empty body.
Response notAcceptable() { return Response::text(406, ""); }

std::string nameAt(const json& pact, const char* role) {
  if (!pact.contains(role) || !pact[role].is_object()) return {};
  const auto& n = (*pact.find(role)).value("name", json());
  return n.is_string() ? n.get<std::string>() : std::string();
}

// Interaction ids as the broker assigns them: a stable hash of the interaction's content.
void addInteractionIds(json& pact) {
  for (const char* key : {"interactions", "messages"}) {
    if (!pact.contains(key) || !pact[key].is_array()) continue;
    for (auto& interaction : pact[key]) {
      if (!interaction.is_object()) continue;
      json copy = interaction;
      copy.erase("_id");
      interaction["_id"] = sha256Hex(copy.dump()).substr(0, 40);
    }
  }
}

}  // namespace

BrokerStandin::BrokerStandin(BrokerStandinOptions options) : options_(std::move(options)) { load(); }

std::string BrokerStandin::verificationContentKey(const json& pact) {
  json key = json::object();
  for (const char* kind : {"interactions", "messages"}) {
    if (!pact.contains(kind) || !pact[kind].is_array()) continue;
    std::vector<std::string> items;
    for (auto item : pact[kind]) {
      if (item.is_object()) item.erase("_id");
      items.push_back(item.dump());
    }
    std::sort(items.begin(), items.end());
    key[kind] = items;
  }
  json spec;
  if (pact.contains("metadata") && pact["metadata"].is_object()) {
    const auto& m = pact["metadata"];
    for (const char* name : {"pactSpecification", "pact-specification"})
      if (m.contains(name) && m[name].is_object()) spec = m[name].value("version", json());
    if (spec.is_null() && m.contains("pactSpecificationVersion")) spec = m["pactSpecificationVersion"];
  }
  key["specification"] = spec;
  return sha256Hex(key.dump());
}

http::Router BrokerStandin::router() {
  http::Router r;
  auto bind = [this](Response (BrokerStandin::*fn)(Request&)) {
    return [this, fn](Request& request) { return (this->*fn)(request); };
  };
  r.get("/", bind(&BrokerStandin::index));
  r.get("/diagnostic/status/heartbeat", bind(&BrokerStandin::heartbeat));
  r.put("/pacts/provider/{provider}/consumer/{consumer}/version/{version}", bind(&BrokerStandin::putPact));
  r.get("/pacts/provider/{provider}/consumer/{consumer}/version/{version}", bind(&BrokerStandin::getPactVersion));
  r.get("/pacts/provider/{provider}/consumer/{consumer}/latest", bind(&BrokerStandin::getLatestPact));
  r.get("/pacts/provider/{provider}/latest", bind(&BrokerStandin::getLatestProviderPacts));
  r.get("/pacts/latest", bind(&BrokerStandin::getAllLatest));
  r.put("/pacticipants/{consumer}/branches/{branch}/versions/{version}", bind(&BrokerStandin::putBranchVersion));
  r.post("/pacticipants", bind(&BrokerStandin::postPacticipant));
  r.get("/webhooks", bind(&BrokerStandin::listWebhooks));
  r.put("/webhooks/{uuid}", bind(&BrokerStandin::putWebhook));
  r.get("/webhooks/{uuid}", bind(&BrokerStandin::getWebhook));
  r.add("DELETE", "/webhooks/{uuid}", bind(&BrokerStandin::deleteWebhook));
  r.fallback([](Request&) { return notFound(); });
  return r;
}

std::size_t BrokerStandin::pactCount() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [p, consumers] : state_.pacts)
    for (const auto& [c, versions] : consumers) n += versions.size();
  return n;
}

Response BrokerStandin::heartbeat(Request& request) {
  if (!acceptable(request, Resource::Hal)) return notAcceptable();
  return Response::json(200, {{"ok", true},
                              {"_links", {{"self", {{"href", baseUrl(request) + "/diagnostic/status/heartbeat"}}}}}});
}

Response BrokerStandin::index(Request& request) {
  if (!acceptable(request, Resource::Hal)) return notAcceptable();
  std::string base = baseUrl(request);
  return Response::json(
      200, {{"_links",
             {{"self", {{"href", base}, {"title", "Index"}}},
              {"pb:latest-pact-versions", {{"href", base + "/pacts/latest"}, {"title", "Latest pact versions"}}},
              {"pb:latest-provider-pacts",
               {{"href", base + "/pacts/provider/{provider}/latest"}, {"templated", true}}}}}});
}

std::optional<Response> BrokerStandin::checkWriteAuth(const Request& request) const {
  if (options_.username.empty()) return std::nullopt;
  auto header = request.headers.get("Authorization");
  if (header && header->size() > 6 && http::iequals(header->substr(0, 6), "Basic ")) {
    if (base64Decode(header->substr(6)).value_or("") == options_.username + ":" + options_.password) return std::nullopt;
  }
  Response r = Response::text(401, "");
  r.headers.set("WWW-Authenticate", "Basic realm=\"Restricted area\"");
  return r;
}

std::uint64_t BrokerStandin::ensureVersion(const std::string& consumer, const std::string& version) {
  auto& versions = state_.versions[consumer];
  auto it = versions.find(version);
  if (it != versions.end()) return it->second;
  auto seq = state_.nextSequence++;
  versions[version] = seq;
  return seq;
}

json BrokerStandin::pactBody(const std::string& base, const std::string& provider, const std::string& consumer,
                             const std::string& version, const StoredPact& pact) const {
  json body = pact.content;
  body["createdAt"] = pact.createdAt;
  body["_links"] = {
      {"self", {{"title", "Pact"}, {"name", "Pact between " + consumer + " (" + version + ") and " + provider},
                {"href", pactHref(base, provider, consumer, version)}}},
      {"pb:consumer", {{"title", "Consumer"}, {"name", consumer},
                       {"href", base + "/pacticipants/" + percentEncodeSegment(consumer)}}},
      {"pb:provider", {{"title", "Provider"}, {"name", provider},
                       {"href", base + "/pacticipants/" + percentEncodeSegment(provider)}}},
      {"pb:consumer-version", {{"title", "Consumer version"}, {"name", version},
                               {"href", base + "/pacticipants/" + percentEncodeSegment(consumer) + "/versions/" +
                                            percentEncodeSegment(version)}}}};
  return body;
}

Response BrokerStandin::putPact(Request& request) {
  if (auto denied = checkWriteAuth(request)) return *denied;
  if (!isJsonContentType(request))
    return Response::json(415, {{"error", "Content-Type must be application/json"}});
  std::string provider(request.param("provider")), consumer(request.param("consumer")),
      version(request.param("version"));
  json pact = json::parse(request.body, nullptr, false);
  if (pact.is_discarded() || !pact.is_object())
    return Response::json(400, {{"error", "The request body could not be parsed as a JSON object"}});
  // A name that is present must equal the one in the path; a missing one is taken from the path.
  json errors = json::object();
  for (const auto& [role, inPath] : {std::pair{"consumer", consumer}, std::pair{"provider", provider}}) {
    const std::string inBody = nameAt(pact, role);
    if (!inBody.empty() && inBody != inPath)
      errors[std::string(role) + ".name"] = {"name in pact '" + inBody + "' does not match name in URL path '" + inPath + "'."};
  }
  if (!errors.empty()) return Response::json(400, {{"errors", errors}});
  if (!acceptable(request, Resource::PactDocument)) return notAcceptable();
  pact.erase("_links");
  pact.erase("createdAt");

  std::lock_guard lock(mutex_);
  auto& versions = state_.pacts[provider][consumer];
  auto existing = versions.find(version);
  int status = 201;
  if (existing != versions.end()) {
    if (verificationContentKey(existing->second.content) != verificationContentKey(pact)) {
      spdlog::warn("409 for {} version {} and provider {}: content changed", consumer, version, provider);
      return Response::json(
          409, {{"error", "Cannot change the content of the pact for " + consumer + " version " + version +
                              " and provider " + provider +
                              ", as race conditions will cause unreliable results for can-i-deploy. Each pact must "
                              "be published with a unique consumer version number. For more information see "
                              "https://docs.pact.io/go/versioning"}});
    }
    status = 200;
    addInteractionIds(pact);
    existing->second.content = std::move(pact);  // metadata-only changes are accepted and stored
  } else {
    addInteractionIds(pact);
    StoredPact stored;
    stored.content = std::move(pact);
    stored.createdAt = nowRfc3339();
    stored.sequence = ensureVersion(consumer, version);
    existing = versions.emplace(version, std::move(stored)).first;
  }
  state_.pacticipants.insert(consumer);
  state_.pacticipants.insert(provider);
  save();
  spdlog::info("PUT pact {} -> {} version {}: {}", consumer, provider, version, status);
  // pact_broker answers a created pact without a Location header.
  return Response::json(status, pactBody(baseUrl(request), provider, consumer, version, existing->second));
}

Response BrokerStandin::getPactVersion(Request& request) {
  if (!acceptable(request, Resource::PactDocument)) return notAcceptable();
  std::string provider(request.param("provider")), consumer(request.param("consumer")),
      version(request.param("version"));
  std::lock_guard lock(mutex_);
  auto p = state_.pacts.find(provider);
  if (p == state_.pacts.end()) return notFound();
  auto c = p->second.find(consumer);
  if (c == p->second.end()) return notFound();
  auto v = c->second.find(version);
  if (v == c->second.end()) return notFound();
  // Only the latest-pact resource names the version in X-Pact-Consumer-Version; a version URL does not.
  return Response::json(200, pactBody(baseUrl(request), provider, consumer, version, v->second));
}

const BrokerStandin::StoredPact* BrokerStandin::latestFor(const std::string& provider, const std::string& consumer,
                                                          std::string* version) const {
  auto p = state_.pacts.find(provider);
  if (p == state_.pacts.end()) return nullptr;
  auto c = p->second.find(consumer);
  if (c == p->second.end()) return nullptr;
  const StoredPact* best = nullptr;
  for (const auto& [v, pact] : c->second) {
    if (!best || pact.sequence > best->sequence) {
      best = &pact;
      *version = v;
    }
  }
  return best;
}

Response BrokerStandin::getLatestPact(Request& request) {
  if (!acceptable(request, Resource::PactDocument)) return notAcceptable();
  std::string provider(request.param("provider")), consumer(request.param("consumer")), version;
  std::lock_guard lock(mutex_);
  const StoredPact* pact = latestFor(provider, consumer, &version);
  if (!pact) return notFound();
  Response r = Response::json(200, pactBody(baseUrl(request), provider, consumer, version, *pact));
  r.headers.set("X-Pact-Consumer-Version", version);
  return r;
}

Response BrokerStandin::getLatestProviderPacts(Request& request) {
  if (!acceptable(request, Resource::Hal)) return notAcceptable();
  std::string provider(request.param("provider"));
  std::string base = baseUrl(request);
  std::lock_guard lock(mutex_);
  if (!state_.pacticipants.count(provider))
    return Response::json(404, {{"error", "No provider with name '" + provider + "' found"}});
  json links = json::array();
  const auto p = state_.pacts.find(provider);
  const decltype(p->second) none;
  for (const auto& [consumer, versions] : p == state_.pacts.end() ? none : p->second) {
    std::string version;
    if (!latestFor(provider, consumer, &version)) continue;
    links.push_back({{"href", pactHref(base, provider, consumer, version)},
                     {"title", "Pact between " + consumer + " (" + version + ") and " + provider},
                     {"name", consumer}});
  }
  json deprecatedPacts = links;
  for (auto& link : deprecatedPacts)
    link["title"] = "DEPRECATED - please use the pb:pacts relation. " + link["title"].get<std::string>();
  return Response::json(
      200, {{"_links",
             {{"self", {{"href", base + "/pacts/provider/" + percentEncodeSegment(provider) + "/latest"},
                        {"title", "Latest pact versions for the provider " + provider}}},
              {"pb:provider", {{"href", base + "/pacticipants/" + percentEncodeSegment(provider)}, {"name", provider}}},
              {"provider", {{"href", base + "/pacticipants/" + percentEncodeSegment(provider)},
                            {"title", provider},
                            {"name", "DEPRECATED - please use the pb:provider relation"}}},
              {"pb:pacts", links},
              {"pacts", deprecatedPacts}}}});
}

Response BrokerStandin::getAllLatest(Request& request) {
  if (!acceptable(request, Resource::Hal)) return notAcceptable();
  std::string base = baseUrl(request);
  std::lock_guard lock(mutex_);
  json pacts = json::array();
  for (const auto& [provider, consumers] : state_.pacts) {
    for (const auto& [consumer, versions] : consumers) {
      std::string version;
      if (!latestFor(provider, consumer, &version)) continue;
      pacts.push_back({{"_links", {{"self", {{"href", pactHref(base, provider, consumer, version)}}}}},
                       {"_embedded",
                        {{"consumer", {{"name", consumer}, {"_embedded", {{"version", {{"number", version}}}}}}},
                         {"provider", {{"name", provider}}}}}});
    }
  }
  return Response::json(200, {{"_links", {{"self", {{"href", base + "/pacts/latest"}}}}}, {"pacts", pacts}});
}

Response BrokerStandin::putBranchVersion(Request& request) {
  if (auto denied = checkWriteAuth(request)) return *denied;
  if (!isJsonContentType(request))
    return Response::json(415, {{"error", "Content-Type must be application/json"}});
  if (!acceptable(request, Resource::Hal)) return notAcceptable();
  std::string consumer(request.param("consumer")), branch(request.param("branch")), version(request.param("version"));
  std::lock_guard lock(mutex_);
  auto& branchVersions = state_.branches[consumer][branch];
  bool created = !branchVersions.count(version);
  if (created) branchVersions[version] = nowRfc3339();
  ensureVersion(consumer, version);
  state_.pacticipants.insert(consumer);
  save();
  const std::string pacticipant = baseUrl(request) + "/pacticipants/" + percentEncodeSegment(consumer);
  const std::string self = pacticipant + "/branches/" + percentEncodeSegment(branch) + "/versions/" + percentEncodeSegment(version);
  Response r = Response::json(
      created ? 201 : 200,
      {{"createdAt", branchVersions[version]},
       {"_links",
        {{"self", {{"title", "Branch version"}, {"href", self}}},
         {"pb:branch", {{"title", "Branch"}, {"name", branch}, {"href", pacticipant + "/branches/" + percentEncodeSegment(branch)}}},
         {"pb:version", {{"title", "Version"}, {"name", version}, {"href", pacticipant + "/versions/" + percentEncodeSegment(version)}}}}}});
  if (created) r.headers.set("Location", self);
  return r;
}

Response BrokerStandin::postPacticipant(Request& request) {
  if (auto denied = checkWriteAuth(request)) return *denied;
  if (!isJsonContentType(request)) return Response::json(415, {{"error", "Content-Type must be application/json"}});
  json body = json::parse(request.body, nullptr, false);
  if (!body.is_object() || !body.contains("name") || !body["name"].is_string() || body["name"].get<std::string>().empty())
    return Response::json(400, {{"errors", {{"name", {"is missing"}}}}});
  if (!acceptable(request, Resource::Hal)) return notAcceptable();
  const std::string name = body["name"];
  std::lock_guard lock(mutex_);
  state_.pacticipants.insert(name);
  save();
  const std::string self = baseUrl(request) + "/pacticipants/" + percentEncodeSegment(name);
  Response r = Response::json(201, {{"name", name}, {"_links", {{"self", {{"href", self}}}}}});
  r.headers.set("Location", self);
  return r;
}

Response BrokerStandin::putWebhook(Request& request) {
  if (auto denied = checkWriteAuth(request)) return *denied;
  if (!isJsonContentType(request)) return Response::json(415, {{"error", "Content-Type must be application/json"}});
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return Response::json(400, {{"error", "JSON::ParserError - the request body is not a JSON object"}});
  const std::string uuid(request.param("uuid"));
  std::lock_guard lock(mutex_);
  // pact_broker's WebhookContract, for the fields the project sends.
  json errors = json::object();
  for (const char* role : {"consumer", "provider"}) {
    const std::string name = nameAt(body, role);
    if (!name.empty() && !state_.pacticipants.count(name))
      errors[std::string(role) + ".name"] = {"does not match an existing pacticipant"};
  }
  const json hook = body.value("request", json());
  if (!hook.is_object()) errors["request"] = {"is missing"};
  else if (!hook.contains("url") || !hook["url"].is_string()) errors["request.url"] = {"is missing"};
  if (uuid.size() < 16 || uuid.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") !=
                              std::string::npos)
    errors["uuid"] = {"The UUID can only contain the characters A-Z, a-z, 0-9, _ and -, and must be 16 or more "
                      "characters."};
  if (!errors.empty()) return Response::json(400, {{"errors", errors}});
  if (!acceptable(request, Resource::Hal)) return notAcceptable();
  const bool created = !state_.webhooks.count(uuid);
  json stored = body;
  stored["uuid"] = uuid;
  stored["enabled"] = body.value("enabled", true);
  stored["createdAt"] = created ? nowRfc3339() : state_.webhooks[uuid].value("createdAt", nowRfc3339());
  state_.webhooks[uuid] = stored;
  save();
  stored["_links"] = {{"self", {{"title", stored.value("description", "")},
                                {"href", baseUrl(request) + "/webhooks/" + percentEncodeSegment(uuid)}}}};
  return Response::json(created ? 201 : 200, stored);
}

Response BrokerStandin::getWebhook(Request& request) {
  if (!acceptable(request, Resource::Hal)) return notAcceptable();
  std::lock_guard lock(mutex_);
  auto it = state_.webhooks.find(std::string(request.param("uuid")));
  if (it == state_.webhooks.end()) return notFound();
  return Response::json(200, it->second);
}

Response BrokerStandin::deleteWebhook(Request& request) {
  if (auto denied = checkWriteAuth(request)) return *denied;
  std::lock_guard lock(mutex_);
  if (!state_.webhooks.erase(std::string(request.param("uuid")))) return notFound();
  save();
  return Response::text(204, "");
}

Response BrokerStandin::listWebhooks(Request& request) {
  if (!acceptable(request, Resource::Hal)) return notAcceptable();
  const std::string base = baseUrl(request);
  std::lock_guard lock(mutex_);
  json links = json::array();
  for (const auto& [uuid, webhook] : state_.webhooks)
    links.push_back({{"title", webhook.value("description", "")},
                     {"name", webhook.value("description", "")},
                     {"href", base + "/webhooks/" + percentEncodeSegment(uuid)}});
  return Response::json(200, {{"_links",
                               {{"self", {{"title", "Webhooks"}, {"href", base + "/webhooks"}}},
                                {"pb:create", {{"title", "POST to create a webhook"}, {"href", base + "/webhooks"}}},
                                {"pb:webhooks", links}}}});
}

void BrokerStandin::load() {
  if (options_.dataFile.empty() || !std::filesystem::exists(options_.dataFile)) return;
  std::ifstream in(options_.dataFile);
  std::stringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw std::runtime_error("data file " + options_.dataFile + " is not valid JSON");
  state_.nextSequence = doc.value("nextSequence", std::uint64_t{1});
  state_.versions = doc.value("versions", decltype(state_.versions){});
  state_.branches = doc.value("branches", decltype(state_.branches){});
  state_.pacticipants = doc.value("pacticipants", decltype(state_.pacticipants){});
  state_.webhooks = doc.value("webhooks", decltype(state_.webhooks){});
  const json pacts = doc.value("pacts", json::object());
  for (const auto& [provider, consumers] : pacts.items())
    for (const auto& [consumer, versions] : consumers.items())
      for (const auto& [version, stored] : versions.items())
        state_.pacts[provider][consumer][version] =
            StoredPact{stored.at("content"), stored.value("createdAt", ""), stored.value("sequence", std::uint64_t{0})};
  spdlog::info("loaded {} pact versions from {}", pactCount(), options_.dataFile);
}

void BrokerStandin::save() const {
  if (options_.dataFile.empty()) return;
  json pacts = json::object();
  for (const auto& [provider, consumers] : state_.pacts)
    for (const auto& [consumer, versions] : consumers)
      for (const auto& [version, stored] : versions)
        pacts[provider][consumer][version] = {
            {"content", stored.content}, {"createdAt", stored.createdAt}, {"sequence", stored.sequence}};
  json doc = {{"nextSequence", state_.nextSequence},
              {"versions", state_.versions},
              {"branches", state_.branches},
              {"pacticipants", state_.pacticipants},
              {"webhooks", state_.webhooks},
              {"pacts", pacts}};
  std::string tmp = options_.dataFile + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << doc.dump();
    if (!out) {
      spdlog::error("cannot write {}", tmp);
      return;
    }
  }
  std::rename(tmp.c_str(), options_.dataFile.c_str());
}

}  // namespace pactmocks::testsupport
