#include "http/HttpServer.h"
#include <stdexcept>
namespace pactmocks::http {
struct HttpServer::Impl {};
HttpServer::HttpServer(EventLoop&, ServerOptions, Handler) { throw std::logic_error("HttpServer: not implemented yet"); }
HttpServer::~HttpServer() = default;
std::uint16_t HttpServer::port() const { return 0; }
void HttpServer::start() {}
void HttpServer::stop(std::chrono::milliseconds) {}
std::size_t HttpServer::connectionCount() const { return 0; }
}  // namespace pactmocks::http
