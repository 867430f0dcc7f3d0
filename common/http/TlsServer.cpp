#include "http/TlsServer.h"

#include <dlfcn.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <vector>

#include <spdlog/spdlog.h>

namespace pactmocks::http {
namespace {

constexpr const char* kModuleName = "libpactmocks_tls.so";
using CreateFn = decltype(&pactmocks_tls_create);

std::filesystem::path executableDir() {
  std::array<char, 4096> buf{};
  const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) return {};
  return std::filesystem::path(std::string(buf.data(), static_cast<std::size_t>(n))).parent_path();
}

// Next to the binary (build tree, container image), or in ../lib/pact-mocks (an installed tree);
// PACTMOCKS_TLS_MODULE names another path. Loaded once per process: the cache is the dynamic
// loader's own (dlopen of a loaded module returns it again), the lock keeps first use single.
CreateFn loadModule() {
  static std::mutex mutex;
  static CreateFn create = nullptr;
  std::lock_guard lock(mutex);
  if (create) return create;
  std::vector<std::filesystem::path> candidates;
  if (const char* explicitPath = std::getenv("PACTMOCKS_TLS_MODULE"); explicitPath && *explicitPath)
    candidates.emplace_back(explicitPath);
  const auto dir = executableDir();
  candidates.push_back(dir / kModuleName);
  candidates.push_back(dir / ".." / "lib" / "pact-mocks" / kModuleName);
  std::string tried;
  for (const auto& path : candidates) {
    // The handle is never closed: servers made from it live until the process ends.
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      tried += "\n  " + path.string() + ": " + ::dlerror();
      continue;
    }
    create = reinterpret_cast<CreateFn>(::dlsym(handle, "pactmocks_tls_create"));
    if (!create) throw TlsSetupError(TlsSetupError::Input::Module, path.string() + " has no pactmocks_tls_create");
    return create;
  }
  throw TlsSetupError(TlsSetupError::Input::Module, std::string("cannot load the TLS module ") + kModuleName + ":" + tried);
}

}  // namespace

std::unique_ptr<TlsServer> makeTlsServer(ServerOptions options, TlsSettings settings, Handler handler) {
  CreateFn create = loadModule();
  int input = 0;
  std::string message;
  const std::shared_ptr<spdlog::logger> logger = spdlog::default_logger();
  TlsServer* server = create(&options, &settings, &handler, &logger, &input, &message);
  if (!server) throw TlsSetupError(static_cast<TlsSetupError::Input>(input), message);
  return std::unique_ptr<TlsServer>(server);
}

}  // namespace pactmocks::http
