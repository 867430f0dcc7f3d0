#pragma once
// Private to common/http: one server connection over a plain TCP socket or a TLS stream. Included
// by HttpServer.cpp (plain) and the TLS module (TlsModule.cpp), so both serve exactly the same way.
#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>
#include <string>
#include <type_traits>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "http/HttpServer.h"

namespace pactmocks::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

// Appends a decimal number without going through iostreams or temporaries.
inline void appendNumber(std::string& out, std::size_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, end);
}

inline std::string_view reasonPhrase(int status) {
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  return reason.empty() || reason == "<unknown-status>" ? std::string_view("Unknown") : std::string_view(reason);
}

inline bool isFramingHeader(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") || iequals(name, "Connection");
}

inline Response errorResponse(int status, const std::string& message) {
  return Response::json(status, nlohmann::json{{"error", message}});
}

// What a listener shares with its connections, and how it learns that a drain is over.
struct SessionHost {
  SessionHost(ServerOptions o, Handler h) : options(std::move(o)), handler(std::move(h)) {}
  ServerOptions options;
  Handler handler;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connections{0};

  void sessionOpened() { connections.fetch_add(1, std::memory_order_relaxed); }
  void sessionClosed() {
    if (connections.fetch_sub(1, std::memory_order_acq_rel) == 1 && stopping.load()) notifyDrained();
  }
  // Set by stop() before it looks at the connection count; called once, by whoever sees the
  // last connection end or the drain time run out first (any thread).
  void setOnDrained(std::function<void()> fn) {
    std::lock_guard lock(drainMutex_);
    onDrained_ = std::move(fn);
  }
  void notifyDrained() {
    std::function<void()> fn;
    {
      std::lock_guard lock(drainMutex_);
      fn = std::move(onDrained_);
      onDrained_ = nullptr;
    }
    if (fn) fn();
  }

 private:
  std::mutex drainMutex_;
  std::function<void()> onDrained_;
};

// One connection: read a request, answer it, repeat. Everything runs on the socket's executor,
// so there is never more than one operation of each kind in flight and no locking is needed.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  // `args` construct the stream: a tcp::socket, or (tcp::socket, ssl::context&) for TLS.
  template <class... Args>
  explicit Session(std::shared_ptr<SessionHost> server, Args&&... args)
      : server_(std::move(server)),
        stream_(std::forward<Args>(args)...),
        deadlineTimer_(stream_.get_executor()),
        delayTimer_(stream_.get_executor()),
        checkInterval_(std::clamp<Clock::duration>(
            std::min(server_->options.readTimeout, server_->options.idleTimeout) / 4, std::chrono::milliseconds(5),
            std::chrono::milliseconds(1000))) {
    error_code ec;
    auto remote = socket().remote_endpoint(ec);
    if (!ec) remoteAddress_ = remote.address().to_string();
    server_->sessionOpened();
  }

  ~Session() { server_->sessionClosed(); }

  // Called on the acceptor's strand: everything from here on runs on the connection's own
  // strand, or its deadline handler could race with start() on another thread.
  void run() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->start(); });
  }

  // From any thread: close now if no request is being served, else after the current response.
  void requestClose(bool force) {
    asio::post(stream_.get_executor(), [self = this->shared_from_this(), force] {
      self->closeAfterResponse_ = true;
      if (!force) self->answerParked();  // a parked long-poll is answered now, then closed
      if (force) return self->closeSocket();
      // An idle client may have sent its next request already: a plain close would answer it
      // with an RST (unread data), which can also destroy our last answer still in flight.
      if (self->phase_ == Phase::Idle) self->lingeringClose();
    });
  }

 private:
  enum class Phase { Idle, Reading, Handling, Writing, Closed };
  // The first read of a request on an idle connection (larger requests are read on by Beast).
  static constexpr std::size_t kFirstReadBytes = 1024;

  void start() {
    const auto now = Clock::now();
    if constexpr (kTls) {
      // The handshake is part of receiving the first request: bounded by the read timeout.
      deadline_ = now + server_->options.readTimeout;
      phase_ = Phase::Reading;
      armDeadlineTimer(now);
      stream_.async_handshake(Stream::server, [self = this->shared_from_this()](const error_code& ec) {
        if (ec) {
          spdlog::debug("TLS handshake with {} failed: {}", self->remoteAddress_, ec.message());
          return self->closeSocket();
        }
        self->waitForRequest();
      });
    } else {
      deadline_ = now + server_->options.idleTimeout;
      armDeadlineTimer(now);
      waitForRequest();
    }
  }

  // --- deadline: one timer per connection that wakes at most every checkInterval_ and compares
  // with deadline_, so moving the deadline (every request) costs no timer operation.
  void armDeadlineTimer(Clock::time_point now) {
    deadlineTimer_.expires_at(std::min(deadline_, now + checkInterval_));
    deadlineTimer_.async_wait([self = this->shared_from_this()](const error_code& ec) { self->onDeadline(ec); });
  }

  void onDeadline(const error_code& ec) {
    if (ec || !socket().is_open()) return;
    const auto now = Clock::now();
    if (now < deadline_) return armDeadlineTimer(now);
    if (phase_ == Phase::Reading) {
      spdlog::debug("closing connection from {}: request not received within {} ms", remoteAddress_,
                    server_->options.readTimeout.count());
    }
    closeSocket();
  }

  // --- reading ---------------------------------------------------------------------------------
  void waitForRequest() {
    if (server_->stopping.load(std::memory_order_relaxed) || closeAfterResponse_) {
      // A request may already be on its way (a connection accepted as the drain began): FIN, not RST.
      if constexpr (!kTls) return lingeringClose();
      closeSocket();
      return;
    }
    if (buffer_.size() > 0) {  // pipelined bytes already here
      readRequest(server_->options.readTimeout);
      return;
    }
    phase_ = Phase::Idle;
    deadline_ = Clock::now() + server_->options.idleTimeout;
    if constexpr (kTls) {
      // Decrypted bytes may wait inside the TLS engine where a socket wait cannot see them: read
      // at once, with the idle timeout as the deadline.
      readRequest(server_->options.idleTimeout);
    } else {
      // The first bytes of the next request end the idle keep-alive time; the read timeout counts
      // from them. A read rather than a readiness wait: Asio re-arms epoll (one epoll_ctl) for
      // every wait, and the bytes would be read right after anyway. buffer_ keeps its capacity
      // between requests, so this allocates only on a connection's first request.
      socket().async_read_some(buffer_.prepare(kFirstReadBytes),
                               [self = this->shared_from_this()](const error_code& ec, std::size_t n) {
                                 if (self->phase_ == Phase::Closed) return;  // closed, or a lingering close owns the socket
                                 if (ec) return self->closeSocket();
                                 self->buffer_.commit(n);
                                 self->readRequest(self->server_->options.readTimeout);
                               });
    }
  }

  void readRequest(Clock::duration timeout) {
    phase_ = Phase::Reading;
    deadline_ = Clock::now() + timeout;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(server_->options.maxHeaderBytes, UINT32_MAX)));
    parser_->body_limit(server_->options.maxBodyBytes);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = this->shared_from_this()](const error_code& ec, std::size_t) { self->onHeader(ec); });
  }

  void onHeader(const error_code& ec) {
    if (ec) return onReadError(ec);
    if (parser_->is_done()) return handle();
    auto expect = parser_->get()[bhttp::field::expect];
    if (iequals(expect, "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      // Small and rare: a blocking-free async write of a static buffer, then the body.
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = this->shared_from_this()](const error_code& wec, std::size_t) {
                          if (wec) return self->closeSocket();
                          self->readBody();
                        });
      return;
    }
    readBody();
  }

  void readBody() {
    bhttp::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](const error_code& ec, std::size_t) {
      if (ec) return self->onReadError(ec);
      self->handle();
    });
  }

  void onReadError(const error_code& ec) {
    if (phase_ == Phase::Closed) return;
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset) {
      return closeSocket();
    }
    if (ec == bhttp::error::header_limit) {
      return sendErrorAndClose(431, "request header fields too large (limit " +
                                        std::to_string(server_->options.maxHeaderBytes) + " bytes)");
    }
    if (ec == bhttp::error::body_limit) {
      return sendErrorAndClose(413, "payload too large (limit " + std::to_string(server_->options.maxBodyBytes) +
                                        " bytes)");
    }
    if (ec == bhttp::error::partial_message) return closeSocket();  // peer went away mid-request
    if (&ec.category() == &bhttp::make_error_code(bhttp::error::bad_method).category()) {
      return sendErrorAndClose(400, "malformed request: " + ec.message());
    }
    spdlog::debug("read from {} failed: {}", remoteAddress_, ec.message());
    closeSocket();
  }

  // Connection-level errors: answer, then close after giving the client a moment to read it.
  void sendErrorAndClose(int status, const std::string& message) {
    closeAfterResponse_ = true;
    // Logged: nothing else records a request that never reached the handler.
    spdlog::info("rejected a request from {}: {} {}", remoteAddress_, status, message);
    const auto& respond = server_->options.rejectionResponse;
    writeResponse(respond ? respond(status, message) : errorResponse(status, message), /*head=*/false);
  }

  // --- handling ----------------------------------------------------------------------------
  void handle() {
    phase_ = Phase::Handling;
    auto& message = parser_->get();
    const bool head = message.method() == bhttp::verb::head;
    if (!message.keep_alive()) closeAfterResponse_ = true;
    http10_ = message.version() == 10;

    Request& request = request_;
    request.method.assign(message.method_string().data(), message.method_string().size());
    auto target = message.target();
    request.target.assign(target.data(), target.size());
    auto q = target.find('?');
    request.path.assign(target.data(), q == std::string_view::npos ? target.size() : q);
    if (q == std::string_view::npos) {
      request.query.clear();
    } else {
      request.query.assign(target.data() + q + 1, target.size() - q - 1);
    }
    fieldViews_.clear();
    for (const auto& field : message) fieldViews_.emplace_back(field.name_string(), field.value());
    request.headers.assign(fieldViews_);
    fieldViews_.clear();  // views into parser_, which the next request replaces
    request.body = std::move(message.body());
    request.remoteAddress = remoteAddress_;
    request.params.clear();

    Response response;
    try {
      response = server_->handler(request);
    } catch (const std::exception& e) {
      spdlog::error("handler failed for {} {}: {}", request.method, request.target, e.what());
      response = errorResponse(500, std::string("internal error: ") + e.what());
    } catch (...) {
      spdlog::error("handler failed for {} {}: unknown exception", request.method, request.target);
      response = errorResponse(500, "internal error");
    }
    if (auto connection = response.headers.get("Connection"); connection && iequals(*connection, "close")) {
      closeAfterResponse_ = true;
    }

    if (response.deferred) return park(std::move(response.deferred), response.delay, head);
    if (response.delay.count() > 0) {
      auto delay = std::min(response.delay, server_->options.maxDelay);
      deadline_ = Clock::time_point::max();  // the delay is ours, not the client's fault
      delayTimer_.expires_after(delay);
      pending_ = std::move(response);
      delayTimer_.async_wait([self = this->shared_from_this(), head](const error_code& ec) {
        if (ec || self->phase_ == Phase::Closed) return;
        Response r = std::move(*self->pending_);
        self->pending_.reset();
        self->dispatch(std::move(r), head);
      });
      return;
    }
    dispatch(std::move(response), head);
  }

  // A long-poll: no thread waits. The answer comes from DeferredResponse::complete() (posted here
  // from any thread), the timeout, or the server's shutdown, whichever is first.
  void park(std::shared_ptr<DeferredResponse> deferred, std::chrono::milliseconds timeout, bool head) {
    deadline_ = Clock::time_point::max();  // the wait is ours, not the client's fault
    deferred_ = deferred;
    deferredHead_ = head;
    delayTimer_.expires_after(std::min(timeout, server_->options.maxDelay));
    delayTimer_.async_wait([self = this->shared_from_this()](const error_code& ec) {
      if (ec || self->phase_ == Phase::Closed) return;
      self->answerParked();
    });
    deferred->attach([weak = this->weak_from_this()](Response response) {
      auto self = weak.lock();
      if (!self) return;
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        if (self->phase_ == Phase::Closed || !self->deferred_) return;
        self->deferred_.reset();
        self->delayTimer_.cancel();
        self->dispatch(std::move(response), self->deferredHead_);
      });
    });
  }

  // Timeout or shutdown: the handler's current answer, unless complete() got there first (its
  // posted answer then follows).
  void answerParked() {
    if (!deferred_ || !deferred_->claim()) return;
    auto deferred = std::move(deferred_);
    delayTimer_.cancel();
    dispatch(deferred->timeoutResponse(), deferredHead_);
  }

  void dispatch(Response response, bool head) {
    switch (response.fault) {
      case Response::Fault::ResetConnection:
        return resetConnection();
      case Response::Fault::MalformedBody:
        closeAfterResponse_ = true;
        return writeResponse(std::move(response), head, /*malformed=*/true);
      case Response::Fault::None:
        return writeResponse(std::move(response), head);
    }
  }

  // --- writing -----------------------------------------------------------------------------
  void writeResponse(Response response, bool head, bool malformed = false) {
    phase_ = Phase::Writing;
    deadline_ = Clock::now() + server_->options.readTimeout;
    response_ = std::move(response);
    if (server_->stopping.load(std::memory_order_relaxed)) closeAfterResponse_ = true;

    // Serialised by hand into a reused buffer: no per-request header container allocations.
    std::string& out = headerBuffer_;
    out.clear();
    out.append(http10_ ? "HTTP/1.0 " : "HTTP/1.1 ");
    appendNumber(out, static_cast<std::size_t>(response_.status));
    out.push_back(' ');
    out.append(reasonPhrase(response_.status));
    out.append("\r\nServer: ");
    out.append(server_->options.serverHeader);
    for (const auto& [name, value] : response_.headers.fields()) {
      if (isFramingHeader(name)) continue;
      out.append("\r\n").append(name).append(": ").append(value);
    }
    out.append("\r\nContent-Length: ");
    if (malformed) {
      // Promise more than will ever arrive, and send something that is not the real body.
      if (response_.body.empty()) response_.body = "{\"truncat";
      appendNumber(out, response_.body.size() + 64);
      response_.body.resize(response_.body.size() / 2 + 1);
    } else {
      appendNumber(out, response_.body.size());
    }
    if (closeAfterResponse_) {
      out.append("\r\nConnection: close");
    } else if (http10_) {
      out.append("\r\nConnection: keep-alive");
    }
    out.append("\r\n\r\n");

    // A member, not a local: the write operation keeps referring to the buffer sequence until done.
    writeBuffers_ = {asio::buffer(out), asio::buffer(response_.body)};
    const std::size_t count = (head || response_.status == 204 || response_.status == 304) ? 1 : 2;
    asio::async_write(stream_, std::span(writeBuffers_.data(), count),
                      [self = this->shared_from_this()](const error_code& ec, std::size_t) { self->onWritten(ec); });
  }

  void onWritten(const error_code& ec) {
    if (ec) return closeSocket();
    // Drop the big strings of this exchange but keep the header buffer's capacity.
    response_.body.clear();
    request_.body.clear();
    if (closeAfterResponse_) return lingeringClose();
    waitForRequest();
  }

  // After an error response the client may still be sending (a large body): closing with unread
  // data would make the kernel send RST and the client could lose our response. So half-close,
  // read and discard for a short while, then close.
  void lingeringClose() {
    phase_ = Phase::Closed;
    error_code ignored;
    // An idle connection has a read pending into buffer_: abort it before discardInput() prepares
    // (and may move) that buffer. Its handler then sees Phase::Closed and returns.
    socket().cancel(ignored);
    socket().shutdown(tcp::socket::shutdown_send, ignored);
    deadline_ = Clock::now() + std::chrono::milliseconds(1000);
    discardInput(0);
  }

  void discardInput(std::size_t discarded) {
    if (discarded > 8 * 1024 * 1024 || Clock::now() >= deadline_) return finalClose();
    auto buffer = buffer_.prepare(64 * 1024);
    socket().async_read_some(buffer, [self = this->shared_from_this(), discarded](const error_code& ec, std::size_t n) {
      if (ec) return self->finalClose();
      self->discardInput(discarded + n);
    });
  }

  void resetConnection() {
    phase_ = Phase::Closed;
    // SO_LINGER with a zero timeout turns close() into an RST: the client sees ECONNRESET.
    error_code ignored;
    socket().set_option(asio::socket_base::linger(true, 0), ignored);
    finalClose();
  }

  void closeSocket() {
    phase_ = Phase::Closed;
    finalClose();
  }

  void finalClose() {
    if (deferred_) {
      deferred_->claim();  // the connection is gone: nobody can be answered any more
      deferred_.reset();
    }
    error_code ignored;
    deadlineTimer_.cancel();
    delayTimer_.cancel();
    if (socket().is_open()) {
      socket().close(ignored);
    }
  }

  // The TCP socket under the stream (itself for plain HTTP): waits, shutdown and close act on it.
  tcp::socket& socket() { return beast::get_lowest_layer(stream_); }

  std::shared_ptr<SessionHost> server_;
  Stream stream_;
  asio::steady_timer deadlineTimer_;
  asio::steady_timer delayTimer_;
  Clock::duration checkInterval_;
  Clock::time_point deadline_{};
  Phase phase_ = Phase::Idle;
  std::shared_ptr<DeferredResponse> deferred_;  // a parked long-poll
  bool deferredHead_ = false;
  bool closeAfterResponse_ = false;
  bool http10_ = false;
  std::string remoteAddress_;

  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request request_;
  std::vector<std::pair<std::string_view, std::string_view>> fieldViews_;  // of parser_'s fields, reused
  Response response_;
  std::optional<Response> pending_;
  std::string headerBuffer_;
  std::array<asio::const_buffer, 2> writeBuffers_;
};

// The open connections of a listener, so stop() can close them; weak, so a finished connection
// frees itself.
template <class S>
class SessionRegistry {
 public:
  void add(const std::shared_ptr<S>& session, std::size_t open) {
    std::lock_guard lock(mutex_);
    // Drop entries of sessions that are gone (cheap: amortised over accepts).
    if (sessions_.size() > 64 && sessions_.size() > 2 * open)
      std::erase_if(sessions_, [](const auto& entry) { return entry.second.expired(); });
    sessions_[session.get()] = session;
  }

  // Asks every open session to close: at once when `force`, else after its current response.
  void closeAll(bool force) {
    std::vector<std::shared_ptr<S>> alive;
    {
      std::lock_guard lock(mutex_);
      for (auto& [ptr, weak] : sessions_)
        if (auto s = weak.lock()) alive.push_back(std::move(s));
      if (force) sessions_.clear();
    }
    for (auto& s : alive) s->requestClose(force);
  }

 private:
  std::mutex mutex_;
  std::unordered_map<S*, std::weak_ptr<S>> sessions_;
};

// A listener's stop(), the same for plain and TLS: on the acceptor's strand, stop accepting and
// close idle connections; `onDrained` is called once, when the last connection has ended or the
// drain time is up (then the busy ones are closed as well). `Host` is a SessionHost with an
// acceptor, a drainTimer, its sessions and stopTimers() for its own timers.
template <class Host>
void beginDrain(const std::shared_ptr<Host>& host, std::chrono::milliseconds drain, std::function<void()> onDrained) {
  std::weak_ptr<Host> weak = host;
  host->setOnDrained([weak, onDrained = std::move(onDrained)] {
    // The drain timer would otherwise keep the loop busy until it expires.
    if (auto h = weak.lock()) asio::post(h->acceptor.get_executor(), [h] { h->drainTimer.cancel(); });
    if (onDrained) onDrained();
  });
  asio::post(host->acceptor.get_executor(), [host, drain] {
    error_code ignored;
    host->acceptor.close(ignored);
    host->stopTimers();
    host->sessions.closeAll(drain.count() <= 0);
    if (drain.count() <= 0 || host->connections.load() == 0) return host->notifyDrained();
    host->drainTimer.expires_after(drain);
    host->drainTimer.async_wait([host](const error_code& ec) {
      if (ec) return;
      host->sessions.closeAll(true);  // whatever is still busy when the drain time is up
      host->notifyDrained();
    });
  });
}

}  // namespace pactmocks::http::detail
