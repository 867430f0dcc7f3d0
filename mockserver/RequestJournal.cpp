#include "mockserver/RequestJournal.h"

#include <nlohmann/json.hpp>

#include "core/Time.h"

namespace pactmocks::mockserver {

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
