#include "WebhookDeclarations.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

#include "core/Sha256.h"

namespace pactmocks::manager {

namespace {

using nlohmann::json;

// pact_broker 2.113's webhook events (PactBroker::Webhooks::WebhookEvent::EVENT_NAMES).
constexpr std::array<const char*, 6> kEvents = {
    "contract_published",         "contract_content_changed",        "contract_requiring_verification_published",
    "provider_verification_published", "provider_verification_succeeded", "provider_verification_failed"};

bool validId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
}

// One declaration → the broker's webhook document, or the reason it is refused.
std::string toBrokerWebhook(const json& d, WebhookDeclaration& out) {
  if (!d.is_object()) return "a declaration must be a JSON object";
  for (const char* name : {"description", "consumer", "provider"})
    if (d.contains(name) && !d[name].is_string()) return std::string("\"") + name + "\" must be a string";
  out.description = d.value("description", out.id);
  out.consumer = d.value("consumer", "");
  out.provider = d.value("provider", "");

  if (!d.contains("events") || !d["events"].is_array() || d["events"].empty())
    return "\"events\" must be a non-empty array of event names";
  json events = json::array();
  for (const auto& e : d["events"]) {
    if (!e.is_string() || std::find(kEvents.begin(), kEvents.end(), e.get<std::string>()) == kEvents.end()) {
      std::string known;
      for (const char* k : kEvents) known += std::string(known.empty() ? "" : ", ") + k;
      return "unknown event " + e.dump() + " (known: " + known + ")";
    }
    events.push_back({{"name", e}});
  }

  if (!d.contains("request") || !d["request"].is_object()) return "\"request\" must be an object";
  const json& r = d["request"];
  if (!r.contains("url") || !r["url"].is_string()) return "\"request.url\" must be a string";
  const std::string url = r["url"];
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    return "\"request.url\" must be an http:// or https:// URL, got \"" + url + "\"";
  if (r.contains("method") && !r["method"].is_string()) return "\"request.method\" must be a string";
  json request = {{"method", r.value("method", "POST")}, {"url", url}};
  if (r.contains("headers")) {
    if (!r["headers"].is_object()) return "\"request.headers\" must be an object of strings";
    for (const auto& [name, value] : r["headers"].items())
      if (!value.is_string()) return "\"request.headers." + name + "\" must be a string";
    request["headers"] = r["headers"];
  }
  if (r.contains("body")) request["body"] = r["body"];
  if (d.contains("enabled") && !d["enabled"].is_boolean()) return "\"enabled\" must be true or false";

  json webhook = {{"description", out.description},
                  {"events", events},
                  {"request", request},
                  {"enabled", d.value("enabled", true)}};
  if (!out.consumer.empty()) webhook["consumer"] = {{"name", out.consumer}};
  if (!out.provider.empty()) webhook["provider"] = {{"name", out.provider}};
  out.body = webhook.dump();
  out.sha256 = sha256Hex(out.body);
  return {};
}

}  // namespace

std::string webhookUuidPrefix(const std::string& kubernetesNamespace, const std::string& configMapName) {
  return "pactmocks-" + sha256Hex(kubernetesNamespace + "/" + configMapName).substr(0, 12) + "-";
}

WebhookDeclarations parseWebhookDeclarations(const std::string& content, const std::string& uuidPrefix) {
  WebhookDeclarations result;
  json doc = json::parse(content, nullptr, false);
  if (doc.is_discarded()) {
    result.problems.push_back({kWebhooksFile, "not valid JSON"});
    return result;
  }
  const json* list = &doc;
  if (doc.is_object()) {
    if (!doc.contains("webhooks") || !doc["webhooks"].is_array()) {
      result.problems.push_back({kWebhooksFile, "expected {\"webhooks\": [...]} or an array of declarations"});
      return result;
    }
    list = &doc["webhooks"];
  } else if (!doc.is_array()) {
    result.problems.push_back({kWebhooksFile, "expected {\"webhooks\": [...]} or an array of declarations"});
    return result;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& d = (*list)[i];
    WebhookDeclaration w;
    const std::string where = "#" + std::to_string(i + 1);
    if (!d.is_object() || !d.contains("id") || !d["id"].is_string()) {
      result.problems.push_back({where, "every declaration needs an \"id\" (its stable identity)"});
      continue;
    }
    w.id = d["id"];
    if (!validId(w.id)) {
      result.problems.push_back({w.id, "\"id\" may hold only A-Z, a-z, 0-9, - and _ (at most 64)"});
      continue;
    }
    if (!seen.insert(w.id).second) {
      result.problems.push_back({w.id, "declared twice; the first one is applied"});
      continue;
    }
    w.uuid = uuidPrefix + w.id;
    if (auto error = toBrokerWebhook(d, w); !error.empty()) {
      result.problems.push_back({w.id, error});
      continue;
    }
    result.webhooks.push_back(std::move(w));
  }
  return result;
}

WebhookPlan planWebhooks(const std::vector<WebhookDeclaration>& declared, const std::map<std::string, std::string>& applied,
                         const std::set<std::string>& existing, const std::string& uuidPrefix, bool reapply) {
  WebhookPlan plan;
  std::set<std::string> wanted;
  for (const auto& w : declared) {
    wanted.insert(w.uuid);
    auto it = applied.find(w.uuid);
    if (reapply || it == applied.end() || it->second != w.sha256 || !existing.count(w.uuid)) plan.toPut.push_back(w);
  }
  for (const auto& uuid : existing)
    if (uuid.rfind(uuidPrefix, 0) == 0 && !wanted.count(uuid)) plan.toDelete.push_back(uuid);
  return plan;
}

}  // namespace pactmocks::manager
