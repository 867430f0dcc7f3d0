#pragma once
// The last requests for GET /__admin/requests of the mocks and of mock-webhook, bounded by entry
// count and by bytes. The caller builds the entry; append() only moves it in under the mutex. The
// details JSON (a mismatch report already built for the response) is shared, not copied.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <string_view>
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

// A request body as a journal keeps it: text, cut at a limit, with the size it had. Bodies are never
// kept as parsed documents (a 4 MiB JSON body is several times that as a tree).
struct JournalBody {
  std::string text;        // the first `limit` bytes
  std::size_t bytes = 0;   // the body's full size
  bool truncated() const { return text.size() < bytes; }
};
JournalBody journaledBody(std::string_view body, std::size_t limit);

struct JournalEntry {
  std::chrono::system_clock::time_point time;
  std::string method;
  std::string path;
  std::string query;
  int status = 0;
  std::string outcome;      // "matched", "unmatched", "fault", "unavailable", "challenge"
  std::string interaction;  // matched interaction's description, or the fault applied
  std::uint64_t latencyMicros = 0;
  std::shared_ptr<const nlohmann::json> details;  // mismatch report, webhook headers, ...
  JournalBody body;                                // webhook deliveries
};

// Bounded twice: by entry count (JOURNAL_SIZE) and by the bytes the entries hold (JOURNAL_MAX_BYTES,
// counted as their strings, body and report sizes); the oldest entries go first.
class RequestJournal {
 public:
  static constexpr std::size_t kDefaultMaxBytes = 4 * 1024 * 1024;
  // The most of one body an entry keeps; also capped at a quarter of maxBytes.
  static constexpr std::size_t kBodyLimit = 64 * 1024;

  explicit RequestJournal(std::size_t capacity, std::size_t maxBytes = kDefaultMaxBytes);
  void append(JournalEntry entry);
  void clear();
  // Oldest first.
  std::vector<JournalEntry> entries() const;
  std::size_t capacity() const { return capacity_; }
  std::size_t maxBytes() const { return maxBytes_; }
  std::size_t bodyLimit() const { return std::min(kBodyLimit, maxBytes_ / 4); }
  std::size_t bytes() const;  // held now
  nlohmann::json toJson() const;

 private:
  struct Slot {
    JournalEntry entry;
    std::size_t bytes;
  };
  std::size_t capacity_;
  std::size_t maxBytes_;
  mutable std::mutex mutex_;
  std::deque<Slot> slots_;   // oldest first
  std::size_t bytes_ = 0;    // sum of slots_' bytes
  std::uint64_t total_ = 0;  // appended since the last clear
};

}  // namespace pactmocks::mockserver
