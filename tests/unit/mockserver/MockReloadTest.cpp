// POST /__admin/reload parks the request until the sync worker reports the outcome.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "Answered.h"
#include "mockserver/MockService.h"

using namespace pactmocks;
using namespace pactmocks::mockserver;
using namespace std::chrono_literals;

namespace {

struct ReloadFixture {
  PactStore store;
  MockMetrics metrics;
  RequestJournal journal{10};
  std::function<void(ReloadOutcome)> pending;  // the worker's side: called when "done"
  MockService service{MockServiceOptions{"Azure-Key-Vault", ErrorStyle::AzureKeyVault, 1236, {}, "test", 500, std::nullopt},
                      store, metrics, journal, [this](auto done) { pending = std::move(done); }};

  http::Response post() {
    http::Request r;
    r.method = "POST";
    r.target = r.path = "/__admin/reload";
    return service.handle(r);
  }
};

nlohmann::json json(const http::Response& r) { return nlohmann::json::parse(r.body); }

}  // namespace

TEST_CASE("a reload is parked, not waited for, and answered with the worker's outcome", "[service][reload]") {
  ReloadFixture f;
  auto parked = f.post();
  REQUIRE(parked.deferred);
  CHECK(parked.delay > 0ms);  // the bound on how long the request stays parked
  REQUIRE(f.pending);          // the reload was started, the handler returned before it finished
  CHECK_FALSE(parked.deferred->done());

  SECTION("success") {
    f.pending(ReloadOutcome{ok(), nullptr});
    auto answer = testing::answered(std::move(parked));
    CHECK(answer.status == 200);
    CHECK(json(answer)["reloaded"] == true);
  }
  SECTION("failure") {
    f.pending(ReloadOutcome{fail("broker unreachable"), nullptr});
    auto answer = testing::answered(std::move(parked));
    CHECK(answer.status == 500);
    CHECK(json(answer)["reloaded"] == false);
    CHECK(json(answer)["error"] == "broker unreachable");
  }
  SECTION("still running at the timeout: 202, and where to see the outcome") {
    auto answer = testing::answered(std::move(parked));
    CHECK(answer.status == 202);
    CHECK(json(answer)["pending"] == true);
    CHECK_THAT(json(answer)["message"].get<std::string>(), Catch::Contains("/health"));
    f.pending(ReloadOutcome{ok(), nullptr});  // a late outcome is dropped
  }
}
