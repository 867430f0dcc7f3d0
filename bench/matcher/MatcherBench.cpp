// Matching one request against 1..10,000 interactions: literal paths (hash lookup) and AWS-style
// contracts where every interaction is POST / told apart by X-Amz-Target and the JSON body.
#include <benchmark/benchmark.h>

#include <string>

#include <nlohmann/json.hpp>

#include "pact/InteractionIndex.h"
#include "pact/PactParser.h"
#include "pact/ResponseBuilder.h"

using namespace pactmocks;
using nlohmann::json;

namespace {

const char* kTargets[] = {"secretsmanager.GetSecretValue", "secretsmanager.DescribeSecret", "secretsmanager.PutSecretValue",
                          "secretsmanager.CreateSecret", "secretsmanager.DeleteSecret", "secretsmanager.ListSecrets"};

pact::Pact makePact(json interactions) {
  json doc = {{"consumer", {{"name", "Secret-Manager-Controller"}}},
              {"provider", {{"name", "Bench"}}},
              {"interactions", std::move(interactions)},
              {"metadata", {{"pactSpecification", {{"version", "3.0.0"}}}}}};
  return pact::parsePact(doc, "bench.json");
}

pact::InteractionIndex literalIndex(int n) {
  json list = json::array();
  for (int i = 0; i < n; ++i) {
    list.push_back({{"description", "get item " + std::to_string(i)},
                    {"request", {{"method", "GET"}, {"path", "/v1/items/" + std::to_string(i)}, {"headers", {{"Accept", "application/json"}}}}},
                    {"response", {{"status", 200}, {"body", {{"id", i}, {"name", "item"}}}}}});
  }
  std::vector<pact::Pact> pacts;
  pacts.push_back(makePact(std::move(list)));
  return pact::InteractionIndex(std::move(pacts));
}

pact::InteractionIndex awsIndex(int n) {
  json list = json::array();
  for (int i = 0; i < n; ++i) {
    list.push_back({{"description", "op " + std::to_string(i)},
                    {"request",
                     {{"method", "POST"},
                      {"path", "/"},
                      {"headers", {{"X-Amz-Target", kTargets[i % 6]}, {"Content-Type", "application/x-amz-json-1.1"}}},
                      {"body", {{"SecretId", "secret-" + std::to_string(i)}, {"VersionStage", "AWSCURRENT"}}}}},
                    {"response", {{"status", 200}, {"body", {{"Name", "secret-" + std::to_string(i)}, {"SecretString", "s3cr3t"}}}}}});
  }
  std::vector<pact::Pact> pacts;
  pacts.push_back(makePact(std::move(list)));
  return pact::InteractionIndex(std::move(pacts));
}

http::Request makeRequest(std::string method, std::string path, std::vector<std::pair<std::string, std::string>> headers,
                          std::string body) {
  http::Request r;
  r.method = std::move(method);
  r.target = path;
  r.path = std::move(path);
  for (auto& [k, v] : headers) r.headers.add(k, v);
  r.body = std::move(body);
  return r;
}

void BM_LiteralPath(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  auto index = literalIndex(n);
  auto req = makeRequest("GET", "/v1/items/" + std::to_string(n / 2),
                         {{"Accept", "application/json"}, {"User-Agent", "bench"}, {"Host", "localhost"}}, "");
  for (auto _ : state) {
    auto out = index.match(req);
    if (!out.matched) state.SkipWithError("no match");
    benchmark::DoNotOptimize(out.matched);
  }
}

void BM_AwsTarget(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  auto index = awsIndex(n);
  const int i = n / 2;
  auto req = makeRequest("POST", "/",
                         {{"X-Amz-Target", kTargets[i % 6]},
                          {"Content-Type", "application/x-amz-json-1.1"},
                          {"Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/secretsmanager/aws4_request"},
                          {"X-Amz-Date", "20261125T214748Z"}},
                         R"({"SecretId":"secret-)" + std::to_string(i) + R"(","VersionStage":"AWSCURRENT"})");
  for (auto _ : state) {
    auto out = index.match(req);
    if (!out.matched) state.SkipWithError("no match");
    benchmark::DoNotOptimize(out.matched);
  }
}

void BM_AwsMiss(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  auto index = awsIndex(n);
  auto req = makeRequest("POST", "/", {{"X-Amz-Target", kTargets[0]}, {"Content-Type", "application/x-amz-json-1.1"}},
                         R"({"SecretId":"unknown","VersionStage":"AWSCURRENT"})");
  for (auto _ : state) {
    auto out = index.match(req);
    if (out.matched) state.SkipWithError("unexpected match");
    benchmark::DoNotOptimize(out.closest.size());
  }
}

void BM_BuildResponse(benchmark::State& state) {
  auto index = awsIndex(1);
  const auto& interaction = index.pacts()[0]->interactions[0];
  pact::GeneratorContext ctx{nullptr, 1234};
  for (auto _ : state) {
    auto r = pact::buildResponse(interaction, ctx);
    benchmark::DoNotOptimize(r.body.data());
  }
}

// Parsing a 10,000-interaction pact and building its index: the cost of a reload.
void BM_ParseAndIndex(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  json list = json::array();
  for (int i = 0; i < n; ++i) {
    list.push_back({{"description", "op " + std::to_string(i)},
                    {"request",
                     {{"method", "POST"},
                      {"path", "/"},
                      {"headers", {{"X-Amz-Target", kTargets[i % 6]}, {"Content-Type", "application/x-amz-json-1.1"}}},
                      {"body", {{"SecretId", "secret-" + std::to_string(i)}}},
                      {"matchingRules", {{"body", {{"$.VersionStage", {{"matchers", {{{"match", "regex"}, {"regex", "AWS[A-Z]+"}}}}}}}}}}}},
                    {"response", {{"status", 200}, {"body", {{"Name", "secret-" + std::to_string(i)}}}}}});
  }
  const std::string text = json{{"consumer", {{"name", "C"}}}, {"provider", {{"name", "P"}}}, {"interactions", list}}.dump();
  for (auto _ : state) {
    std::vector<pact::Pact> pacts;
    pacts.push_back(pact::parsePact(std::string_view(text), "bench.json"));
    pact::InteractionIndex index(std::move(pacts));
    benchmark::DoNotOptimize(index.size());
  }
  state.SetLabel(std::to_string(text.size() / 1024) + " KiB of pact JSON");
}

}  // namespace

BENCHMARK(BM_ParseAndIndex)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LiteralPath)->Arg(1)->Arg(100)->Arg(1000)->Arg(10000);
BENCHMARK(BM_AwsTarget)->Arg(1)->Arg(100)->Arg(1000)->Arg(10000);
BENCHMARK(BM_AwsMiss)->Arg(100)->Arg(10000);
BENCHMARK(BM_BuildResponse);

BENCHMARK_MAIN();
