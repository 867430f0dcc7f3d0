#include "RawConnection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace pactmocks::testsupport {

using Clock = std::chrono::steady_clock;

RawConnection::RawConnection(std::uint16_t port, std::chrono::milliseconds readTimeout) : readTimeout_(readTimeout) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error(std::string("connect: ") + std::strerror(err));
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      readTimeout_(other.readTimeout_),
      buffer_(std::move(other.buffer_)),
      closed_(other.closed_),
      lastErrno_(other.lastErrno_) {}

RawConnection& RawConnection::operator=(RawConnection&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    readTimeout_ = other.readTimeout_;
    buffer_ = std::move(other.buffer_);
    closed_ = other.closed_;
    lastErrno_ = other.lastErrno_;
  }
  return *this;
}

bool RawConnection::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

void RawConnection::shutdownWrite() { ::shutdown(fd_, SHUT_WR); }

void RawConnection::resetOnClose() {
  linger option{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &option, sizeof option);
}

Clock::time_point RawConnection::defaultDeadline() const { return Clock::now() + readTimeout_; }

ssize_t RawConnection::fill(Clock::time_point deadline) {
  if (closed_) return 0;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      lastErrno_ = EAGAIN;
      return -1;
    }
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      lastErrno_ = errno;
      return -1;
    }
    if (ready == 0) continue;  // the deadline check above reports the timeout
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n > 0) {
      lastErrno_ = 0;
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return n;
    }
    lastErrno_ = n < 0 ? errno : 0;
    closed_ = true;
    return n;
  }
}

ssize_t RawConnection::recvSome(std::string& into) {
  if (buffer_.empty()) {
    const ssize_t n = fill(defaultDeadline());
    if (n <= 0) return n;
  }
  const auto n = static_cast<ssize_t>(buffer_.size());
  into += buffer_;
  buffer_.clear();
  return n;
}

std::string RawConnection::readUntilClose() {
  std::string all;
  while (recvSome(all) > 0) {
  }
  return all;
}

std::optional<RawResponse> RawConnection::readResponse() { return readResponse(readTimeout_); }

std::optional<RawResponse> RawConnection::readResponse(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::size_t headerEnd;
  while ((headerEnd = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (fill(deadline) <= 0) return std::nullopt;
  }
  RawResponse response;
  response.head = buffer_.substr(0, headerEnd);
  // "HTTP/1.1 200 OK"
  const auto space = response.head.find(' ');
  if (space == std::string::npos) return std::nullopt;
  response.status = std::atoi(response.head.c_str() + space + 1);
  std::size_t lineStart = response.head.find("\r\n");
  while (lineStart != std::string::npos) {
    lineStart += 2;
    const auto lineEnd = response.head.find("\r\n", lineStart);
    const std::string line = response.head.substr(lineStart, lineEnd == std::string::npos ? std::string::npos : lineEnd - lineStart);
    if (const auto colon = line.find(':'); colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      response.headers[name] = value;
    }
    lineStart = lineEnd;
  }
  std::size_t length = 0;
  if (auto it = response.headers.find("content-length"); it != response.headers.end()) {
    length = static_cast<std::size_t>(std::stoull(it->second));
  }
  // 1xx interim responses have no body; the caller reads the final one next.
  while (buffer_.size() < headerEnd + 4 + length) {
    if (fill(deadline) <= 0) return std::nullopt;
  }
  response.body = buffer_.substr(headerEnd + 4, length);
  buffer_.erase(0, headerEnd + 4 + length);
  return response;
}

bool RawConnection::waitForClose(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!closed_) {
    buffer_.clear();
    if (fill(deadline) < 0 && !closed_) return false;
  }
  return true;
}

std::string getRequest(const std::string& path, const std::string& extraHeaders) {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n";
}

std::string postRequest(const std::string& path, const std::string& body, const std::string& extraHeaders) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace pactmocks::testsupport
