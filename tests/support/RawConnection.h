#pragma once
// A deliberately dumb TCP client on 127.0.0.1 for tests where the client must misbehave
// (malformed or oversized requests, pipelining, dripping bytes, half-closes) or where the exact
// bytes on the wire matter. Blocking, every read bounded by a deadline; no dependency on the
// project's HTTP layer. The one raw client of the tests: everything else uses httpRequest.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace pactmocks::testsupport {

struct RawResponse {
  int status = 0;
  std::string head;                            // status line and header lines, as received
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  bool headerContains(const std::string& text) const { return head.find(text) != std::string::npos; }
};

class RawConnection {
 public:
  // Connects at once (TCP_NODELAY, so dripped bytes leave one by one); throws std::runtime_error
  // when it cannot. `readTimeout` bounds the reads that take no timeout of their own.
  explicit RawConnection(std::uint16_t port, std::chrono::milliseconds readTimeout = std::chrono::seconds(5));
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&& other) noexcept;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False when the peer closed or reset the connection.
  bool send(const std::string& bytes);
  void shutdownWrite();
  // Closing sends an RST instead of a FIN (no TIME_WAIT: for clients that connect very often).
  void resetOnClose();

  // One read, appended to `into` (bytes already buffered by readResponse come first): the
  // count, 0 on orderly close, -1 with lastErrno() set (EAGAIN when the read timeout passed).
  ssize_t recvSome(std::string& into);
  // Everything received until the peer closes, an error or the read timeout (see lastErrno()).
  std::string readUntilClose();
  // The next complete response (Content-Length framing; pipelined bytes stay buffered for the
  // next call), or nullopt on close/timeout. A 1xx interim response is returned as one.
  std::optional<RawResponse> readResponse();
  std::optional<RawResponse> readResponse(std::chrono::milliseconds timeout);
  // Whether the peer closed (EOF or reset) within `timeout`; data received meanwhile is discarded.
  bool waitForClose(std::chrono::milliseconds timeout);

  // Bytes received but not returned by readResponse: after it gave nullopt, part of an answer.
  std::size_t pendingBytes() const { return buffer_.size(); }
  // errno of the last failed read: 0 after data or an orderly close, ECONNRESET for a reset.
  int lastErrno() const { return lastErrno_; }
  int fd() const { return fd_; }

 private:
  // Reads once into buffer_ before `deadline`: >0, 0 on close, -1 on error/timeout.
  ssize_t fill(std::chrono::steady_clock::time_point deadline);
  std::chrono::steady_clock::time_point defaultDeadline() const;
  int fd_ = -1;
  std::chrono::milliseconds readTimeout_;
  std::string buffer_;
  bool closed_ = false;
  int lastErrno_ = 0;
};

// A GET with keep-alive.
std::string getRequest(const std::string& path, const std::string& extraHeaders = {});
// A POST with Content-Length framing.
std::string postRequest(const std::string& path, const std::string& body, const std::string& extraHeaders = {});

}  // namespace pactmocks::testsupport
