#pragma once
// A ring of the last `capacity` requests (a count of entries, not bytes) for GET
// /__admin/requests of the mocks and of mock-webhook. The caller builds the entry; append() only
// moves it into its slot under the mutex. The details JSON (a mismatch report already built for
// the response, or a webhook delivery) is shared, not copied.
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "http/Message.h"

namespace pactmocks::mockserver {

// Request headers as a journal keeps them: repeated names joined with ", ", and credential headers
// (Authorization, cookies, API keys, session tokens) reduced to their scheme, e.g.
// "Bearer <redacted>", so a readable journal never republishes a secret.
nlohmann::json journaledHeaders(const http::Headers& headers);

struct JournalEntry {
  std::chrono::system_clock::time_point time;
  std::string method;
  std::string path;
  std::string query;
  int status = 0;
  std::string outcome;      // "matched", "unmatched", "fault", "unavailable", "challenge"
  std::string interaction;  // matched interaction's description, or the fault applied
  std::uint64_t latencyMicros = 0;
  std::shared_ptr<const nlohmann::json> details;  // mismatch report, webhook headers/body, ...
};

class RequestJournal {
 public:
  explicit RequestJournal(std::size_t capacity);
  void append(JournalEntry entry);
  void clear();
  // Oldest first.
  std::vector<JournalEntry> entries() const;
  std::size_t capacity() const { return capacity_; }
  nlohmann::json toJson() const;

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<JournalEntry> ring_;
  std::size_t next_ = 0;    // slot for the next append
  std::uint64_t total_ = 0; // appended since the last clear
};

}  // namespace pactmocks::mockserver
