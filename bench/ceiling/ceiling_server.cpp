// The benchmark's ceiling: the cheapest HTTP/1.1 keep-alive server this machine can run. It answers a fixed
// 200 to every request without looking at it beyond framing (head end and Content-Length), single-threaded
// on one epoll loop, so wrk against it measures loopback + kernel + wrk cost and nothing else.
// Usage: bench-ceiling-server PORT
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace {

constexpr std::string_view kResponse =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";

// Owns a file descriptor (RAII).
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept { std::swap(fd_, o.fd_); return *this; }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { if (fd_ >= 0) ::close(fd_); }
  int get() const { return fd_; }
 private:
  int fd_;
};

struct Connection {
  Fd fd;
  std::string in;
  std::string out;
  bool watching_out = false;  // EPOLLOUT registered: only touched when it must change (saves a syscall per request)
};

// Returns the value of Content-Length in a request head, 0 when absent.
std::size_t content_length(std::string_view head) {
  constexpr std::string_view name = "content-length:";
  for (std::size_t pos = head.find("\r\n"); pos != std::string_view::npos; pos = head.find("\r\n", pos + 2)) {
    std::string_view line = head.substr(pos + 2);
    if (line.size() < name.size()) break;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) same = (std::tolower(line[i]) == name[i]);
    if (!same) continue;
    std::size_t v = name.size();
    while (v < line.size() && line[v] == ' ') ++v;
    std::size_t n = 0;
    std::from_chars(line.data() + v, line.data() + line.size(), n);
    return n;
  }
  return 0;
}

// Consumes every complete request in c.in and queues one response per request.
void consume_requests(Connection& c) {
  std::size_t start = 0;
  for (;;) {
    std::string_view rest(c.in.data() + start, c.in.size() - start);
    std::size_t end = rest.find("\r\n\r\n");
    if (end == std::string_view::npos) break;
    std::size_t total = end + 4 + content_length(rest.substr(0, end + 2));
    if (rest.size() < total) break;
    c.out.append(kResponse);
    start += total;
  }
  c.in.erase(0, start);
}

// Writes as much of c.out as the socket takes; false when the peer is gone.
bool flush(Connection& c) {
  while (!c.out.empty()) {
    ssize_t n = ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
    c.out.erase(0, static_cast<std::size_t>(n));
  }
  return true;
}

int run(int port) {
  Fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
  int one = 1;
  ::setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener.get(), 1024) != 0) {
    std::fprintf(stderr, "ceiling: cannot listen on 127.0.0.1:%d: %s\n", port, std::strerror(errno));
    return 1;
  }
  Fd ep(::epoll_create1(0));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = listener.get();
  ::epoll_ctl(ep.get(), EPOLL_CTL_ADD, listener.get(), &ev);
  std::unordered_map<int, std::unique_ptr<Connection>> conns;
  std::fprintf(stderr, "ceiling: listening on 127.0.0.1:%d\n", port);
  epoll_event events[256];
  char buf[65536];
  for (;;) {
    int n = ::epoll_wait(ep.get(), events, 256, -1);
    if (n < 0 && errno != EINTR) return 1;
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == listener.get()) {
        for (int cfd; (cfd = ::accept4(listener.get(), nullptr, nullptr, SOCK_NONBLOCK)) >= 0;) {
          ::setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          epoll_event cev{};
          cev.events = EPOLLIN | EPOLLRDHUP;
          cev.data.fd = cfd;
          ::epoll_ctl(ep.get(), EPOLL_CTL_ADD, cfd, &cev);
          conns[cfd] = std::make_unique<Connection>(Connection{Fd(cfd), {}, {}, false});
        }
        continue;
      }
      auto it = conns.find(fd);
      if (it == conns.end()) continue;
      Connection& c = *it->second;
      bool alive = true;
      if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        for (;;) {
          ssize_t r = ::recv(fd, buf, sizeof buf, 0);
          if (r > 0) { c.in.append(buf, static_cast<std::size_t>(r)); continue; }
          if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) alive = false;
          break;
        }
        consume_requests(c);
      }
      if (alive) alive = flush(c);
      if (!alive) { conns.erase(it); continue; }
      if (c.watching_out == c.out.empty()) {
        c.watching_out = !c.out.empty();
        epoll_event mod{};
        mod.events = EPOLLIN | EPOLLRDHUP | (c.watching_out ? static_cast<uint32_t>(EPOLLOUT) : 0u);
        mod.data.fd = fd;
        ::epoll_ctl(ep.get(), EPOLL_CTL_MOD, fd, &mod);
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PORT\n", argv[0]);
    return 2;
  }
  return run(std::atoi(argv[1]));
}
