#pragma once
// One immutable generation of served contracts: the index plus what /health reports about it.
// Built off the serving path and published to the PactStore as a whole.
#include <chrono>
#include <string>
#include <vector>

#include "mockserver/Coverage.h"
#include "pact/InteractionIndex.h"

namespace pactmocks::mockserver {

enum class PactSource { Broker, Directory, Default };
std::string_view toString(PactSource source);  // "broker" | "dir" | "default"

struct PactSummary {
  std::string consumer;
  std::string provider;
  std::string source;  // file or URL
  std::size_t interactions = 0;
};

struct LoadedPacts {
  LoadedPacts(pact::InteractionIndex idx, PactSource src) : index(std::move(idx)), source(src) {}

  pact::InteractionIndex index;
  PactSource source;
  std::chrono::system_clock::time_point loadedAt = std::chrono::system_clock::now();
  std::vector<PactSummary> pacts;
  std::vector<std::string> problems;  // files or pacts skipped during this load, with the reason
  std::string revision;               // what it was loaded from: manager publication, directory fingerprint
  // The coverage counters of this index's interactions, set by PactStore::publish (null before).
  std::shared_ptr<const CoverageSlots> coverage;
};

}  // namespace pactmocks::mockserver
