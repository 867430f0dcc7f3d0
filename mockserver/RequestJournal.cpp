#include "mockserver/RequestJournal.h"

#include <nlohmann/json.hpp>

#include "core/Time.h"

namespace pactmocks::mockserver {

namespace {
bool isCredentialHeader(std::string_view name) {
  static constexpr std::string_view kNames[] = {"authorization", "proxy-authorization", "cookie",
                                                "x-amz-security-token", "x-api-key", "x-goog-api-key",
                                                "ocp-apim-subscription-key"};
  for (auto n : kNames)
    if (http::iequals(name, n)) return true;
  return false;
}

// Keeps a short auth scheme ("Bearer", "AWS4-HMAC-SHA256") so a reader still sees what was sent.
std::string redactCredential(std::string_view value) {
  auto space = value.find(' ');
  if (space != std::string_view::npos && space > 0 && space < 32) return std::string(value.substr(0, space)) + " <redacted>";
  return "<redacted>";
}
}  // namespace

nlohmann::json journaledHeaders(const http::Headers& headers) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, raw] : headers.fields()) {
    std::string value = isCredentialHeader(name) ? redactCredential(raw) : raw;
    auto& slot = out[name];
    slot = slot.is_null() ? nlohmann::json(value) : nlohmann::json(slot.get<std::string>() + ", " + value);
  }
  return out;
}

JournalBody journaledBody(std::string_view body, std::size_t limit) {
  return {std::string(body.substr(0, limit)), body.size()};
}

namespace {
// What a report document holds, roughly: its strings plus a node's overhead each. Cheaper than
// serialising it, and only the unmatched path (already the slow one) journals reports.
std::size_t approximateBytes(const nlohmann::json& value) {
  std::size_t n = sizeof(nlohmann::json);
  if (value.is_string()) {
    n += value.get_ref<const std::string&>().size();
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) n += key.size() + approximateBytes(item);
  } else if (value.is_array()) {
    for (const auto& item : value) n += approximateBytes(item);
  }
  return n;
}

std::size_t entryBytes(const JournalEntry& e) {
  return sizeof(JournalEntry) + e.method.size() + e.path.size() + e.query.size() + e.outcome.size() +
         e.interaction.size() + e.body.text.size() + (e.details ? approximateBytes(*e.details) : 0);
}

// The body as the journal shows it: the JSON it holds when it is complete JSON, else its text.
nlohmann::json bodyJson(const JournalBody& body) {
  if (!body.truncated()) {
    auto parsed = nlohmann::json::parse(body.text, nullptr, false);
    if (!parsed.is_discarded()) return parsed;
  }
  return body.text;
}
}  // namespace

RequestJournal::RequestJournal(std::size_t capacity, std::size_t maxBytes) : capacity_(capacity), maxBytes_(maxBytes) {}

void RequestJournal::append(JournalEntry entry) {
  if (capacity_ == 0 || maxBytes_ == 0) return;
  if (entry.body.text.size() > bodyLimit()) entry.body.text.resize(bodyLimit());
  const std::size_t size = entryBytes(entry);
  std::lock_guard lock(mutex_);
  slots_.push_back({std::move(entry), size});
  bytes_ += size;
  // The newest entry always stays, even alone over the limit (its body is already capped).
  while (slots_.size() > 1 && (slots_.size() > capacity_ || bytes_ > maxBytes_)) {
    bytes_ -= slots_.front().bytes;
    slots_.pop_front();
  }
  ++total_;
}

void RequestJournal::clear() {
  std::lock_guard lock(mutex_);
  slots_.clear();
  bytes_ = 0;
  total_ = 0;
}

std::size_t RequestJournal::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::vector<JournalEntry> RequestJournal::entries() const {
  std::lock_guard lock(mutex_);
  std::vector<JournalEntry> out;
  out.reserve(slots_.size());
  for (const auto& slot : slots_) out.push_back(slot.entry);
  return out;
}

nlohmann::json RequestJournal::toJson() const {
  std::uint64_t total = 0;
  {
    std::lock_guard lock(mutex_);
    total = total_;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : entries()) {
    nlohmann::json item = {{"time", rfc3339(e.time)}, {"method", e.method}, {"path", e.path}};
    if (!e.query.empty()) item["query"] = e.query;
    if (e.status) item["status"] = e.status;
    if (!e.outcome.empty()) item["outcome"] = e.outcome;
    if (!e.interaction.empty()) item["interaction"] = e.interaction;
    if (e.latencyMicros) item["latency_us"] = e.latencyMicros;
    if (e.details) item.update(*e.details);
    if (e.body.bytes > 0) {
      item["body"] = bodyJson(e.body);
      item["body_bytes"] = e.body.bytes;
      if (e.body.truncated()) item["body_truncated"] = true;
    }
    list.push_back(std::move(item));
  }
  return {{"capacity", capacity_}, {"max_bytes", maxBytes_}, {"total", total}, {"requests", std::move(list)}};
}

}  // namespace pactmocks::mockserver
