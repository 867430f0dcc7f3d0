// Runs every request-matching case of the Pact specification (V1–V4) through the matcher.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "pact/PactParser.h"
#include "pact/RequestMatcher.h"

namespace fs = std::filesystem;
using namespace pactmocks::pact;
using nlohmann::json;

namespace {

// Cases whose expected outcome we deliberately do not follow, with the reason. Keep empty unless
// a case is wrong after careful reading of the specification.
const std::map<std::string, std::string> kKnownDisagreements = {};

struct Version {
  std::string folder;
  SpecVersion version;
};

// The "actual" request of a case as the raw parts an HTTP request would carry.
struct ActualParts {
  std::string method = "GET";
  std::string path = "/";
  std::optional<std::string> query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;
};

std::string encodeQuery(const json& q) {
  if (q.is_string()) return q.get<std::string>();
  std::string out;
  for (const auto& [name, values] : q.items()) {
    auto add = [&](const std::string& v) {
      if (!out.empty()) out += '&';
      out += name + "=" + v;
    };
    if (values.is_array())
      for (const auto& v : values) add(v.is_string() ? v.get<std::string>() : "");
    else if (values.is_string())
      add(values.get<std::string>());
  }
  return out;
}

ActualParts actualFrom(const json& a, SpecVersion v) {
  ActualParts p;
  if (a.contains("method")) p.method = a["method"].get<std::string>();
  if (a.contains("path")) p.path = a["path"].get<std::string>();
  if (a.contains("query") && !a["query"].is_null()) p.query = encodeQuery(a["query"]);
  if (a.contains("headers") && a["headers"].is_object()) {
    for (const auto& [n, val] : a["headers"].items()) {
      if (val.is_array()) {
        std::string joined;
        for (const auto& x : val) joined += (joined.empty() ? "" : ", ") + x.get<std::string>();
        p.headers.emplace_back(n, joined);
      } else {
        p.headers.emplace_back(n, val.get<std::string>());
      }
    }
  }
  if (a.contains("body")) {
    json body = a["body"];
    if (v == SpecVersion::V4 && body.is_object() && body.contains("content")) body = body["content"];
    if (body.is_null()) p.body = "";
    else if (body.is_string()) p.body = body.get<std::string>();
    else p.body = body.dump();
  }
  return p;
}

}  // namespace

TEST_CASE("Pact specification request matching cases") {
  // The specification's cases live beside this file (see README.md here for their origin).
  const char* source = std::getenv("PACTMOCKS_SOURCE_DIR");
  REQUIRE(source != nullptr);
  const fs::path root = fs::path(source) / "tests" / "conformance" / "pact-spec";
  REQUIRE(fs::is_directory(root / "v4" / "request"));

  const std::vector<Version> versions = {{"v1", SpecVersion::V1},
                                         {"v1.1", SpecVersion::V1_1},
                                         {"v2", SpecVersion::V2},
                                         {"v3", SpecVersion::V3},
                                         {"v4", SpecVersion::V4}};
  std::size_t total = 0, agreed = 0, skipped = 0;
  std::vector<std::string> disagreements;
  for (const auto& ver : versions) {
    std::set<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(root / ver.folder / "request"))
      if (entry.is_regular_file() && entry.path().extension() == ".json") files.insert(entry.path());
    std::size_t vTotal = 0, vAgreed = 0;
    for (const auto& file : files) {
      const std::string rel = fs::relative(file, root).string();
      std::ifstream in(file);
      json testCase = json::parse(in);
      const bool expectMatch = testCase.at("match").get<bool>();
      ++vTotal;
      if (kKnownDisagreements.count(rel)) {
        ++skipped;
        continue;
      }
      std::string outcome;
      bool matched = false;
      std::vector<Mismatch> mismatches;
      try {
        RequestSpec spec = parseRequestSpec(testCase.at("expected"), ver.version, rel);
        ActualParts parts = actualFrom(testCase.at("actual"), ver.version);
        RequestView view(parts.method, parts.path, parts.query ? std::optional<std::string_view>(*parts.query) : std::nullopt,
                         RequestView::HeaderList(parts.headers),
                         parts.body ? std::optional<std::string_view>(*parts.body) : std::nullopt);
        mismatches = mismatchesOf(spec, view);
        matched = mismatches.empty();
      } catch (const std::exception& e) {
        outcome = std::string(" (error: ") + e.what() + ")";
      }
      if (matched == expectMatch && outcome.empty()) {
        ++vAgreed;
      } else {
        std::ostringstream msg;
        msg << rel << ": expected " << (expectMatch ? "match" : "no match") << ", got "
            << (matched ? "match" : "no match") << outcome;
        for (const auto& m : mismatches) msg << "\n      - " << m.describe();
        disagreements.push_back(msg.str());
      }
    }
    std::cout << ver.folder << ": " << vAgreed << "/" << vTotal << " cases agree\n";
    total += vTotal;
    agreed += vAgreed;
  }
  std::cout << "total: " << agreed << "/" << total << " agree, " << skipped << " listed as known disagreements\n";
  for (const auto& d : disagreements) std::cout << "  DISAGREE " << d << "\n";
  CHECK(total == 384);
  CHECK(disagreements.empty());
}
