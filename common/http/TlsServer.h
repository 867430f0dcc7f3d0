#pragma once
// HTTPS next to the plain HttpServer, with the same handler. The TLS code and OpenSSL live in a
// separate module (libpactmocks_tls.so) that is loaded only when a TLS server is made, so a
// process without TLS settings never maps OpenSSL (a few MiB of resident memory).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "http/HttpServer.h"

namespace spdlog {
class logger;
}

namespace pactmocks::http {

struct TlsSettings {
  std::string certFile;  // PEM: the certificate, then any intermediates
  std::string keyFile;   // PEM private key matching the certificate
  // How often the files are checked for a renewed certificate (a Secret update); 0 = never.
  std::chrono::milliseconds reloadInterval{10'000};
  unsigned threads = 1;
};

// Why a TLS server could not be made; `input` says which setting is at fault.
class TlsSetupError : public std::runtime_error {
 public:
  enum class Input { Certificate, Key, Module, Listen };
  TlsSetupError(Input input, const std::string& message) : std::runtime_error(message), input_(input) {}
  Input input() const { return input_; }

 private:
  Input input_;
};

class TlsServer {
 public:
  virtual ~TlsServer() = default;
  virtual std::uint16_t port() const = 0;
  virtual void start() = 0;
  // Graceful, as HttpServer::stop (`onDrained` is called on one of the TLS server's threads).
  virtual void stop(std::chrono::milliseconds drain, std::function<void()> onDrained = {}) = 0;
  virtual std::size_t connectionCount() const = 0;
  // Successful certificate reloads so far (for tests and logs).
  virtual std::size_t reloads() const = 0;
};

// Loads the TLS module, reads the certificate and key, binds and listens on its own threads.
// Throws TlsSetupError.
std::unique_ptr<TlsServer> makeTlsServer(ServerOptions options, TlsSettings settings, Handler handler);

}  // namespace pactmocks::http

// The module's one entry point. C linkage so dlsym finds it by name; C++ types cross the boundary
// (same compiler and standard library), errors come back through `input`/`message`, not exceptions.
// The module links its own private copy of spdlog and the C++ runtime (cmake/SelfContained.cmake):
// `logger` is the process's logger, which the module's logging then writes to.
extern "C" pactmocks::http::TlsServer* pactmocks_tls_create(const pactmocks::http::ServerOptions* options,
                                                            const pactmocks::http::TlsSettings* settings,
                                                            const pactmocks::http::Handler* handler,
                                                            const std::shared_ptr<spdlog::logger>* logger,
                                                            int* input, std::string* message);
