// Fuzzes the request matcher with a contract request and an actual request, in the shape of a
// pact-spec test case: {"spec":"V3","expected":{...},"actual":{...}} (seeded with every case of
// tests/conformance/pact-spec). The expected side goes through the real parser, the actual side becomes
// an http::Request as the server would build it. A mismatch report is fine; a crash is not.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/Message.h"
#include "pact/PactParser.h"
#include "pact/RequestMatcher.h"

namespace {

using nlohmann::json;
using pactmocks::pact::SpecVersion;

SpecVersion versionOf(const json& doc) {
  const auto it = doc.find("spec");
  const std::string v = it != doc.end() && it->is_string() ? it->get<std::string>() : "V3";
  if (v == "V1") return SpecVersion::V1;
  if (v == "V1_1") return SpecVersion::V1_1;
  if (v == "V2") return SpecVersion::V2;
  if (v == "V4") return SpecVersion::V4;
  return SpecVersion::V3;
}

std::string text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// The actual request as bytes on the wire would give it: query and body as raw strings.
pactmocks::http::Request toRequest(const json& actual) {
  pactmocks::http::Request request;
  request.method = actual.contains("method") ? text(actual["method"]) : "GET";
  request.path = actual.contains("path") ? text(actual["path"]) : "/";
  if (auto q = actual.find("query"); q != actual.end()) {
    if (q->is_object()) {
      for (const auto& [name, values] : q->items()) {
        for (const auto& v : values.is_array() ? values : json::array({values})) {
          if (!request.query.empty()) request.query += '&';
          request.query += pactmocks::http::percentEncodeSegment(name) + "=" + pactmocks::http::percentEncodeSegment(text(v));
        }
      }
    } else {
      request.query = text(*q);
    }
  }
  request.target = request.query.empty() ? request.path : request.path + "?" + request.query;
  if (auto h = actual.find("headers"); h != actual.end() && h->is_object()) {
    for (const auto& [name, value] : h->items()) request.headers.add(name, text(value));
  }
  if (auto b = actual.find("body"); b != actual.end()) {
    const bool jsonType = pactmocks::pact::isJsonMediaType(request.headers.get("Content-Type").value_or(""));
    request.body = b->is_string() && !jsonType ? b->get<std::string>() : b->dump();
  }
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const json doc = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("expected") || !doc.contains("actual")) return 0;
  const json& actualJson = doc["actual"];
  if (!actualJson.is_object()) return 0;
  pactmocks::pact::RequestSpec expected;
  try {
    expected = pactmocks::pact::parseRequestSpec(doc["expected"], versionOf(doc), "fuzz-case");
  } catch (const pactmocks::pact::PactParseError&) {
    return 0;  // rejected at load time: fine
  }
  const auto request = toRequest(actualJson);
  const auto view = pactmocks::pact::RequestView::from(request);
  const bool first = pactmocks::pact::matchRequest(expected, view, {.ignoredHeaders = {}, .stopAtFirst = true}, nullptr);
  const auto mismatches = pactmocks::pact::mismatchesOf(expected, view);
  // Selection (stop at first) and the full report must agree on whether it matched.
  if (first != mismatches.empty()) __builtin_trap();
  for (const auto& m : mismatches) (void)m.describe();
  return 0;
}
