// The cost coverage adds to a matched request: CoverageTracker::recordHit on the slots of the
// served index (binary search over the pacts' addresses, atomic counters), for 1 and 30 pacts,
// without and with a fault name, and from several threads on one interaction (one cache line).
#include <benchmark/benchmark.h>

#include <string>

#include <nlohmann/json.hpp>

#include "mockserver/Coverage.h"
#include "pact/PactParser.h"

using namespace pactmocks;
using nlohmann::json;

namespace {

std::shared_ptr<const pact::Pact> makePact(int consumer, int interactions) {
  json list = json::array();
  for (int i = 0; i < interactions; ++i)
    list.push_back({{"description", "get item " + std::to_string(i)},
                    {"request", {{"method", "GET"}, {"path", "/v1/items/" + std::to_string(i)}}},
                    {"response", {{"status", 200}, {"body", {{"id", i}}}}}});
  json doc = {{"consumer", {{"name", "Consumer-" + std::to_string(consumer)}}},
              {"provider", {{"name", "Bench"}}},
              {"interactions", std::move(list)},
              {"metadata", {{"pactSpecification", {{"version", "3.0.0"}}}}}};
  return std::make_shared<const pact::Pact>(pact::parsePact(doc, "bench.json"));
}

struct Installed {
  mockserver::CoverageTracker tracker;
  std::vector<std::shared_ptr<const pact::Pact>> pacts;
  std::shared_ptr<const mockserver::CoverageSlots> slots;
  explicit Installed(int pactCount) {
    for (int p = 0; p < pactCount; ++p) pacts.push_back(makePact(p, 10));
    slots = tracker.install(pacts);
  }
};

void BM_RecordHit(benchmark::State& state) {
  Installed installed(static_cast<int>(state.range(0)));  // set up outside the timed loop
  const auto& pact = *installed.pacts.back();
  const std::string_view fault = state.range(1) ? "delay" : "";
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t position = i++ % pact.interactions.size();
    benchmark::DoNotOptimize(
        installed.tracker.recordHit(*installed.slots, &pact, position, &pact.interactions[position], fault));
  }
}
BENCHMARK(BM_RecordHit)->Args({1, 0})->Args({30, 0})->Args({1, 1});

void BM_RecordHitSameInteraction(benchmark::State& state) {
  static Installed installed(1);  // shared by the threads: they contend for one counter
  const auto& pact = *installed.pacts.front();
  for (auto _ : state) benchmark::DoNotOptimize(installed.tracker.recordHit(*installed.slots, &pact, 0, &pact.interactions[0]));
}
BENCHMARK(BM_RecordHitSameInteraction)->Threads(1)->Threads(2);

}  // namespace

BENCHMARK_MAIN();
