#include "pact/LazyRegex.h"

#include <re2/re2.h>

#include <stdexcept>

namespace pactmocks::pact {

namespace {
re2::RE2::Options options() {
  re2::RE2::Options opts;
  opts.set_log_errors(false);
  return opts;
}
}  // namespace

LazyRegex::LazyRegex(std::string pattern, const std::string& what) : pattern_(std::move(pattern)) {
  // Validate now and let the compiled form go: it is rebuilt only if a request needs it.
  re2::RE2 probe(pattern_, options());
  if (!probe.ok()) throw std::invalid_argument("invalid " + what + " '" + pattern_ + "': " + probe.error());
}

LazyRegex::~LazyRegex() = default;

const re2::RE2& LazyRegex::compiled() const {
  std::call_once(once_, [this] {
    re_ = std::make_unique<re2::RE2>(pattern_, options());
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
