#pragma once
// A validated regex whose RE2 is built on its first use. Contracts can hold hundreds of distinct
// path patterns (one per resource id scheme) that serving never runs one by one, because the
// index's RE2::Set already answers which ones accept a path; an RE2 kept for each of them costs
// ~7 KiB, ~4.5 MiB for the 625 distinct patterns of a 10,000-interaction GCP set.
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace pactmocks::pact {

class LazyRegex {
 public:
  // Throws std::invalid_argument("invalid <what> '<pattern>': <RE2's reason>") for a bad pattern,
  // so a contract's error is reported when it is loaded, not when a request first needs it.
  LazyRegex(std::string pattern, const std::string& what);
  ~LazyRegex();
  LazyRegex(const LazyRegex&) = delete;
  LazyRegex& operator=(const LazyRegex&) = delete;

  const std::string& pattern() const { return pattern_; }
  bool fullMatch(std::string_view text) const;  // thread-safe; compiles on the first call
  // The first capturing group of a match anywhere in `text`; nullopt without a match or a group.
  std::optional<std::string> firstCapture(std::string_view text) const;
  bool built() const { return built_.load(std::memory_order_acquire); }  // whether the RE2 exists yet

 private:
  const re2::RE2& compiled() const;
  std::string pattern_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<re2::RE2> re_;
  mutable std::atomic<bool> built_{false};
};

}  // namespace pactmocks::pact
