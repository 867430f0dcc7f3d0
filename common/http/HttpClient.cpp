#include "http/HttpClient.h"

#include "core/Base64.h"

#include <cctype>
#include <charconv>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace pactmocks::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

// Errors that mean "the kept-alive connection was closed by the server before we used it".
bool isStaleConnection(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == bhttp::error::partial_message;
}

}  // namespace

Result<Url> Url::parse(const std::string& text) {
  std::string_view rest = text;
  const auto schemeEnd = rest.find("://");
  if (schemeEnd == std::string_view::npos) {
    return fail("'" + text + "' is not a URL (expected http://host[:port][/path])");
  }
  Url url;
  url.scheme = std::string(rest.substr(0, schemeEnd));
  for (auto& c : url.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (url.scheme == "https") {
    return fail("'" + text + "': https is not supported (plain http inside the pod only)");
  }
  if (url.scheme != "http") {
    return fail("'" + text + "': unsupported scheme '" + url.scheme + "' (expected http)");
  }
  rest.remove_prefix(schemeEnd + 3);
  const auto pathStart = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, pathStart);
  std::string_view path = pathStart == std::string_view::npos ? std::string_view() : rest.substr(pathStart);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    return fail("'" + text + "': credentials in the URL are not supported (use the username/password settings)");
  }

  std::string_view host = authority, portText;
  if (!authority.empty() && authority.front() == '[') {  // IPv6 literal
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return fail("'" + text + "': unterminated IPv6 address");
    }
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return fail("'" + text + "': unexpected characters after the IPv6 address");
      }
      portText = after.substr(1);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    portText = authority.substr(colon + 1);
  }
  if (host.empty()) {
    return fail("'" + text + "': missing host");
  }
  url.host = std::string(host);
  if (!portText.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), value);
    if (ec != std::errc() || end != portText.data() + portText.size() || value == 0 || value > 65535) {
      return fail("'" + text + "': invalid port '" + std::string(portText) + "' (expected 1-65535)");
    }
    url.port = static_cast<std::uint16_t>(value);
  }
  path = path.substr(0, path.find_first_of("?#"));
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  url.basePath = std::string(path);
  return url;
}

std::string urlFromEnv(const EnvConfig& env, const std::string& name, const std::string& fallback) {
  std::string url = env.url(name, fallback);
  if (auto parsed = Url::parse(url); !parsed) throw ConfigError(name, parsed.error());
  return url;
}

std::string Url::origin() const {
  const bool v6 = host.find(':') != std::string::npos;
  return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

struct HttpClient::Impl {
  Impl(std::string base, Credentials creds, std::chrono::milliseconds t, std::shared_ptr<Cancellation> c)
      : baseUrl(std::move(base)),
        credentials(std::move(creds)),
        timeout(t),
        cancellation(c ? std::move(c) : std::make_shared<Cancellation>()),
        resolver(io),
        stream(io) {
    if (auto parsed = Url::parse(baseUrl)) {
      url = std::move(*parsed);
    } else {
      urlError = parsed.error();
    }
    hostPort = url.host + ":" + std::to_string(url.port);
    if (!credentials.bearerToken.empty()) {
      authorization = "Bearer " + credentials.bearerToken;
    } else if (!credentials.username.empty()) {
      authorization = "Basic " + base64Encode(credentials.username + ":" + credentials.password);
    }
    // The abort runs on the private io_context, the only place its objects may be touched; a
    // call that is not running yet sees the flag first.
    subscription = cancellation->subscribe([this] {
      asio::post(io, [this] {
        error_code ignored;
        resolver.cancel();
        stream.socket().cancel(ignored);
      });
    });
  }
  ~Impl() { cancellation->unsubscribe(subscription); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  std::string baseUrl;
  Credentials credentials;
  std::chrono::milliseconds timeout;
  Url url;
  std::string urlError;
  std::string hostPort;
  std::string authorization;
  std::shared_ptr<Cancellation> cancellation;
  std::size_t subscription = 0;

  asio::io_context io{1};
  tcp::resolver resolver;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  bool connected = false;

  // Runs one asynchronous operation to completion on the private io_context.
  template <class Start>
  error_code run(Start&& start) {
    error_code result = asio::error::would_block;
    start([&result](error_code ec, auto&&...) { result = ec; });
    // A cancel() whose posted abort already ran (between two operations, with nothing to abort)
    // set the flag first: abort this operation here, or it would wait for its deadline.
    if (cancellation->cancelled()) {
      error_code ignored;
      resolver.cancel();
      stream.socket().cancel(ignored);
    }
    io.restart();
    io.run();
    return result;
  }

  std::string cancelledError() const { return "request to " + hostPort + " cancelled (shutting down)"; }

  std::string describe(const error_code& ec, std::string_view what) const {
    if (cancellation->cancelled()) return cancelledError();
    if (ec == beast::error::timeout || ec == asio::error::timed_out) {
      return "timeout after " + std::to_string(timeout.count()) + " ms (" + std::string(what) + " " + hostPort + ")";
    }
    return std::string(what) + " " + hostPort + ": " + ec.message();
  }

  void disconnect() {
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.clear();
    connected = false;
  }

  std::optional<std::string> connect(std::chrono::steady_clock::time_point deadline) {
    tcp::resolver::results_type endpoints;
    asio::steady_timer guard(io);
    guard.expires_at(deadline);
    guard.async_wait([this](const error_code& ec) {
      if (!ec) resolver.cancel();
    });
    error_code ec = run([&](auto handler) {
      resolver.async_resolve(url.host, std::to_string(url.port), [&, handler](error_code e, tcp::resolver::results_type r) {
        endpoints = std::move(r);
        guard.cancel();
        handler(e);
      });
    });
    if (cancellation->cancelled()) return cancelledError();
    if (ec == asio::error::operation_aborted) return describe(beast::error::timeout, "resolving");
    if (ec) return "resolve " + url.host + ": " + ec.message();
    stream.expires_at(deadline);
    ec = run([&](auto handler) {
      stream.async_connect(endpoints, [handler](error_code e, const tcp::endpoint&) { handler(e); });
    });
    if (ec) {
      stream.close();
      return describe(ec, "connect to");
    }
    stream.socket().set_option(tcp::no_delay(true), ec);
    connected = true;
    return std::nullopt;
  }

  ClientResult exchange(const bhttp::request<bhttp::string_body>& req, bool& staleConnection,
                        std::chrono::steady_clock::time_point deadline) {
    staleConnection = false;
    stream.expires_at(deadline);
    error_code ec = run([&](auto handler) {
      bhttp::async_write(stream, req, [handler](error_code e, std::size_t) { handler(e); });
    });
    if (ec) {
      staleConnection = isStaleConnection(ec);
      disconnect();
      return {std::nullopt, describe(ec, "sending request to")};
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    if (req.method() == bhttp::verb::head) parser.skip(true);
    stream.expires_at(deadline);
    ec = run([&](auto handler) {
      bhttp::async_read(stream, buffer, parser, [handler](error_code e, std::size_t) { handler(e); });
    });
    if (ec) {
      staleConnection = isStaleConnection(ec) && !parser.got_some();
      disconnect();
      return {std::nullopt, describe(ec, "reading response from")};
    }
    auto message = parser.release();
    ClientResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      response.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    response.body = std::move(message.body());
    if (!message.keep_alive()) disconnect();
    return {std::move(response), {}};
  }
};

HttpClient::HttpClient(std::string baseUrl, Credentials credentials, std::chrono::milliseconds timeout,
                       std::shared_ptr<Cancellation> cancellation)
    : impl_(std::make_unique<Impl>(std::move(baseUrl), std::move(credentials), timeout, std::move(cancellation))) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

ClientResult HttpClient::get(const std::string& path, const Headers& extra) { return request("GET", path, {}, extra); }
ClientResult HttpClient::put(const std::string& path, std::string body, const Headers& extra) {
  return request("PUT", path, std::move(body), extra);
}
ClientResult HttpClient::post(const std::string& path, std::string body, const Headers& extra) {
  return request("POST", path, std::move(body), extra);
}

ClientResult HttpClient::request(const std::string& method, const std::string& path, std::string body,
                                 const Headers& extra) {
  Impl& d = *impl_;
  if (!d.urlError.empty()) return {std::nullopt, d.urlError};
  if (d.cancellation->cancelled()) return {std::nullopt, d.cancelledError()};

  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  std::string target = d.url.basePath;
  if (path.empty() || path.front() != '/') target.push_back('/');
  target += path;
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, d.url.port == 80 ? d.url.host : d.hostPort);
  req.set(bhttp::field::user_agent, "pact-mocks");
  req.set(bhttp::field::accept, "application/json");
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req.set(bhttp::field::content_type, "application/json");
  }
  if (!d.authorization.empty()) req.set(bhttp::field::authorization, d.authorization);
  for (const auto& [name, value] : extra.fields()) req.set(name, value);
  req.body() = std::move(body);
  req.prepare_payload();

  const auto deadline = std::chrono::steady_clock::now() + d.timeout;
  // A reused keep-alive connection may have been closed by the server meanwhile: if it turns out
  // dead before any response byte arrived, reconnect once and send again.
  for (int attempt = 0;; ++attempt) {
    const bool reused = d.connected;
    if (!d.connected) {
      if (auto error = d.connect(deadline)) return {std::nullopt, *error};
    }
    bool stale = false;
    ClientResult result = d.exchange(req, stale, deadline);
    if (result.response || !(reused && stale) || attempt > 0 || d.cancellation->cancelled()) return result;
  }
}

void HttpClient::cancel() { impl_->cancellation->cancel(); }

void HttpClient::setTimeout(std::chrono::milliseconds timeout) { impl_->timeout = timeout; }
const std::string& HttpClient::baseUrl() const { return impl_->baseUrl; }

}  // namespace pactmocks::http
