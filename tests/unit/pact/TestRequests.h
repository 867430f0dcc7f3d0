#pragma once
// Small builders for requests and pacts used across the pact unit tests.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/Message.h"
#include "pact/PactParser.h"

namespace pactmocks::pact::test {

inline http::Request request(std::string method, std::string target,
                             std::vector<std::pair<std::string, std::string>> headers = {}, std::string body = {}) {
  http::Request r;
  r.method = std::move(method);
  r.target = target;
  auto q = target.find('?');
  r.path = target.substr(0, q);
  r.query = q == std::string::npos ? std::string() : target.substr(q + 1);
  for (auto& [n, v] : headers) r.headers.add(n, v);
  r.body = std::move(body);
  return r;
}

inline Pact v3Pact(nlohmann::json interactions, std::string source = "test.json") {
  nlohmann::json doc = {{"consumer", {{"name", "C"}}},
                        {"provider", {{"name", "P"}}},
                        {"interactions", std::move(interactions)},
                        {"metadata", {{"pactSpecification", {{"version", "3.0.0"}}}}}};
  return parsePact(doc, source);
}

}  // namespace pactmocks::pact::test
