#include "http/HttpServer.h"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "http/EventLoopImpl.h"
#include "http/ServerSession.h"

namespace pactmocks::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

using Session = detail::Session<tcp::socket>;

// What the server and its sessions share; sessions keep it alive, so destroying the HttpServer
// while connections drain is safe.
struct HttpServer::Impl : detail::SessionHost, std::enable_shared_from_this<HttpServer::Impl> {
  Impl(EventLoop& loop, ServerOptions opts, Handler h)
      : detail::SessionHost(std::move(opts), std::move(h)),
        io(loop.impl().io),
        multiThreaded(loop.threads() > 1),
        acceptor(asio::make_strand(io)),
        drainTimer(acceptor.get_executor()),
        retryTimer(acceptor.get_executor()) {}

  asio::io_context& io;
  bool multiThreaded;
  tcp::acceptor acceptor;
  asio::steady_timer drainTimer;
  asio::steady_timer retryTimer;

  detail::SessionRegistry<Session> sessions;

  void accept();
  void stopTimers() { retryTimer.cancel(); }
  asio::any_io_executor sessionExecutor() {
    // One thread needs no strand; with several, each connection is serialised on its own strand.
    if (multiThreaded) return asio::make_strand(io);
    return io.get_executor();
  }
};

void HttpServer::Impl::accept() {
  acceptor.async_accept(sessionExecutor(), [self = shared_from_this()](const error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || self->stopping) return;
    if (ec) {
      // EMFILE and friends: back off briefly instead of spinning on a failing accept.
      spdlog::warn("accept failed: {}", ec.message());
      self->retryTimer.expires_after(std::chrono::milliseconds(100));
      self->retryTimer.async_wait([self](const error_code& tec) {
        if (!tec) self->accept();
      });
      return;
    }
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto session = std::make_shared<Session>(self, std::move(socket));
    self->sessions.add(session, self->connections.load());
    session->run();
    self->accept();
  });
}

HttpServer::HttpServer(EventLoop& loop, ServerOptions options, Handler handler)
    : impl_(std::make_shared<Impl>(loop, std::move(options), std::move(handler))) {
  auto& opts = impl_->options;
  error_code ec;
  auto address = asio::ip::make_address(opts.address, ec);
  if (ec) throw std::runtime_error("invalid listen address '" + opts.address + "': " + ec.message());
  tcp::endpoint endpoint(address, opts.port);
  const std::string where = opts.address + ":" + std::to_string(opts.port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (ec) throw std::runtime_error("cannot open socket for " + where + ": " + ec.message());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  impl_->acceptor.bind(endpoint, ec);
  if (ec) throw std::runtime_error("cannot bind " + where + ": " + ec.message());
  impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
}

HttpServer::~HttpServer() { stop(std::chrono::milliseconds(0)); }

std::uint16_t HttpServer::port() const {
  error_code ec;
  auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

void HttpServer::start() {
  asio::post(impl_->acceptor.get_executor(), [impl = impl_] { impl->accept(); });
}

void HttpServer::stop(std::chrono::milliseconds drain, std::function<void()> onDrained) {
  if (impl_->stopping.exchange(true)) return;
  detail::beginDrain(impl_, drain, std::move(onDrained));
}

std::size_t HttpServer::connectionCount() const { return impl_->connections.load(std::memory_order_relaxed); }

}  // namespace pactmocks::http
