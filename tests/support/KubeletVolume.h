#pragma once
// Emulates how the kubelet's AtomicWriter updates a ConfigMap volume, for watcher tests:
// a new `..<timestamp>.<n>` directory with the files, a `..data_tmp` symlink renamed over
// `..data` (the atomic swap), then top-level `<key> -> ..data/<key>` symlinks for new keys,
// removal of top-level links for deleted keys, and removal of the old timestamp directory.
#include <map>
#include <string>

namespace pactmocks::testsupport {

class KubeletVolume {
 public:
  // `mountDir` is created if missing.
  explicit KubeletVolume(std::string mountDir);
  // Replaces the whole payload (key → content) in one atomic generation.
  void update(const std::map<std::string, std::string>& payload);
  const std::string& mountDir() const { return mountDir_; }
  // Name of the current timestamp directory (e.g. "..2026_11_25_21_00_00.3"), empty before the first update.
  const std::string& currentGeneration() const { return current_; }

 private:
  std::string mountDir_;
  std::string current_;
  std::map<std::string, std::string> keys_;
  unsigned counter_ = 0;
};

}  // namespace pactmocks::testsupport
