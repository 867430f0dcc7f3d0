#pragma once
// The HTTP face of a mock server: a router with the admin and observability endpoints, and the
// mock as its fallback: fault layer → contract match → response (or the no-match report).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "http/Message.h"
#include "http/Router.h"
#include "mockserver/PactStore.h"
#include "mockserver/FaultInjector.h"
#include "mockserver/MockMetrics.h"
#include "mockserver/ProviderProfile.h"
#include "mockserver/RequestJournal.h"

namespace pactmocks::mockserver {

struct MockServiceOptions {
  std::string provider;
  ErrorStyle errorStyle = ErrorStyle::AwsJson;
  std::uint16_t port = 0;  // for the MockServerURL generator when a request has no Host header
  FaultLimits faultLimits;
  std::string version;     // reported by /health
  int noMatchStatus = 500;  // NO_MATCH_STATUS
  // Set (Azure): a request without Authorization that no interaction matches gets Key Vault's
  // 401 Bearer challenge for this tenant instead of the no-match report.
  std::optional<std::string> challengeTenant;
};

class MockService {
 public:
  // Starts a reload and returns at once; the callback gets the outcome later, from any thread.
  using ReloadFn = std::function<void(std::function<void(ReloadOutcome)>)>;
  MockService(MockServiceOptions options, PactStore& store, MockMetrics& metrics, RequestJournal& journal,
              ReloadFn reload);
  // The routes refer to this object.
  MockService(const MockService&) = delete;
  MockService& operator=(const MockService&) = delete;

  http::Response handle(http::Request& request);

 private:
  http::Response serveMock(http::Request& request);
  http::Response metricsPage() const;  // GET /metrics (Prometheus text)
  http::Response coverage(const http::Request& request) const;      // GET /__admin/coverage
  http::Response verification(const http::Request& request) const;  // GET /__admin/verify
  http::Response health() const;
  http::Response readiness() const;
  http::Response interactions() const;
  http::Response reload();

  MockServiceOptions options_;
  PactStore& store_;
  MockMetrics& metrics_;
  RequestJournal& journal_;
  ReloadFn reload_;
  http::Router router_;
};

// The report for a request no interaction matched: the request and the nearest interactions
// with the reasons they did not match.
nlohmann::json mismatchReport(const http::Request& request, const pact::MatchOutcome& outcome);
// One line for the SDK's error message: the request line, the nearest interaction and its first
// mismatches.
std::string mismatchSummary(const http::Request& request, const pact::MatchOutcome& outcome);

}  // namespace pactmocks::mockserver
