#include "KubeletVolume.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace pactmocks::testsupport {

namespace fs = std::filesystem;

KubeletVolume::KubeletVolume(std::string mountDir) : mountDir_(std::move(mountDir)) {
  fs::create_directories(mountDir_);
}

void KubeletVolume::update(const std::map<std::string, std::string>& payload) {
  // Step 5: a new timestamped directory (the kubelet uses MkdirTemp with a time prefix).
  std::time_t now = std::time(nullptr);
  char stamp[64];
  std::strftime(stamp, sizeof stamp, "..%Y_%m_%d_%H_%M_%S.", std::gmtime(&now));
  std::string generation = stamp + std::to_string(::getpid()) + "_" + std::to_string(++counter_);
  fs::path root(mountDir_);
  fs::create_directory(root / generation);
  // Step 6: the files.
  for (const auto& [key, content] : payload) {
    std::ofstream out(root / generation / key, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + (root / generation / key).string());
    out << content;
  }
  // Steps 8-9: ..data_tmp → rename over ..data (the atomic swap).
  fs::path tmp = root / "..data_tmp";
  std::error_code ec;
  fs::remove(tmp, ec);
  if (::symlink(generation.c_str(), tmp.c_str()) != 0)
    throw std::runtime_error(std::string("symlink ..data_tmp failed: ") + std::strerror(errno));
  if (::rename(tmp.c_str(), (root / "..data").c_str()) != 0)
    throw std::runtime_error(std::string("rename ..data_tmp failed: ") + std::strerror(errno));
  // Step 10: user-visible symlinks for new keys, after the swap (as current kubelets do).
  for (const auto& [key, content] : payload) {
    if (keys_.count(key)) continue;
    fs::path link = root / key;
    fs::remove(link, ec);
    if (::symlink(("..data/" + key).c_str(), link.c_str()) != 0)
      throw std::runtime_error(std::string("symlink ") + key + " failed: " + std::strerror(errno));
  }
  // Step 11: remove user-visible links of deleted keys.
  for (const auto& [key, content] : keys_)
    if (!payload.count(key)) fs::remove(root / key, ec);
  // Step 12: remove the old generation.
  if (!current_.empty()) fs::remove_all(root / current_, ec);
  current_ = generation;
  keys_ = payload;
}

}  // namespace pactmocks::testsupport
