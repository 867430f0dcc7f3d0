#pragma once
// The pacts this mock serves: those of its provider (and consumer, when filtered), read from a
// pact directory or the Pact Broker and parsed. A file or pact that cannot be used is reported
// in `problems` and skipped; the others still load. An error when nothing usable was found.
#include <optional>
#include <string>
#include <vector>

#include "broker/BrokerClient.h"
#include "core/Result.h"
#include "pact/Pact.h"
#include "pactdir/PactDirectory.h"

namespace pactmocks::mockserver {

struct ContractFilter {
  std::string provider;                 // compared case-insensitively
  std::optional<std::string> consumer;  // when set, only this consumer's pacts
};

struct LoadResult {
  std::vector<pact::Pact> pacts;
  std::vector<std::string> problems;
};

// The pact files of one generation of the directory.
Result<LoadResult> loadPactsFromDirectory(const pactdir::PactDirectory& directory, const ContractFilter& filter);

// Every consumer's latest pact for the provider (or the one consumer of the filter).
Result<LoadResult> loadPactsFromBroker(broker::BrokerClient& client, const ContractFilter& filter);

// Parses one pact text; problems (parse error, other provider) are appended. A JSON document
// without participant names is not a pact: skipped silently unless `reportOthers` (from the
// broker, everything should be this provider's pact; a directory may hold other files).
std::optional<pact::Pact> acceptPact(std::string_view text, const std::string& source, const ContractFilter& filter,
                                     std::vector<std::string>& problems, bool reportOthers);

}  // namespace pactmocks::mockserver
