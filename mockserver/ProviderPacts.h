#pragma once
// The pacts this mock serves: those of its provider (and consumer, when filtered), read from a
// pact directory or the Pact Broker and parsed. A file or pact that cannot be used is reported
// in `problems` and skipped; the others still load. An error when nothing usable was found.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker/BrokerClient.h"
#include "core/Result.h"
#include "pact/Pact.h"
#include "pactdir/PactDirectory.h"

namespace pactmocks::mockserver {

struct PactFilter {
  std::string provider;                 // compared case-insensitively
  std::optional<std::string> consumer;  // when set, only this consumer's pacts
};

// Parsed pacts by the digest of their text and their source name. A reload passes the pacts it serves:
// a pact whose text did not change is reused, not parsed again, so an unchanged pact never
// exists twice while the new index is built (that doubled the reload peak). Of an edited pact, the
// interactions whose text did not change are kept the same way.
using ParsedPacts = std::map<std::string, std::shared_ptr<const pact::Pact>>;

struct LoadResult {
  std::vector<std::shared_ptr<const pact::Pact>> pacts;
  ParsedPacts byDigest;  // the same pacts: what the next load may reuse
  std::vector<std::string> problems;
};

// The pact files of one generation of the directory, each read by chunks: a file's text is never resident
// whole. A file rewritten in place while it is read is skipped (reported); the watcher reads it again.
Result<LoadResult> loadPactsFromDirectory(const pactdir::PactDirectory& directory, const PactFilter& filter,
                                          const ParsedPacts& reusable = {});

// Every consumer's latest pact for the provider (or the one consumer of the filter).
Result<LoadResult> loadPactsFromBroker(broker::BrokerClient& client, const PactFilter& filter,
                                       const ParsedPacts& reusable = {});

// Parses one pact text; problems (parse error, other provider) are appended. A JSON document
// without participant names is not a pact: skipped silently unless `reportOthers` (from the
// broker, everything should be this provider's pact; a directory may hold other files).
// Of an earlier parse in `reusable` (the same source, else the same consumer and provider), the
// interactions whose text did not change are kept.
std::optional<pact::Pact> acceptPact(const TextSource& text, const std::string& source, const PactFilter& filter,
                                     std::vector<std::string>& problems, bool reportOthers,
                                     const ParsedPacts& reusable = {});
std::optional<pact::Pact> acceptPact(std::string_view text, const std::string& source, const PactFilter& filter,
                                     std::vector<std::string>& problems, bool reportOthers,
                                     const ParsedPacts& reusable = {});

}  // namespace pactmocks::mockserver
