#include "CoverageApi.h"

#include <memory>

#include "CoverageFields.h"
#include "HealthApi.h"
#include "core/SafeText.h"
#include "core/Time.h"

namespace pactmocks::manager {

using nlohmann::json;

json podCoverage(const std::vector<MockAnswer>& answers) {
  std::vector<MockCoverage> documents;
  documents.reserve(answers.size());
  for (const auto& a : answers) documents.push_back(a.coverage);
  return mergeCoverage(documents);
}

StatusPageInput statusPageInput(const StatusSnapshot& status, const std::string& brokerUrl,
                                const std::vector<MockAnswer>& answers, std::string generatedAt) {
  StatusPageInput in;
  in.generatedAt = std::move(generatedAt);
  in.brokerHealthy = status.brokerHealthy;
  in.brokerUrl = brokerUrl;
  const json providers = providersJson(status);  // kept: items() refers into it
  for (const auto& [name, p] : providers.items())
    in.providers.push_back({.name = name, .consumers = fields::texts(p, "consumers"), .version = fields::text(p, "version"),
                            .sha256 = fields::text(p, "sha256"), .publishedAt = fields::text(p, "published_at")});
  addCoverage(in, podCoverage(answers));
  // The merged document lists the mocks in the round's order; their sources come from /health.
  for (std::size_t i = 0; i < in.mocks.size() && i < answers.size(); ++i) in.mocks[i].source = answers[i].source;
  return in;
}

namespace {

// The bodies are built in code from other processes' text: dumped without throwing on bad UTF-8.
http::Response coverageAnswer(const json& merged) {
  return http::Response::text(200, dumpSafeJson(merged), "application/json");
}

http::Response pageAnswer(const StatusSnapshot& status, const std::string& brokerUrl,
                          const std::vector<MockAnswer>& answers) {
  return http::Response::text(200, renderStatusPage(statusPageInput(status, brokerUrl, answers, nowRfc3339())),
                              "text/html; charset=utf-8");
}

}  // namespace

void addCoverageRoutes(http::Router& router, ManagerStatus& status, MockFetcher& fetcher, std::string brokerUrl) {
  ManagerStatus* st = &status;
  MockFetcher* mocks = &fetcher;
  auto broker = std::make_shared<const std::string>(std::move(brokerUrl));
  router.get("/coverage", [mocks](http::Request&) {
    auto deferred = std::make_shared<http::DeferredResponse>(
        [mocks] { return coverageAnswer(podCoverage(mocks->unreachable("did not answer in time"))); });
    mocks->fetchAsync([deferred](const std::vector<MockAnswer>& answers) { deferred->complete(coverageAnswer(podCoverage(answers))); });
    return http::Response::parked(deferred, mocks->roundTimeout());
  });
  router.get("/", [st, mocks, broker](http::Request&) {
    auto deferred = std::make_shared<http::DeferredResponse>([st, mocks, broker] {
      return pageAnswer(st->snapshot(), *broker, mocks->unreachable("did not answer in time"));
    });
    mocks->fetchAsync([deferred, st, broker](const std::vector<MockAnswer>& answers) {
      deferred->complete(pageAnswer(st->snapshot(), *broker, answers));
    });
    return http::Response::parked(deferred, mocks->roundTimeout());
  });
}

}  // namespace pactmocks::manager
