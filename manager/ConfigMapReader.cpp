#include "ConfigMapReader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pactmocks::manager {

namespace fs = std::filesystem;

namespace {

bool isPactFileName(const std::string& name) {
  return !name.empty() && name.front() != '.' && name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0;
}

bool readWhole(const fs::path& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

std::string readLink(const fs::path& link) {
  std::error_code ec;
  auto target = fs::read_symlink(link, ec);
  return ec ? std::string() : target.string();
}

// One attempt; `generation` is the `..data` target seen before reading (empty if none).
ConfigMapSnapshot readOnce(const fs::path& dir, const std::string& generation) {
  ConfigMapSnapshot snap;
  snap.directoryExists = true;
  snap.generation = generation;
  fs::path source = generation.empty() ? dir : dir / generation;
  std::error_code ec;
  std::vector<std::string> names;
  for (auto it = fs::directory_iterator(source, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!isPactFileName(name)) continue;
    std::error_code statEc;
    if (!fs::is_regular_file(it->path(), statEc)) continue;  // follows symlinks (plain dirs with links)
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    ConfigMapFile file{name, (source / name).string(), {}};
    std::string error;
    if (readWhole(source / name, file.content, error))
      snap.files.push_back(std::move(file));
    else
      snap.unreadable.push_back({name, "cannot read: " + error});
  }
  return snap;
}

}  // namespace

ConfigMapSnapshot readConfigMap(const std::string& directory) {
  fs::path dir(directory);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return {};
  // A swap between resolving `..data` and reading can remove the generation we read from;
  // re-resolve and retry so the result is one consistent generation.
  ConfigMapSnapshot snap;
  snap.directoryExists = true;
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::string generation = readLink(dir / "..data");
    if (!generation.empty() && !fs::is_directory(dir / generation, ec)) continue;
    snap = readOnce(dir, generation);
    if (readLink(dir / "..data") == generation && (generation.empty() || snap.unreadable.empty())) return snap;
  }
  return snap;
}

}  // namespace pactmocks::manager
