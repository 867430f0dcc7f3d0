#include "broker/BrokerClient.h"

#include <nlohmann/json.hpp>

namespace pactmocks::broker {

namespace {

using http::percentEncodeSegment;

std::string pactPath(const std::string& provider, const std::string& consumer) {
  return "/pacts/provider/" + percentEncodeSegment(provider) + "/consumer/" + percentEncodeSegment(consumer);
}

http::Headers readHeaders() {
  http::Headers h;
  h.set("Accept", kBrokerAccept);
  return h;
}

http::Headers writeHeaders() {
  http::Headers h = readHeaders();
  h.set("Content-Type", "application/json");
  return h;
}

const char* reasonPhrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 415: return "Unsupported Media Type";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

const char* hintFor(int status) {
  switch (status) {
    case 401: return " (check BROKER_USERNAME/BROKER_PASSWORD or BROKER_TOKEN)";
    case 403: return " (the credentials may not write to this broker)";
    case 406: return " (the broker does not serve the Accept that was sent)";
    default: return "";
  }
}


// Reads one link entry list ("pb:pacts" or "pacts") into refs.
void collectRefs(const nlohmann::json& links, const char* relation, std::vector<PactRef>& out) {
  auto it = links.find(relation);
  if (it == links.end()) return;
  auto take = [&](const nlohmann::json& link) {
    if (!link.is_object() || !link.contains("href") || !link["href"].is_string()) return;
    PactRef ref;
    ref.href = link["href"].get<std::string>();
    if (link.contains("name") && link["name"].is_string()) ref.consumer = link["name"].get<std::string>();
    out.push_back(std::move(ref));
  };
  if (it->is_array())
    for (const auto& link : *it) take(link);
  else
    take(*it);
}

// "/pacts/provider/P/consumer/C/version/V" → C (percent-decoded), for links without a name.
std::string consumerFromHref(const std::string& href) {
  static const std::string marker = "/consumer/";
  auto pos = href.find(marker);
  if (pos == std::string::npos) return {};
  pos += marker.size();
  auto end = href.find('/', pos);
  return http::percentDecode(href.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
}

}  // namespace

std::string describeBrokerAnswer(const http::ClientResult& r) {
  if (!r.response) return r.error.empty() ? "no response" : r.error;
  const int status = r.response->status;
  std::string text = "HTTP " + std::to_string(status);
  if (const char* phrase = reasonPhrase(status); *phrase) text += std::string(" ") + phrase;
  text += " (Accept: " + std::string(kBrokerAccept) + ")";
  text += hintFor(status);
  std::string body = r.response->body.substr(0, 300);
  if (!body.empty()) text += ": " + body;
  return text;
}

BrokerClient::BrokerClient(BrokerSettings settings)
    : settings_(std::move(settings)), client_(settings_.url, settings_.credentials, settings_.timeout, settings_.cancellation) {}

Result<void> BrokerClient::heartbeat() {
  auto result = client_.get(settings_.healthPath, readHeaders());
  if (!result.ok()) return fail(describeBrokerAnswer(result));
  return ok();
}

http::ClientResult BrokerClient::publishPact(const std::string& provider, const std::string& consumer,
                                             const std::string& version, const std::string& pactJson) {
  return client_.put(pactPath(provider, consumer) + "/version/" + percentEncodeSegment(version), pactJson,
                     writeHeaders());
}

http::ClientResult BrokerClient::recordBranch(const std::string& consumer, const std::string& branch,
                                              const std::string& version) {
  return client_.put("/pacticipants/" + percentEncodeSegment(consumer) + "/branches/" + percentEncodeSegment(branch) +
                         "/versions/" + percentEncodeSegment(version),
                     "{}", writeHeaders());
}

http::ClientResult BrokerClient::latestPact(const std::string& provider, const std::string& consumer) {
  return client_.get(pactPath(provider, consumer) + "/latest", readHeaders());
}

Result<std::vector<PactRef>> BrokerClient::latestPactsForProvider(const std::string& provider) {
  auto result = client_.get("/pacts/provider/" + percentEncodeSegment(provider) + "/latest", readHeaders());
  if (!result.ok()) {
    return fail(describeBrokerAnswer(result));
  }
  auto doc = nlohmann::json::parse(result.response->body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return fail("the broker's latest-pacts answer is not a JSON object");
  }
  std::vector<PactRef> refs;
  if (doc.contains("_links") && doc["_links"].is_object()) {
    collectRefs(doc["_links"], "pb:pacts", refs);
    if (refs.empty()) collectRefs(doc["_links"], "pacts", refs);
  }
  for (auto& ref : refs)
    if (ref.consumer.empty()) ref.consumer = consumerFromHref(ref.href);
  return refs;
}

http::ClientResult BrokerClient::fetch(const std::string& href) {
  // The broker builds absolute hrefs from the Host it was asked with; behind a port-forward or a
  // service alias that host may not be reachable from here, so always go through our own base URL.
  std::string path = href;
  auto scheme = path.find("://");
  if (scheme != std::string::npos) {
    auto slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? "/" : path.substr(slash);
    // A broker mounted under a base path (e.g. http://host/broker) repeats that prefix in its links.
    if (auto base = http::Url::parse(settings_.url); base && !base->basePath.empty() && base->basePath != "/" &&
                                                     path.rfind(base->basePath, 0) == 0)
      path = path.substr(base->basePath.size());
  }
  return client_.get(path, readHeaders());
}

http::ClientResult BrokerClient::ensurePacticipant(const std::string& name) {
  return client_.post("/pacticipants", nlohmann::json{{"name", name}}.dump(), writeHeaders());
}

http::ClientResult BrokerClient::putWebhook(const std::string& uuid, const std::string& webhookJson) {
  return client_.put("/webhooks/" + percentEncodeSegment(uuid), webhookJson, writeHeaders());
}

http::ClientResult BrokerClient::deleteWebhook(const std::string& uuid) {
  return client_.request("DELETE", "/webhooks/" + percentEncodeSegment(uuid), {}, readHeaders());
}

Result<std::vector<std::string>> BrokerClient::webhookUuids() {
  auto result = client_.get("/webhooks", readHeaders());
  if (!result.ok()) {
    return fail(describeBrokerAnswer(result));
  }
  auto doc = nlohmann::json::parse(result.response->body, nullptr, false);
  if (!doc.is_object() || !doc.contains("_links") || !doc["_links"].is_object()) {
    return fail("the broker's webhook list is not a HAL document");
  }
  std::vector<PactRef> links;
  collectRefs(doc["_links"], "pb:webhooks", links);
  std::vector<std::string> uuids;
  for (const auto& link : links) {
    auto slash = link.href.find_last_of('/');
    uuids.push_back(http::percentDecode(slash == std::string::npos ? link.href : link.href.substr(slash + 1)));
  }
  return uuids;
}

}  // namespace pactmocks::broker
