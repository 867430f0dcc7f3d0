#include <catch2/catch.hpp>

#include "mockserver/MockMetrics.h"

using namespace pactmocks::mockserver;

TEST_CASE("metrics count outcomes and render Prometheus text", "[metrics]") {
  MockMetrics metrics;
  metrics.record(Outcome::Matched, 40);
  metrics.record(Outcome::Matched, 700);
  metrics.record(Outcome::Unmatched, 2'000'000);
  metrics.record(Outcome::Fault, 10);
  metrics.recordReload(true);
  metrics.recordReload(false);
  CHECK(metrics.requests(Outcome::Matched) == 2);
  CHECK(metrics.requests(Outcome::Unmatched) == 1);
  const std::string text = metrics.render("AWS-Secrets-Manager", 7, "dir");
  CHECK_THAT(text, Catch::Contains("pactmocks_requests_total{provider=\"AWS-Secrets-Manager\",outcome=\"matched\"} 2"));
  CHECK_THAT(text, Catch::Contains("outcome=\"unmatched\"} 1"));
  CHECK_THAT(text, Catch::Contains("outcome=\"fault\"} 1"));
  CHECK_THAT(text, Catch::Contains("le=\"5e-05\"} 2"));   // 10 µs and 40 µs
  CHECK_THAT(text, Catch::Contains("le=\"0.001\"} 3"));
  CHECK_THAT(text, Catch::Contains("le=\"+Inf\"} 4"));
  CHECK_THAT(text, Catch::Contains("pactmocks_request_duration_seconds_count{provider=\"AWS-Secrets-Manager\"} 4"));
  CHECK_THAT(text, Catch::Contains("pactmocks_interactions_loaded{provider=\"AWS-Secrets-Manager\",source=\"dir\"} 7"));
  CHECK_THAT(text, Catch::Contains("result=\"success\"} 1"));
  CHECK_THAT(text, Catch::Contains("result=\"failure\"} 1"));
  CHECK_THAT(text, Catch::Contains("# TYPE pactmocks_request_duration_seconds histogram"));
}
