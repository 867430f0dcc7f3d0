// Matching + response building over the generated benchmark pacts (bench/gen/gen_pacts.py): the
// same contracts and the same shuffled, mixed request lists the full-stack benchmark sends, so the
// cost per request shown here is the mock's share of the load benchmark.
//
// Needs the generated set: `python3 bench/gen/gen_pacts.py --out DIR --n 1000 10000` and
// BENCH_GEN_DIR=DIR (benchmarks whose files are missing are skipped with a message).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pact/InteractionIndex.h"
#include "pact/PactParser.h"
#include "pact/ResponseBuilder.h"

using namespace pactmocks;
namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Workload {
  std::unique_ptr<pact::InteractionIndex> index;
  std::vector<http::Request> requests;
  std::string error;
};

Workload load(const std::string& provider, int n) {
  Workload w;
  const char* root = std::getenv("BENCH_GEN_DIR");
  if (!root) {
    w.error = "BENCH_GEN_DIR not set";
    return w;
  }
  const fs::path dir = fs::path(root) / provider / ("n" + std::to_string(n));
  if (!fs::exists(dir / "requests.json")) {
    w.error = "missing " + (dir / "requests.json").string();
    return w;
  }
  std::vector<pact::Pact> pacts;
  for (const auto& f : fs::directory_iterator(dir / "pacts"))
    pacts.push_back(pact::parsePact(std::string_view(readFile(f.path())), f.path().string()));
  w.index = std::make_unique<pact::InteractionIndex>(std::move(pacts));
  const auto list = nlohmann::json::parse(readFile(dir / "requests.json"));
  for (const auto& r : list) {
    http::Request req;
    req.method = r.at("method").get<std::string>();
    req.target = r.at("path").get<std::string>();
    const auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    if (q != std::string::npos) req.query = req.target.substr(q + 1);
    for (const auto& [k, v] : r.at("headers").items()) req.headers.add(k, v.get<std::string>());
    if (r.contains("body") && r.at("body").is_string()) req.body = r.at("body").get<std::string>();
    w.requests.push_back(std::move(req));
  }
  return w;
}

// One request of the list per iteration, cycling: match, then build the response.
void BM_Generated(benchmark::State& state, const std::string& provider) {
  const int n = static_cast<int>(state.range(0));
  Workload w = load(provider, n);
  if (!w.error.empty()) {
    state.SkipWithError(w.error.c_str());
    return;
  }
  pact::GeneratorContext ctx{nullptr, 1234};
  std::size_t i = 0, misses = 0;
  for (auto _ : state) {
    const http::Request& req = w.requests[i];
    if (++i == w.requests.size()) i = 0;
    auto out = w.index->match(req);
    if (!out.matched) {
      ++misses;
      continue;
    }
    auto response = pact::buildResponse(*out.matched, ctx);
    benchmark::DoNotOptimize(response.body.data());
  }
  if (misses) state.SkipWithError(("requests without a match: " + std::to_string(misses)).c_str());
}

}  // namespace

BENCHMARK_CAPTURE(BM_Generated, aws, std::string("aws"))->Arg(1000)->Arg(10000);
BENCHMARK_CAPTURE(BM_Generated, gcp, std::string("gcp"))->Arg(1000)->Arg(10000);
BENCHMARK_CAPTURE(BM_Generated, azure, std::string("azure"))->Arg(1000)->Arg(10000);
