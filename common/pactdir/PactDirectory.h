#pragma once
// The reader of a pact directory: a ConfigMap volume as the kubelet lays it out, or a plain
// directory. Used by the manager (to validate and publish) and by the mocks' local mode.
//
// Kubelet layout: `<dir>/..data -> ..<timestamp>/` holds the real files and `<dir>/<key>` are
// symlinks through `..data`. The kubelet swaps `..data` atomically, so a reader that resolves it
// once, reads every file from that one generation and finds `..data` unchanged afterwards has
// one consistent generation, never a mix of two; otherwise it retries. Without `..data` the
// directory's regular `*.json` files are read (symlinks followed). The files of a generation are
// opened, then `..data` is checked: an open file is pinned, so what is read from it afterwards is of
// that generation even when the kubelet swaps the volume and removes the old one meanwhile. Hidden entries (`..data`,
// `..2026_...`, editor files) are skipped. A missing directory is a normal state (an optional
// volume): an empty snapshot, not an error.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/Result.h"
#include "core/TextSource.h"

namespace pactmocks::pactdir {

struct PactFile {
  std::string name;     // key, e.g. "aws.json"
  std::string path;     // the path it was read from (through the resolved generation)
  std::string content;
};

// A file that is skipped, and why (for logs and status pages).
struct FileProblem {
  std::string file;
  std::string reason;
};

// A pact file opened, not read: a mock parses it by chunks (TextSource).
struct OpenPactFile {
  std::string name;
  std::string path;
  TextSource text;
};

// The files of one generation, opened.
struct OpenedPacts {
  bool directoryExists = false;
  std::string generation;               // the `..data` target, empty for a plain directory
  std::vector<OpenPactFile> files;      // sorted by name
  std::vector<FileProblem> unreadable;  // files that vanished or could not be opened
};

struct PactSnapshot {
  bool directoryExists = false;
  std::string generation;               // the `..data` target, empty for a plain directory
  std::vector<PactFile> files;          // sorted by name
  std::vector<FileProblem> unreadable;  // files that vanished or could not be read
};

class PactDirectory {
 public:
  explicit PactDirectory(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  // Every pact file of one generation, opened.
  OpenedPacts open() const;
  // Every pact file of one generation, with its content.
  PactSnapshot read() const;
  // Names of the pact files of the current generation, sorted; an error when the directory
  // cannot be listed (e.g. it does not exist).
  Result<std::vector<std::string>> list() const;
  // A cheap fingerprint (generation, names, sizes, inodes and mtimes; no content read): it
  // changes whenever a file is added, removed or rewritten, or `..data` is swapped.
  std::string fingerprint() const;

 private:
  std::string path_;
};

// The names a pact document is published and served under.
struct PactParticipants {
  std::string consumer;
  std::string provider;
};
// `consumer.name` and `provider.name`, both non-empty strings; otherwise the error names the
// first one missing.
Result<PactParticipants> pactParticipants(const nlohmann::json& document);
// The same from a pact's text, without building the document of its interactions (a large pact's
// tree is several times its text); invalid JSON is "not a JSON object", a failed read "cannot read: …".
Result<PactParticipants> pactParticipants(const TextSource& text);
Result<PactParticipants> pactParticipants(std::string_view text);

}  // namespace pactmocks::pactdir
