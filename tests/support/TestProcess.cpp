#include "TestProcess.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

extern char** environ;

namespace pactmocks::testsupport {

namespace fs = std::filesystem;

namespace {

std::string tempBase() {
  const char* t = std::getenv("TMPDIR");
  return (t && *t) ? t : "/tmp";
}

std::string makeTempPath(const std::string& prefix, bool directory) {
  std::string pattern = tempBase() + "/" + prefix + "-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (directory) {
    if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
  } else {
    int fd = ::mkstemp(buf.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed: " + std::string(std::strerror(errno)));
    ::close(fd);
  }
  return buf.data();
}

}  // namespace

TestProcess TestProcess::start(ProcessOptions options) {
  TestProcess p;
  p.outputPath_ = options.outputFile.empty() ? makeTempPath("pactmocks-proc-output", false) : options.outputFile;

  std::map<std::string, std::string> env;
  if (options.inheritEnvironment) {
    for (char** e = environ; e && *e; ++e) {
      std::string entry(*e);
      auto eq = entry.find('=');
      if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
  }
  for (const auto& name : options.unsetEnv) env.erase(name);
  for (const auto& [k, v] : options.env) env[k] = v;

  std::vector<std::string> envStrings;
  for (const auto& [k, v] : env) envStrings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : envStrings) envp.push_back(s.data());
  envp.push_back(nullptr);

  std::vector<std::string> argStrings{options.executable};
  argStrings.insert(argStrings.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (auto& s : argStrings) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, p.outputPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, options.executable.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot spawn " + options.executable + ": " + std::strerror(rc));
  p.pid_ = pid;
  return p;
}

TestProcess::~TestProcess() {
  if (pid_ > 0 && !exitCode_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

TestProcess::TestProcess(TestProcess&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)), exitCode_(o.exitCode_), outputPath_(std::move(o.outputPath_)) {}

TestProcess& TestProcess::operator=(TestProcess&& o) noexcept {
  if (this != &o) {
    if (pid_ > 0 && !exitCode_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    pid_ = std::exchange(o.pid_, -1);
    exitCode_ = o.exitCode_;
    outputPath_ = std::move(o.outputPath_);
  }
  return *this;
}

void TestProcess::reap(int status) {
  if (WIFEXITED(status)) exitCode_ = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) exitCode_ = 128 + WTERMSIG(status);
  else exitCode_ = -1;
}

bool TestProcess::running() {
  if (pid_ <= 0 || exitCode_) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    reap(status);
    return false;
  }
  return true;
}

void TestProcess::signal(int sig) {
  if (running()) ::kill(pid_, sig);
}
void TestProcess::terminate() { signal(SIGTERM); }
void TestProcess::kill() { signal(SIGKILL); }

std::optional<int> TestProcess::waitForExit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  if (!eventually([&] { return !running(); }, timeout)) return std::nullopt;
  return exitCode_;
}

int TestProcess::stop(std::chrono::milliseconds grace) {
  terminate();
  if (auto code = waitForExit(grace)) return *code;
  kill();
  return waitForExit(std::chrono::milliseconds(5000)).value_or(-1);
}

std::string TestProcess::output() const { return outputPath_.empty() ? std::string() : readFile(outputPath_); }

std::size_t TestProcess::outputCount(const std::string& needle) const {
  const std::string text = output();
  std::size_t count = 0;
  for (auto at = text.find(needle); !needle.empty() && at != std::string::npos; at = text.find(needle, at + needle.size()))
    ++count;
  return count;
}

bool TestProcess::waitForOutput(const std::string& needle, std::chrono::milliseconds timeout) {
  return eventually([&] { return output().find(needle) != std::string::npos; }, timeout);
}

std::optional<std::string> TestProcess::waitForLine(const std::string& prefix, std::chrono::milliseconds timeout) {
  std::optional<std::string> found;
  eventually(
      [&] {
        std::istringstream in(output());
        std::string line;
        while (std::getline(in, line)) {
          if (line.rfind(prefix, 0) == 0) {
            found = line.substr(prefix.size());
            return true;
          }
        }
        return false;
      },
      timeout);
  return found;
}

// ---- HTTP ----

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

// Decodes a chunked body; returns the input unchanged when it is not well-formed.
std::string dechunk(const std::string& in) {
  std::string out;
  std::size_t pos = 0;
  for (;;) {
    auto eol = in.find("\r\n", pos);
    if (eol == std::string::npos) return in;
    std::size_t size = std::strtoul(in.substr(pos, eol - pos).c_str(), nullptr, 16);
    pos = eol + 2;
    if (size == 0) return out;
    if (pos + size > in.size()) return in;
    out.append(in, pos, size);
    pos += size + 2;
  }
}

}  // namespace

HttpReply httpRequest(std::uint16_t port, const std::string& method, const std::string& path, const std::string& body,
                      const std::map<std::string, std::string>& headers, std::chrono::milliseconds timeout) {
  HttpReply reply;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    reply.error = std::strerror(errno);
    return reply;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  auto remainingMs = [&] {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::max<std::int64_t>(0, left.count()));
  };
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS) {
      reply.error = std::strerror(errno);
      return reply;
    }
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, remainingMs()) <= 0) {
      reply.error = "connect timeout";
      return reply;
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      reply.error = std::strerror(err);
      return reply;
    }
  }
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nConnection: close\r\n";
  bool hasLength = false;
  for (const auto& [k, v] : headers) {
    request += k + ": " + v + "\r\n";
    if (lower(k) == "content-length") hasLength = true;
  }
  if (!hasLength && (!body.empty() || method == "POST" || method == "PUT"))
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n" + body;
  std::size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, remainingMs()) <= 0) {
        reply.error = "send timeout";
        return reply;
      }
      continue;
    }
    reply.error = std::string("send failed: ") + std::strerror(errno);
    return reply;
  }
  std::string raw;
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      raw.append(buf, static_cast<std::size_t>(n));
      // Stop early once a Content-Length-delimited response is complete.
      auto headerEnd = raw.find("\r\n\r\n");
      if (headerEnd != std::string::npos) {
        std::string head = lower(raw.substr(0, headerEnd));
        auto cl = head.find("\r\ncontent-length:");
        if (cl != std::string::npos) {
          std::size_t len = std::strtoul(head.c_str() + cl + 17, nullptr, 10);
          if (raw.size() >= headerEnd + 4 + len) break;
        }
      }
      continue;
    }
    if (n == 0) break;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, remainingMs()) <= 0) {
        reply.error = "read timeout";
        return reply;
      }
      continue;
    }
    if (errno == EINTR) continue;
    reply.error = std::string("recv failed: ") + std::strerror(errno);
    if (raw.empty()) return reply;
    break;
  }
  auto headerEnd = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/", 0) != 0 || headerEnd == std::string::npos) {
    reply.error = raw.empty() ? "connection closed without a response" : "malformed response";
    return reply;
  }
  std::istringstream head(raw.substr(0, headerEnd));
  std::string statusLine;
  std::getline(head, statusLine);
  auto sp = statusLine.find(' ');
  reply.status = sp == std::string::npos ? 0 : std::atoi(statusLine.c_str() + sp + 1);
  std::string line;
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    reply.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  reply.body = raw.substr(headerEnd + 4);
  if (auto it = reply.headers.find("content-length"); it != reply.headers.end())
    reply.body.resize(std::min<std::size_t>(reply.body.size(), std::strtoul(it->second.c_str(), nullptr, 10)));
  else if (lower(reply.header("transfer-encoding")).find("chunked") != std::string::npos)
    reply.body = dechunk(reply.body);
  return reply;
}

bool waitForHttpStatus(std::uint16_t port, const std::string& path, int status, std::chrono::milliseconds timeout) {
  return eventually([&] { return httpGet(port, path, std::chrono::milliseconds(1000)).status == status; }, timeout);
}

std::uint16_t freePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string builtExecutable(const std::string& name) {
  const char* bin = std::getenv("PACTMOCKS_BINARY_DIR");
  if (!bin || !*bin) throw std::runtime_error("PACTMOCKS_BINARY_DIR is not set (run the test through ctest)");
  fs::path root(bin);
  for (const char* sub : {"", "manager", "mockserver", "tests/support", "bin"}) {
    fs::path candidate = root / sub / name;
    if (fs::is_regular_file(candidate) && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->path().filename() == "CMakeFiles") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->path().filename() == name && it->is_regular_file() && ::access(it->path().c_str(), X_OK) == 0)
      return it->path().string();
  }
  throw std::runtime_error("executable " + name + " not found under " + root.string() + " (build it first)");
}

TempDir::TempDir(const std::string& prefix) : path_(makeTempPath(prefix, true)) {}
TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void writeFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << content;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace pactmocks::testsupport
