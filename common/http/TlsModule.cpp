// The TLS module (libpactmocks_tls.so): an HTTPS listener on its own io_context and threads,
// serving connections with the same Session code as HttpServer over an OpenSSL stream. Built with
// hidden visibility and its own copy of Asio/Beast, so nothing but pactmocks_tls_create is shared
// with the process that loads it.
#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/strand.hpp>
#include <openssl/ssl.h>

#include "http/ServerSession.h"
#include "http/TlsServer.h"

namespace pactmocks::http {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using TlsSession = detail::Session<ssl::stream<tcp::socket>>;

// What identifies a file's content cheaply; a kubelet Secret update swaps the ..data symlink, so
// stat() (which follows links) sees a new inode and mtime.
struct FileStamp {
  ino_t inode = 0;
  std::int64_t mtimeNs = 0;
  off_t size = 0;
  bool operator==(const FileStamp&) const = default;
};

FileStamp stampOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {st.st_ino, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec, st.st_size};
}

std::string opensslError(const error_code& ec) {
  std::string out = ec.message();
  if (out.empty() || out == "unspecified system error") out = "not a valid PEM file";
  return out;
}

// Reads the certificate chain and key into a new context. Throws TlsSetupError.
std::shared_ptr<ssl::context> loadContext(const TlsSettings& s) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  error_code ec;
  ctx->use_certificate_chain_file(s.certFile, ec);
  if (ec) throw TlsSetupError(TlsSetupError::Input::Certificate, "cannot use certificate " + s.certFile + ": " + opensslError(ec));
  ctx->use_private_key_file(s.keyFile, ssl::context::pem, ec);
  if (ec) throw TlsSetupError(TlsSetupError::Input::Key, "cannot use private key " + s.keyFile + ": " + opensslError(ec));
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
    throw TlsSetupError(TlsSetupError::Input::Key, "private key " + s.keyFile + " does not match certificate " + s.certFile);
  return ctx;
}

class TlsServerImpl final : public TlsServer {
  struct Host : detail::SessionHost, std::enable_shared_from_this<Host> {
    Host(ServerOptions o, Handler h, TlsSettings s, unsigned threads)
        : detail::SessionHost(std::move(o), std::move(h)),
          settings(std::move(s)),
          io(static_cast<int>(threads)),
          work(io.get_executor()),
          acceptor(asio::make_strand(io)),
          drainTimer(acceptor.get_executor()),
          retryTimer(acceptor.get_executor()),
          reloadTimer(acceptor.get_executor()),
          multiThreaded(threads > 1) {}

    TlsSettings settings;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    tcp::acceptor acceptor;
    asio::steady_timer drainTimer;
    asio::steady_timer retryTimer;
    asio::steady_timer reloadTimer;
    bool multiThreaded;

    std::mutex contextMutex;
    std::shared_ptr<ssl::context> context;
    FileStamp certStamp, keyStamp;
    std::atomic<std::size_t> reloads{0};

    detail::SessionRegistry<TlsSession> sessions;

    std::shared_ptr<ssl::context> currentContext() {
      std::lock_guard lock(contextMutex);
      return context;
    }

    void accept() {
      auto executor = multiThreaded ? asio::any_io_executor(asio::make_strand(io)) : asio::any_io_executor(io.get_executor());
      acceptor.async_accept(executor, [self = shared_from_this()](const error_code& ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || self->stopping) return;
        if (ec) {
          spdlog::warn("TLS accept failed: {}", ec.message());
          self->retryTimer.expires_after(std::chrono::milliseconds(100));
          self->retryTimer.async_wait([self](const error_code& tec) {
            if (!tec) self->accept();
          });
          return;
        }
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        // Each connection takes the context current at accept time; OpenSSL reference-counts it,
        // so a reload never disturbs connections already open.
        auto session = std::make_shared<TlsSession>(self, std::move(socket), *self->currentContext());
        self->sessions.add(session, self->connections.load());
        session->run();
        self->accept();
      });
    }

    void scheduleReload() {
      if (settings.reloadInterval.count() <= 0) return;
      reloadTimer.expires_after(settings.reloadInterval);
      reloadTimer.async_wait([self = shared_from_this()](const error_code& ec) {
        if (ec || self->stopping) return;
        self->reloadIfChanged();
        self->scheduleReload();
      });
    }

    void reloadIfChanged() {
      const FileStamp cert = stampOf(settings.certFile), key = stampOf(settings.keyFile);
      if (cert == certStamp && key == keyStamp) return;
      try {
        auto fresh = loadContext(settings);
        {
          std::lock_guard lock(contextMutex);
          context = std::move(fresh);
        }
        certStamp = cert;
        keyStamp = key;
        ++reloads;
        spdlog::info("TLS certificate reloaded from {}", settings.certFile);
      } catch (const TlsSetupError& e) {
        // Half-written files during a rotation: keep serving the old certificate, retry next time.
        spdlog::warn("TLS certificate not reloaded (keeping the current one): {}", e.what());
      }
    }

    void stopTimers() {
      retryTimer.cancel();
      reloadTimer.cancel();
    }
  };

 public:
  TlsServerImpl(ServerOptions options, TlsSettings settings, Handler handler) {
    const unsigned threads = std::max(1u, settings.threads);
    host_ = std::make_shared<Host>(std::move(options), std::move(handler), std::move(settings), threads);
    auto& h = *host_;
    h.context = loadContext(h.settings);
    h.certStamp = stampOf(h.settings.certFile);
    h.keyStamp = stampOf(h.settings.keyFile);
    error_code ec;
    auto address = asio::ip::make_address(h.options.address, ec);
    if (ec) throw TlsSetupError(TlsSetupError::Input::Listen, "invalid listen address '" + h.options.address + "'");
    const tcp::endpoint endpoint(address, h.options.port);
    const std::string where = h.options.address + ":" + std::to_string(h.options.port);
    h.acceptor.open(endpoint.protocol(), ec);
    if (!ec) h.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) h.acceptor.bind(endpoint, ec);
    if (!ec) h.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw TlsSetupError(TlsSetupError::Input::Listen, "cannot listen on " + where + ": " + ec.message());
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([host = host_] { host->io.run(); });
  }

  ~TlsServerImpl() override {
    stop(std::chrono::milliseconds(0), {});
    host_->work.reset();
    // Give the close operations posted by stop() a moment, then end the loop.
    asio::post(host_->io, [host = host_] { host->io.stop(); });
    for (auto& t : threads_) t.join();
    // Handlers still queued hold sessions, and sessions hold the host that owns this io_context:
    // run what is left (the aborted operations of closed sockets) so that cycle ends and all of it
    // is freed. Bounded, in case a peer keeps something open.
    host_->io.restart();
    host_->io.run_for(std::chrono::seconds(1));
  }

  std::uint16_t port() const override {
    error_code ec;
    auto endpoint = host_->acceptor.local_endpoint(ec);
    return ec ? 0 : endpoint.port();
  }

  void start() override {
    asio::post(host_->acceptor.get_executor(), [host = host_] {
      host->accept();
      host->scheduleReload();
    });
  }

  void stop(std::chrono::milliseconds drain, std::function<void()> onDrained) override {
    if (host_->stopping.exchange(true)) return;
    detail::beginDrain(host_, drain, std::move(onDrained));
  }

  std::size_t connectionCount() const override { return host_->connections.load(std::memory_order_relaxed); }
  std::size_t reloads() const override { return host_->reloads.load(); }

 private:
  std::shared_ptr<Host> host_;
  std::vector<std::thread> threads_;
};

}  // namespace
}  // namespace pactmocks::http

extern "C" __attribute__((visibility("default"))) pactmocks::http::TlsServer* pactmocks_tls_create(
    const pactmocks::http::ServerOptions* options, const pactmocks::http::TlsSettings* settings,
    const pactmocks::http::Handler* handler, const std::shared_ptr<spdlog::logger>* logger, int* input,
    std::string* message) {
  using pactmocks::http::TlsSetupError;
  if (logger && *logger) spdlog::set_default_logger(*logger);  // this module's spdlog writes where the process's does
  try {
    return new pactmocks::http::TlsServerImpl(*options, *settings, *handler);  // owned by the caller's unique_ptr
  } catch (const TlsSetupError& e) {
    *input = static_cast<int>(e.input());
    *message = e.what();
  } catch (const std::exception& e) {
    *input = static_cast<int>(TlsSetupError::Input::Listen);
    *message = e.what();
  }
  return nullptr;
}
