#include "http/Message.h"

#include <nlohmann/json.hpp>

namespace pactmocks::http {

namespace {
constexpr char toLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (toLowerAscii(a[i]) != toLowerAscii(b[i])) return false;
  }
  return true;
}

void Headers::add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }

void Headers::assign(std::span<const std::pair<std::string_view, std::string_view>> fields) {
  fields_.resize(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    fields_[i].first.assign(fields[i].first);
    fields_[i].second.assign(fields[i].second);
  }
}

void Headers::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return iequals(f.first, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string_view> Headers::getAll(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) out.emplace_back(v);
  }
  return out;
}

std::string_view Request::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string> queryValue(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (percentDecode(pair.substr(0, eq), true) != name) continue;
    return eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

DeferredResponse::DeferredResponse(std::function<Response()> onTimeout) : onTimeout_(std::move(onTimeout)) {}

bool DeferredResponse::complete(Response response) {
  std::function<void(Response)> sink;
  {
    std::lock_guard lock(mutex_);
    if (done_) return false;
    done_ = true;
    if (!sink_) {
      early_ = std::make_unique<Response>(std::move(response));
      return true;
    }
    sink = std::move(sink_);
  }
  sink(std::move(response));  // outside the lock: the sink posts to the connection's executor
  return true;
}

bool DeferredResponse::done() const {
  std::lock_guard lock(mutex_);
  return done_;
}

void DeferredResponse::attach(std::function<void(Response)> sink) {
  std::unique_ptr<Response> early;
  {
    std::lock_guard lock(mutex_);
    if (!early_) {
      if (!done_) sink_ = std::move(sink);
      return;
    }
    early = std::move(early_);
  }
  sink(std::move(*early));
}

bool DeferredResponse::claim() {
  std::lock_guard lock(mutex_);
  if (done_) return false;
  done_ = true;
  sink_ = nullptr;
  return true;
}

Response DeferredResponse::timeoutResponse() const { return onTimeout_ ? onTimeout_() : Response::text(504, ""); }

Response Response::parked(std::shared_ptr<DeferredResponse> deferred, std::chrono::milliseconds timeout) {
  Response r;
  r.deferred = std::move(deferred);
  r.delay = timeout;
  return r;
}

Response Response::json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  // Bodies echo client input (mismatch reports, journals): invalid UTF-8 from a client must not
  // turn an answer into an exception, so it is replaced (U+FFFD) instead of throwing.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::text(int status, std::string body, std::string contentType) {
  Response r;
  r.status = status;
  r.headers.add("Content-Type", std::move(contentType));
  r.body = std::move(body);
  return r;
}

std::string percentDecode(std::string_view s, bool plusAsSpace) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = hexValue(s[i + 1]), lo = hexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    if (c == '+' && plusAsSpace) {
      out.push_back(' ');
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string percentEncodeSegment(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (isUnreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace pactmocks::http
