#pragma once
// Reads the pacts of one provider from a directory or from the Pact Broker. A file or pact that
// cannot be used is reported in `problems` and skipped; the others still load.
#include <optional>
#include <string>
#include <vector>

#include "broker/BrokerClient.h"
#include "pact/Pact.h"

namespace pactmocks::mockserver {

struct ContractFilter {
  std::string provider;                 // compared case-insensitively
  std::optional<std::string> consumer;  // when set, only this consumer's pacts
};

struct LoadResult {
  std::vector<pact::Pact> pacts;
  std::vector<std::string> problems;
  std::string error;  // set when nothing could be loaded at all (e.g. broker unreachable)
};

// Candidate pact files of a directory: regular `*.json` entries (symlinks followed, so the
// kubelet ConfigMap layout with `..data` works), hidden entries skipped, sorted by name.
std::vector<std::string> listPactFiles(const std::string& dir, std::string* error = nullptr);

// A cheap fingerprint of the directory's pact files (names, sizes, mtimes, inodes of the
// targets); changes whenever a file is added, removed or rewritten, or `..data` is swapped.
std::string directoryFingerprint(const std::string& dir);

LoadResult loadPactsFromDirectory(const std::string& dir, const ContractFilter& filter);

// Every consumer's latest pact for the provider (or the one consumer of the filter).
LoadResult loadPactsFromBroker(broker::BrokerClient& client, const ContractFilter& filter);

// Parses one pact text; problems (parse error, other provider/consumer) are appended.
std::optional<pact::Pact> acceptPact(std::string_view text, const std::string& source, const ContractFilter& filter,
                                     std::vector<std::string>& problems, bool reportOtherProviders);

}  // namespace pactmocks::mockserver
