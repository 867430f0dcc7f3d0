#pragma once
// The small HTTP types the rest of the code sees. No Beast or Asio here on purpose:
// handlers, the matcher and tests work on these plain values.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace pactmocks::http {

// Case-insensitive ASCII comparison, for header names and methods.
bool iequals(std::string_view a, std::string_view b);

// Header fields in arrival order; names compare case-insensitively. Repeated names are kept.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  void add(std::string name, std::string value);
  void set(std::string name, std::string value);  // replaces every field of that name
  void remove(std::string_view name);
  // First value of the name, if any.
  std::optional<std::string_view> get(std::string_view name) const;
  // Every value of the name, in order.
  std::vector<std::string_view> getAll(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  const std::vector<Field>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }
  void clear() { fields_.clear(); }
  // Replaces every field with these, in order, reusing the storage of the strings held: a server
  // that reads each request of a connection into the same Request allocates nothing here once the
  // fields fit.
  void assign(std::span<const std::pair<std::string_view, std::string_view>> fields);

 private:
  std::vector<Field> fields_;
};

struct Request {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // raw request-target, e.g. "/a%20b?x=1"
  std::string path;    // target up to '?', still percent-encoded
  std::string query;   // after '?', raw (no leading '?'); empty when none
  Headers headers;
  std::string body;
  std::string remoteAddress;
  // Filled by Router: captures of the matched pattern, percent-decoded ({provider} → value).
  std::map<std::string, std::string> params;

  std::string_view param(const std::string& name) const;
};

struct Response;

// A response completed later, from any thread: a long-poll. The handler returns
// Response::parked(deferred, timeout); the server parks the request without blocking a thread
// until deferred->complete(response), the timeout (then it answers onTimeout()), or its own
// shutdown (answered like a timeout). Whoever comes first wins; the rest are no-ops.
class DeferredResponse {
 public:
  explicit DeferredResponse(std::function<Response()> onTimeout);
  // Thread-safe. False when the request was already answered or its connection is gone.
  bool complete(Response response);
  // True once answered, timed out or abandoned (a registry of waiters may drop it).
  bool done() const;

  // For the server: where complete() delivers (a response completed before attach() is kept).
  void attach(std::function<void(Response)> sink);
  // For the server: claims the answer for the timeout or shutdown path, or gives it up when the
  // connection closed; false if already done.
  bool claim();
  Response timeoutResponse() const;

 private:
  mutable std::mutex mutex_;
  bool done_ = false;
  std::function<Response()> onTimeout_;
  std::function<void(Response)> sink_;
  std::unique_ptr<Response> early_;
};

struct Response {
  // What a session does with the response beyond writing it (fault injection).
  enum class Fault { None, ResetConnection, MalformedBody };

  int status = 200;
  Headers headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // wait this long before writing (without blocking a thread)
  Fault fault = Fault::None;
  std::shared_ptr<DeferredResponse> deferred;  // set: park the request, `delay` is the timeout

  static Response parked(std::shared_ptr<DeferredResponse> deferred, std::chrono::milliseconds timeout);
  static Response json(int status, const nlohmann::json& body);
  static Response text(int status, std::string body, std::string contentType = "text/plain; charset=utf-8");
};

// The first value of query parameter `name` in a raw query string ("a=1&b=2"), percent-decoded.
std::optional<std::string> queryValue(std::string_view query, std::string_view name);

// Percent-decoding of a path segment or query component ('+' → ' ' only when plusAsSpace).
// Invalid escapes are kept literally.
std::string percentDecode(std::string_view s, bool plusAsSpace = false);
// Percent-encoding of one path segment (RFC 3986 unreserved characters kept).
std::string percentEncodeSegment(std::string_view s);

}  // namespace pactmocks::http
