#pragma once
// A small blocking HTTP/1.1 client over Beast for talking to the broker and the manager.
// One instance keeps one keep-alive connection per host:port and reuses it; its calls are not
// thread-safe (one per thread/worker), cancel() is. Every call has a total timeout. Transport
// failures are returned as values (ClientResult::error), never thrown: callers decide to retry.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/EnvConfig.h"
#include "core/Result.h"
#include "http/Cancellation.h"
#include "http/Message.h"

namespace pactmocks::http {

struct Credentials {
  std::string username, password;  // basic auth when username is non-empty
  std::string bearerToken;         // bearer auth when non-empty (wins over basic)
  bool empty() const { return username.empty() && bearerToken.empty(); }
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

struct ClientResult {
  std::optional<ClientResponse> response;  // set when an HTTP response arrived
  std::string error;                       // otherwise: why not (connect refused, timeout, ...)
  bool ok() const { return response && response->status >= 200 && response->status < 300; }
  int status() const { return response ? response->status : 0; }
};

// Parsed http://host[:port][/base] URL. https is recognised but refused with a clear error.
struct Url {
  std::string scheme, host, basePath;
  std::uint16_t port = 80;
  static Result<Url> parse(const std::string& text);
  std::string origin() const;  // scheme://host:port
};

// The http:// URL in variable `name` (or `fallback`), checked at start-up exactly as the client
// will parse it, so a URL the client would refuse at every call is a configuration error (exit 2)
// naming the variable instead of a retry loop.
std::string urlFromEnv(const EnvConfig& env, const std::string& name, const std::string& fallback);

class HttpClient {
 public:
  // `cancellation` may be shared with other clients of the same worker; by default each client
  // has its own.
  explicit HttpClient(std::string baseUrl, Credentials credentials = {},
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(5000),
                      std::shared_ptr<Cancellation> cancellation = {});
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // `path` is appended to the base URL's path; callers percent-encode segments with
  // percentEncodeSegment. Extra headers may override defaults (Content-Type, Accept).
  ClientResult get(const std::string& path, const Headers& extra = {});
  ClientResult put(const std::string& path, std::string body, const Headers& extra = {});
  ClientResult post(const std::string& path, std::string body, const Headers& extra = {});
  ClientResult request(const std::string& method, const std::string& path, std::string body, const Headers& extra);

  // Thread-safe and sticky: aborts the call in flight and makes every later one fail at once
  // with a "cancelled" error (for every client sharing the Cancellation).
  void cancel();

  void setTimeout(std::chrono::milliseconds timeout);
  const std::string& baseUrl() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pactmocks::http
