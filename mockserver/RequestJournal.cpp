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

RequestJournal::RequestJournal(std::size_t capacity) : capacity_(capacity) { ring_.reserve(capacity); }

void RequestJournal::append(JournalEntry entry) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  if (ring_.size() < capacity_) {
    ring_.push_back(std::move(entry));
  } else {
    ring_[next_] = std::move(entry);
  }
  next_ = (next_ + 1) % capacity_;
  ++total_;
}

void RequestJournal::clear() {
  std::lock_guard lock(mutex_);
  ring_.clear();
  next_ = 0;
  total_ = 0;
}

std::vector<JournalEntry> RequestJournal::entries() const {
  std::lock_guard lock(mutex_);
  std::vector<JournalEntry> out;
  out.reserve(ring_.size());
  if (ring_.size() < capacity_) {
    out = ring_;
  } else {
    for (std::size_t i = 0; i < ring_.size(); ++i) out.push_back(ring_[(next_ + i) % ring_.size()]);
  }
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
    list.push_back(std::move(item));
  }
  return {{"capacity", capacity_}, {"total", total}, {"requests", std::move(list)}};
}

}  // namespace pactmocks::mockserver
