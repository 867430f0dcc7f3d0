#pragma once
// The HTTP face of a mock server: admin and observability endpoints, then for every other
// request: fault layer → contract match → response (or the no-match report).
#include <cstdint>
#include <functional>
#include <string>

#include "http/Message.h"
#include "mockserver/ContractStore.h"
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
};

class MockService {
 public:
  using ReloadFn = std::function<ReloadOutcome()>;
  MockService(MockServiceOptions options, ContractStore& store, MockMetrics& metrics, RequestJournal& journal,
              ReloadFn reload);

  http::Response handle(http::Request& request);

 private:
  http::Response serveMock(http::Request& request);
  http::Response serveAdmin(http::Request& request);
  http::Response health() const;
  http::Response readiness() const;
  http::Response interactions() const;
  http::Response reload();

  MockServiceOptions options_;
  ContractStore& store_;
  MockMetrics& metrics_;
  RequestJournal& journal_;
  ReloadFn reload_;
};

// The 500 body for a request no interaction matched: the request and the nearest interactions
// with the reasons they did not match.
nlohmann::json mismatchReport(const http::Request& request, const pact::MatchOutcome& outcome);

}  // namespace pactmocks::mockserver
