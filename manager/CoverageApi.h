#pragma once
// The manager's coverage endpoints: GET /coverage (every mock's coverage merged, CoverageMerge.h)
// and GET / (the HTML status page, StatusPage.h). The mocks are asked by the MockFetcher's worker;
// the request is parked meanwhile, so the event loop never waits for a mock.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ManagerStatus.h"
#include "MockFetcher.h"
#include "StatusPage.h"
#include "http/Message.h"
#include "http/Router.h"

namespace pactmocks::manager {

// The merged document of one round (a mock that did not answer is unreachable, with the reason).
nlohmann::json podCoverage(const std::vector<MockAnswer>& answers);

// The status page's input: broker and providers from the manager's status, mocks, unexercised
// interactions and mismatches from the round.
StatusPageInput statusPageInput(const StatusSnapshot& status, const std::string& brokerUrl,
                                const std::vector<MockAnswer>& answers, std::string generatedAt);

// Adds GET /coverage and GET / to `router`; `status` and `fetcher` must outlive it.
void addCoverageRoutes(http::Router& router, ManagerStatus& status, MockFetcher& fetcher, std::string brokerUrl);

}  // namespace pactmocks::manager
