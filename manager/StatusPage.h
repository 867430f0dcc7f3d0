#pragma once
// The manager's `GET /` page for people: broker health, published providers, each mock's
// contract source and coverage, the interactions not exercised yet and the recent mismatches.
// One HTML document with inline CSS and no external assets (the pod may have no internet), that
// refreshes itself. Every contract-supplied string is escaped. Pure: the caller gathers the input.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pactmocks::manager {

struct StatusPageInput {
  struct Provider {
    std::string name;
    std::vector<std::string> consumers;
    std::string version, sha256, publishedAt;
  };
  struct Mock {
    std::string name, url;
    bool reachable = true;
    std::string error;   // why not reachable
    std::string source;  // contract source: broker | dir | default (from its /health); may be empty
    std::size_t interactions = 0, exercised = 0;
    std::uint64_t unmatchedRequests = 0;
  };
  struct Interaction {
    std::string mock, consumer, description;
    std::vector<std::string> providerStates;
  };
  struct Mismatch {
    std::string mock, method, path;
    std::string nearest;  // description of the nearest interaction; empty when none
    std::uint64_t count = 0;
    std::vector<std::string> reasons;
  };

  std::string generatedAt;  // RFC3339
  int refreshSeconds = 10;
  bool brokerHealthy = false;
  std::string brokerUrl;
  std::vector<Provider> providers;
  std::vector<Mock> mocks;
  std::vector<Interaction> unexercised;
  std::vector<Mismatch> mismatches;
};

// Fills mocks, unexercised and mismatches from a merged coverage document (CoverageMerge.h).
// Mock sources are not in it; the caller sets them.
void addCoverage(StatusPageInput& input, const nlohmann::json& merged);

// Lists longer than this are cut with a "… and N more" line, so the page stays small.
inline constexpr std::size_t kStatusPageMaxRows = 200;

std::string renderStatusPage(const StatusPageInput& input);

}  // namespace pactmocks::manager
