#pragma once
// Reads the pact files of a mounted ConfigMap volume (kubelet layout) or of a plain directory.
//
// Kubelet layout: `<dir>/..data -> ..<timestamp>/` holds the real files and `<dir>/<key>` are
// symlinks into `..data`. All files of one snapshot are read through the same resolved
// timestamp directory, so a concurrent swap never yields a mix of two generations. Without
// `..data` the directory's regular `*.json` files are read. Hidden entries are skipped. A
// missing directory is a normal state (optional volume): an empty snapshot, not an error.
#include <string>
#include <vector>

namespace pactmocks::manager {

struct ConfigMapFile {
  std::string name;     // key, e.g. "aws.json"
  std::string path;     // the path it was read from (through the resolved generation)
  std::string content;
};

struct FileProblem {
  std::string file;
  std::string reason;
};

struct ConfigMapSnapshot {
  bool directoryExists = false;
  std::string generation;  // the `..data` target, empty for a plain directory
  std::vector<ConfigMapFile> files;     // sorted by name
  std::vector<FileProblem> unreadable;  // files that vanished or could not be read
};

ConfigMapSnapshot readConfigMap(const std::string& directory);

}  // namespace pactmocks::manager
