#pragma once
// The pod's coverage view: every mock's `GET /__admin/coverage` document merged into one, each
// entry tagged with the mock it came from. A mock that could not be asked is listed as
// unreachable with the reason, never silently dropped (a missing mock is no coverage at all).
// Pure: fetching the documents is the caller's I/O.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/Result.h"

namespace pactmocks::manager {

struct MockEndpoint {
  std::string name;  // e.g. "aws"
  std::string url;   // base URL, e.g. http://localhost:1234
};

// The pod-local mocks: the default of `MOCK_URLS`.
inline constexpr std::string_view kDefaultMockUrls =
    "aws=http://localhost:1234,gcp=http://localhost:1235,azure=http://localhost:1236";

// `MOCK_URLS`: comma-separated `name=url` or bare `url` entries (then the name is the URL).
Result<std::vector<MockEndpoint>> parseMockUrls(std::string_view text);

struct MockCoverage {
  MockEndpoint mock;
  // The body of the mock's coverage document, or why it could not be fetched.
  Result<std::string> body;
};

// {"mocks":[{"name","url","reachable",("provider","since","totals") | "error"}],
//  "interactions":[...each with "mock"], "unmatched":[...each with "mock"],
//  "totals":{"mocks","unreachable_mocks","interactions","exercised","unexercised","unmatched_requests"}}
// A body that is not a coverage document makes its mock unreachable ("not a coverage document").
nlohmann::json mergeCoverage(const std::vector<MockCoverage>& mocks);

}  // namespace pactmocks::manager
