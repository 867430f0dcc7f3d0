#pragma once
// Helpers for integration tests that run real processes on loopback: spawn a binary with an
// environment, capture its output to a file, signal it, wait for its exit code, and wait for
// an HTTP endpoint to answer. No dependency on the project's HTTP layer, so any area can use it.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "Eventually.h"

namespace pactmocks::testsupport {

using namespace std::chrono_literals;

struct ProcessOptions {
  std::string executable;                   // path, or a name looked up in PATH
  std::vector<std::string> args;            // without argv[0]
  std::map<std::string, std::string> env;   // added to (or replacing) the inherited environment
  bool inheritEnvironment = true;
  std::vector<std::string> unsetEnv;        // names removed from the inherited environment
  std::string outputFile;                   // stdout+stderr go here; empty = a temp file
};

// A child process; destroying a running one kills it (SIGKILL) and reaps it.
class TestProcess {
 public:
  // Throws std::runtime_error when the process cannot be spawned.
  static TestProcess start(ProcessOptions options);

  TestProcess() = default;
  ~TestProcess();
  TestProcess(TestProcess&&) noexcept;
  TestProcess& operator=(TestProcess&&) noexcept;
  TestProcess(const TestProcess&) = delete;
  TestProcess& operator=(const TestProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void signal(int sig);
  void terminate();  // SIGTERM
  void kill();       // SIGKILL
  // Exit code (a signal-killed process yields 128 + signal), or nullopt on timeout.
  std::optional<int> waitForExit(std::chrono::milliseconds timeout);
  // SIGTERM, wait up to `grace`, then SIGKILL; returns the exit code.
  int stop(std::chrono::milliseconds grace = 5s);

  const std::string& outputPath() const { return outputPath_; }
  std::string output() const;
  // How many times `needle` occurs in the output so far (e.g. log lines of a repeated action).
  std::size_t outputCount(const std::string& needle) const;
  // Waits until the output contains `needle`; returns whether it did.
  bool waitForOutput(const std::string& needle, std::chrono::milliseconds timeout);
  // The first output line starting with `prefix` (the rest of the line), waiting for it.
  std::optional<std::string> waitForLine(const std::string& prefix, std::chrono::milliseconds timeout);

 private:
  void reap(int status);
  pid_t pid_ = -1;
  std::optional<int> exitCode_;
  std::string outputPath_;
};

// A blocking one-shot HTTP/1.1 exchange on 127.0.0.1 (Connection: close).
struct HttpReply {
  int status = 0;  // 0 = no response (connect refused, timeout)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string error;
  std::string header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
  }
};
HttpReply httpRequest(std::uint16_t port, const std::string& method, const std::string& path,
                      const std::string& body = {}, const std::map<std::string, std::string>& headers = {},
                      std::chrono::milliseconds timeout = 5s);
inline HttpReply httpGet(std::uint16_t port, const std::string& path, std::chrono::milliseconds timeout = 5s) {
  return httpRequest(port, "GET", path, {}, {}, timeout);
}
// Polls until GET answers `status`; returns whether it did before the deadline.
bool waitForHttpStatus(std::uint16_t port, const std::string& path, int status = 200,
                       std::chrono::milliseconds timeout = 10s);
// A loopback port that was free a moment ago (bind to 0, read, close).
std::uint16_t freePort();

// Path of a binary built by this project (searched under PACTMOCKS_BINARY_DIR); throws if absent.
std::string builtExecutable(const std::string& name);

// A fresh directory under $TMPDIR, removed recursively on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "pactmocks-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void writeFile(const std::string& path, const std::string& content);
std::string readFile(const std::string& path);

}  // namespace pactmocks::testsupport
