// The shipped example contracts parse, and every interaction is found by a request built from it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "TestRequests.h"
#include "pact/InteractionIndex.h"
#include "pact/ResponseBuilder.h"

using namespace pactmocks::pact;
using namespace pactmocks::pact::test;
namespace fs = std::filesystem;

namespace {
std::string encodeQuery(const RequestSpec& r) {
  std::string out;
  for (const auto& [name, values] : r.query->params)
    for (const auto& v : values) out += (out.empty() ? "" : "&") + name + "=" + v;
  return out;
}
}  // namespace

TEST_CASE("example pacts: every interaction matches a request built from itself") {
  const char* src = std::getenv("PACTMOCKS_SOURCE_DIR");
  REQUIRE(src != nullptr);
  const fs::path dir = fs::path(src) / "examples" / "pacts";
  if (!fs::is_directory(dir)) {
    WARN("no examples/pacts directory");
    return;
  }
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::vector<Pact> pacts;
    pacts.push_back(parsePact(text.str(), entry.path().string()));
    InteractionIndex index(std::move(pacts));
    for (const auto& i : index.pacts()[0]->interactions) {
      std::vector<std::pair<std::string, std::string>> headers(i.request.headers.begin(), i.request.headers.end());
      if (!i.providerStates.empty()) headers.emplace_back("X-Pact-Provider-State", i.providerStates[0].name);
      std::string query = encodeQuery(i.request);
      std::string body;
      if (i.request.body.present && !i.request.body.value.is_null())
        body = i.request.body.value.is_string() ? i.request.body.value.get<std::string>() : i.request.body.value.dump();
      auto out = index.match(request(i.request.method, i.request.path + (query.empty() ? "" : "?" + query), headers, body));
      INFO(entry.path().filename().string() << ": " << i.description);
      REQUIRE(out.matched);
      CHECK(out.matched->description == i.description);
      auto response = buildResponse(*out.matched, {nullptr, 1234});
      CHECK(response.status == i.response.status);
      ++checked;
    }
  }
  CHECK(checked > 0);
}
