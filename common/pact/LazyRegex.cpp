#include "pact/LazyRegex.h"

#include <re2/re2.h>

#include <cstdint>
#include <stdexcept>

namespace pactmocks::pact {

namespace {
re2::RE2::Options options(std::int64_t maxMem = re2::RE2::Options::kDefaultMaxMem) {
  re2::RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(maxMem);
  return opts;
}

// RE2's default budget (8 MiB) lets each regex grow a DFA cache of its own: 9-24 KiB per path
// pattern once it has matched, 15 MiB for the 625 of a 10,000-interaction GCP set. Contract
// regexes run on short texts (paths, header values, body leaves), where RE2's other engines are
// as fast as a DFA spread over that much memory (measured 230-570 ns against 140-870 ns), so a
// regex is compiled with a small budget: ~3 KiB each. One whose program does not fit it gets the
// default, so no valid pattern is refused.
constexpr std::int64_t kLeanMaxMem = 32 << 10;
}  // namespace

LazyRegex::LazyRegex(std::string pattern, const std::string& what) : pattern_(std::move(pattern)) {
  // Validate now and let the compiled form go: it is rebuilt only if a request needs it.
  re2::RE2 probe(pattern_, options());
  if (!probe.ok()) throw std::invalid_argument("invalid " + what + " '" + pattern_ + "': " + probe.error());
}

LazyRegex::~LazyRegex() = default;

const re2::RE2& LazyRegex::compiled() const {
  std::call_once(once_, [this] {
    re_ = std::make_unique<re2::RE2>(pattern_, options(kLeanMaxMem));
    if (!re_->ok()) re_ = std::make_unique<re2::RE2>(pattern_, options());
    built_.store(true, std::memory_order_release);
  });
  return *re_;
}

bool LazyRegex::fullMatch(std::string_view text) const { return re2::RE2::FullMatch(text, compiled()); }

std::optional<std::string> LazyRegex::firstCapture(std::string_view text) const {
  const re2::RE2& re = compiled();
  std::string group;
  if (re.NumberOfCapturingGroups() < 1 || !re2::RE2::PartialMatch(text, re, &group)) return std::nullopt;
  return group;
}

}  // namespace pactmocks::pact
