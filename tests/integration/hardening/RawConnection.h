#pragma once
// A raw TCP connection to 127.0.0.1 for abuse tests: send exactly the bytes a test wants
// (oversized headers, slow drips, pipelined requests, invalid framing) and read responses
// one by one with a deadline. Blocking, no dependency on the project's HTTP layer.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace pactmocks::hardening {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class RawConnection {
 public:
  // Connects at once; throws std::runtime_error when it cannot.
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&& other) noexcept;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False when the peer closed or reset the connection.
  bool send(const std::string& bytes);
  void shutdownWrite();
  // The next complete response (Content-Length framing), or nullopt on close/timeout.
  std::optional<RawResponse> readResponse(std::chrono::milliseconds timeout);
  // Whether the peer closed (EOF or reset) within `timeout`; data received meanwhile is discarded.
  bool waitForClose(std::chrono::milliseconds timeout);
  int fd() const { return fd_; }

 private:
  bool fill(std::chrono::steady_clock::time_point deadline);  // false on close/timeout
  int fd_ = -1;
  std::string buffer_;
  bool closed_ = false;
};

// A GET with keep-alive.
std::string getRequest(const std::string& path, const std::string& extraHeaders = {});
// A POST with Content-Length framing.
std::string postRequest(const std::string& path, const std::string& body, const std::string& extraHeaders = {});

// Raises this process's open-file soft limit to `wanted` (or the hard limit); children inherit it.
void raiseOpenFileLimit(unsigned long wanted);

}  // namespace pactmocks::hardening
