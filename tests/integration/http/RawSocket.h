#pragma once
// A deliberately dumb blocking TCP client for tests where the client must misbehave (malformed
// requests, pipelining, dripping bytes) or where the exact bytes on the wire matter.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

namespace pactmocks::test {

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
  bool headerContains(const std::string& text) const { return head.find(text) != std::string::npos; }
};

class RawSocket {
 public:
  explicit RawSocket(std::uint16_t port, std::chrono::milliseconds recvTimeout = std::chrono::milliseconds(5000)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    timeval tv{};
    tv.tv_sec = recvTimeout.count() / 1000;
    tv.tv_usec = (recvTimeout.count() % 1000) * 1000;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      const int err = errno;
      ::close(fd_);
      throw std::runtime_error("connect: " + std::string(std::strerror(err)));
    }
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  // False when the peer is gone (EPIPE/ECONNRESET).
  bool send(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // One recv: >0 bytes, 0 on orderly close, -1 with lastErrno() set (EAGAIN on timeout).
  ssize_t recvSome(std::string& into) {
    char chunk[16 * 1024];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) into.append(chunk, static_cast<std::size_t>(n));
    lastErrno_ = n < 0 ? errno : 0;
    return n;
  }

  // Reads until the peer closes (or an error/timeout); returns everything received.
  std::string readUntilClose() {
    std::string all;
    while (recvSome(all) > 0) {
    }
    return all;
  }

  // Reads one Content-Length framed response (leftover bytes stay buffered for the next call).
  std::optional<RawResponse> readResponse() {
    while (pending_.find("\r\n\r\n") == std::string::npos) {
      if (recvSome(pending_) <= 0) return std::nullopt;
    }
    const auto headEnd = pending_.find("\r\n\r\n");
    RawResponse r;
    r.head = pending_.substr(0, headEnd);
    if (r.head.size() < 12) return std::nullopt;
    r.status = std::stoi(r.head.substr(9, 3));
    std::size_t length = 0;
    std::string lower = r.head;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto pos = lower.find("\r\ncontent-length:"); pos != std::string::npos) {
      length = std::stoul(lower.substr(pos + 17));
    }
    while (pending_.size() < headEnd + 4 + length) {
      if (recvSome(pending_) <= 0) return std::nullopt;
    }
    r.body = pending_.substr(headEnd + 4, length);
    pending_.erase(0, headEnd + 4 + length);
    return r;
  }

  int lastErrno() const { return lastErrno_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  int lastErrno_ = 0;
  std::string pending_;
};

}  // namespace pactmocks::test
